/**
 * Everything the package reads is bounded before anything looks inside it: report names from
 * webhooks and models, Wolkvox's texts, rows per answer, the trigger's state, answers to a model.
 * One n8n process serves every workflow, so one long input must not stall it or fill its memory.
 *
 * No test here measures time. The inputs that used to stall n8n take minutes with a quadratic
 * check (a 1 MB report name: about ten minutes), so jest's own per-test limit is what fails them.
 */
import type { IDataObject } from 'n8n-workflow';

import { MAX_INSPECTED_LENGTH, SecretGuard } from '../nodes/shared/secret';
import { MAX_ROWS } from '../nodes/shared/limits';
import { MAX_TOOL_ANSWER, MAX_TOOL_FIELD, toolAnswer } from '../nodes/WolkvoxBilling/tool';
import { MAX_TRACKED_ROWS, MAX_TRACKED_TEXT } from '../nodes/WolkvoxBillingTrigger/changes';
import { activateTrigger, logLines } from './support/engine/harness';
import { jsonOf, useSimulator } from './support/engine/fixtures';
import { queryDate } from './support/simulator/data';

const fx = useSimulator();
const credentials = () => fx.credentials();
const MB = 2 ** 20;

describe('a report name of any length is refused at once', () => {
	// Letters only: the shape that made the old random-run pattern rescan to the end from every
	// position.
	const long = 'a'.repeat(MB);

	test('from an input item, as {{ $json.report }} reads it (1 MB)', async () => {
		const result = await fx.run({
			parameters: { report: '={{ $json.report }}' },
			input: [{ report: long }],
		});
		expect(result.error).toMatchObject({
			name: 'NodeOperationError',
			message: `The report name given (${MB} characters, not shown in case it is a secret) is not a Wolkvox report name`,
		});
		expect(fx.sim.requests).toHaveLength(0);
	}, 20_000);

	test('typed into Other (Enter Name), one item at a time with On Error: Continue', async () => {
		const result = await fx.run({
			parameters: { report: 'custom', customReport: '={{ $json.name }}' },
			input: [{ name: long }, { name: `${'b'.repeat(100_000)}1` }, { name: 'ivr_calls' }],
			continueOnFail: true,
		});
		expect(jsonOf(result).map((json) => json.kind ?? json.report)).toEqual([
			'badReportName',
			'badReportName',
			'ivr_calls',
		]);
	}, 20_000);

	test('chosen by a model, in tool mode', async () => {
		const result = await fx.run({
			tool: true,
			parameters: { report: '={{ $json.report }}' },
			input: [{ report: long }],
		});
		expect(result.error?.message).toMatch(
			/^The report names given are too long \(1048576 characters/,
		);
		expect(fx.sim.requests).toHaveLength(0);
	}, 20_000);

	test('in the trigger', async () => {
		const trigger = activateTrigger({
			credentials: credentials(),
			parameters: { report: 'custom', customReport: long },
		});
		const { error } = await trigger.poll();
		expect(error).toMatchObject({ context: expect.objectContaining({ kind: 'badReportName' }) });
		expect(fx.sim.requests).toHaveLength(0);
	}, 20_000);

	test('a text too long to inspect counts as one that may reveal a secret, unread', () => {
		const guard = new SecretGuard('k7Q2x9Lm4Rt8Vb1N');
		expect(guard.mayReveal('a'.repeat(MAX_INSPECTED_LENGTH))).toBe(false);
		expect(guard.mayReveal('a'.repeat(MAX_INSPECTED_LENGTH + 1))).toBe(true);
		// Mixed letters and digits at the edge of the limit are still read in one pass.
		expect(new SecretGuard('').mayReveal('ab1'.repeat(MAX_INSPECTED_LENGTH / 3))).toBe(true);
	});
});

describe('Wolkvox’s texts of any length are read in linear time', () => {
	test.each([
		// A run of points before the end: trimming them from the end used to backtrack quadratically.
		['a 1 MB run of points in `error`', { code: 403, error: `${'.'.repeat(MB)}x` }, 403],
		['a 1 MB run of capitals in `msg`', { code: 500, msg: `E${'CERT'.repeat(MB / 4)}` }, 500],
		['a 1 MB mixed run in `error`', { code: 400, error: 'a1'.repeat(MB / 2) }, 400],
	])(
		'%s: an error, its text not shown',
		async (_label, body, status) => {
			fx.sim.setRawReport('agent_script', body, status);
			const result = await fx.run({ parameters: { options: { retries: 0 } } });
			expect(result.error).toMatchObject({ httpCode: String(status) });
			expect(String(result.error?.message).length).toBeLessThan(200);
		},
		20_000,
	);
});

describe('rows per answer are bounded', () => {
	/** `{"code":200,"data":[{},{},…]}`: three bytes a row. */
	const emptyRows = (count: number) =>
		`{"code":200,"error":null,"msg":"ok","data":[${new Array(count).fill('{}').join(',')}]}`;

	test('a million empty rows (3 MB) are refused before any item is made', async () => {
		fx.sim.setRawReport('agent_script', emptyRows(1_000_000));
		const result = await fx.run({ parameters: { options: { retries: 0 } } });
		expect(result.error).toMatchObject({
			name: 'NodeApiError',
			message: 'Wolkvox’s answer has 1,000,000 rows, more than the 100,000 this node reads',
			context: expect.objectContaining({ kind: 'tooLarge', retryable: false }),
		});
		expect(result.error?.description).toMatch(/Wolkvox documents 60,000 rows at most/);
		expect(result.items).toEqual([]);
	}, 30_000);

	test('one row over the limit is refused; the limit itself passes', async () => {
		fx.sim.setRawReport('agent_script', emptyRows(MAX_ROWS + 1));
		const over = await fx.run({ parameters: { options: { retries: 0 } } });
		expect(over.error?.message).toBe(
			'Wolkvox’s answer has 100,001 rows, more than the 100,000 this node reads',
		);
		fx.sim.setRawReport('agent_script', emptyRows(MAX_ROWS));
		const at = await fx.run();
		expect(at.error).toBeUndefined();
		expect(at.items).toHaveLength(MAX_ROWS);
	}, 30_000);
});

describe('the trigger’s state is bounded', () => {
	const row = (description: string, items: string) => ({
		operation: 'Andina Contact Center',
		description,
		items,
		date: queryDate(() => new Date()),
	});

	test(`more than ${MAX_TRACKED_ROWS} rows: Changes and Threshold refuse, saying what to use`, async () => {
		const rows = Array.from({ length: MAX_TRACKED_ROWS + 1 }, (_, i) => row(`license ${i}`, '1'));
		fx.sim.setReport('agent_script', rows);
		const trigger = activateTrigger({ credentials: credentials() });
		const { error } = await trigger.poll();
		expect(error).toMatchObject({
			message: 'Wolkvox’s answer has 5,001 rows, more than the 5,000 the trigger watches',
			context: expect.objectContaining({ kind: 'tooLarge', retryable: false }),
		});
		expect(error?.description).toMatch(/use the Wolkvox Billing node after a Schedule Trigger/);
		expect(trigger.storedState).toEqual({});
	});

	test('Every Poll emits them all and keeps no rows', async () => {
		const rows = Array.from({ length: MAX_TRACKED_ROWS + 1 }, (_, i) => row(`license ${i}`, '1'));
		fx.sim.setReport('agent_script', rows);
		const trigger = activateTrigger({
			credentials: credentials(),
			parameters: { emit: 'everyPoll' },
		});
		const { items, error } = await trigger.poll();
		expect(error).toBeUndefined();
		expect(items).toHaveLength(MAX_TRACKED_ROWS + 1);
		expect(trigger.storedState.rows).toEqual({});
	});

	test('megabyte fields are kept short, and a change at their end still shows', async () => {
		const description = `IVR minutes ${'x'.repeat(MB)}`;
		const items = `${'9'.repeat(MB)}`;
		fx.sim.setReport('ivr_minutes', [row(description, items)]);
		const trigger = activateTrigger({
			credentials: credentials(),
			parameters: { report: 'ivr_minutes' },
		});
		expect((await trigger.poll()).items).toBeNull(); // baseline
		const stored = JSON.stringify(trigger.storedState);
		expect(stored.length).toBeLessThan(4 * MAX_TRACKED_TEXT + 500);

		fx.sim.setReport('ivr_minutes', [row(description, `${'9'.repeat(MB - 1)}8`)]);
		const { items: changed } = await trigger.poll();
		expect(changed?.map((item) => (item.json as IDataObject).change)).toEqual(['changed']);
		expect(String(changed?.[0].json.previousItems).length).toBeLessThanOrEqual(MAX_TRACKED_TEXT);
	}, 20_000);
});

describe('answers to a model are bounded', () => {
	test('one row with a 1 MB description: the model reads a cut text, saying how long it was', () => {
		const answer = toolAnswer('agent_script', [
			{ operation: 'Andina', description: 'd'.repeat(MB), items: 3 },
		]);
		const rows = answer.rows as IDataObject[];
		expect(rows[0].description).toBe(`${'d'.repeat(MAX_TOOL_FIELD)}… (${MB} characters)`);
		expect(JSON.stringify(answer).length).toBeLessThanOrEqual(MAX_TOOL_ANSWER);
	});

	test('rows that do not fit are counted, not listed', () => {
		const rows = Array.from({ length: 100 }, (_, i) => ({
			description: `${i} ${'d'.repeat(500)}`,
			items: i,
		}));
		const answer = toolAnswer('agent_script', rows);
		const listed = answer.rows as IDataObject[];
		expect(JSON.stringify(answer).length).toBeLessThanOrEqual(MAX_TOOL_ANSWER);
		expect(listed.length).toBeGreaterThan(10);
		expect(listed.length).toBeLessThan(100);
		expect(answer.rowsOmitted).toBe(100 - listed.length);
		expect(answer.rowCount).toBe(100);
	});

	test('through the tool in n8n’s engine, too', async () => {
		fx.sim.setReport('agent_script', [row2('d'.repeat(MB))]);
		const result = await fx.run({ tool: true, parameters: { report: 'agent_script' } });
		expect(JSON.stringify(result.items[0].json).length).toBeLessThanOrEqual(MAX_TOOL_ANSWER);
	});

	function row2(description: string) {
		return { operation: 'Andina', description, items: '3', date: queryDate(() => new Date()) };
	}
});

afterAll(() => {
	// Nothing of the long inputs reached a log line.
	expect(logLines.every((line) => JSON.stringify(line).length < 10_000)).toBe(true);
});
