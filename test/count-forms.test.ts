/**
 * Every form a count may take, as Wolkvox or a proxy writes it (numbers, text, blanks and
 * placeholders, thousands separators, percentages, booleans, lists, huge and non-finite numbers),
 * through the node's output, the trigger's comparisons and the state it stores.
 */
import type { IDataObject } from 'n8n-workflow';

import { countOf, measureOf } from '../nodes/shared/rows';
import { activateTrigger, logLines } from './support/engine/harness';
import { jsonOf, useSimulator } from './support/engine/fixtures';
import { queryDate } from './support/simulator/data';

const fx = useSimulator();
const credentials = () => fx.credentials();
const row = (description: string, items: unknown) => ({
	operation: 'Andina Contact Center',
	description,
	items,
	date: queryDate(() => new Date()),
});
const jsons = (items: { json: IDataObject }[] | null) => items?.map((i) => i.json) ?? null;

describe('reading a count', () => {
	test.each<[unknown, number | undefined, number | undefined]>([
		// [items, countOf (the node's output), measureOf (the trigger's comparisons)]
		['42', 42, 42],
		[' 7 ', 7, 7],
		['37.5', 37.5, 37.5],
		['-3', -3, -3],
		[12, 12, 12],
		['', undefined, undefined],
		[' ', undefined, undefined],
		['n/a', undefined, undefined],
		['9,990', undefined, 9990],
		['10,250', undefined, 10250],
		['1,204.5', undefined, 1204.5],
		['1.234.567', undefined, 1234567],
		['1.234,5', undefined, 1234.5],
		['1.234', 1.234, 1.234],
		['12,34', undefined, undefined],
		['34.64 %', undefined, 34.64],
		['35%', undefined, 35],
		['%', undefined, undefined],
		[false, undefined, undefined],
		[true, undefined, undefined],
		[null, undefined, undefined],
		[{}, undefined, undefined],
		[[], undefined, undefined],
		[Infinity, undefined, undefined],
		[NaN, undefined, undefined],
		[1e20, undefined, undefined],
		['12345678901234567890', undefined, undefined],
		['9007199254740991', 9007199254740991, 9007199254740991],
		[`${'1'.repeat(41)}`, undefined, undefined],
	])('%j: count %j, measure %j', (items, count, measure) => {
		expect(countOf(items)).toBe(count);
		expect(measureOf(items)).toBe(measure);
	});
});

describe('the node’s output keeps what is not plainly a number as Wolkvox wrote it', () => {
	test('placeholders stay text, never 0; units and separators stay; numbers become numbers', async () => {
		fx.sim.setRawReport(
			'agent_script',
			// Raw JSON: 1e400 is a number JSON can write and JavaScript reads as Infinity.
			`{"code":200,"data":[${[
				'{"description":"a","items":" "}',
				'{"description":"b","items":""}',
				'{"description":"c","items":"34.64 %"}',
				'{"description":"d","items":"9,990"}',
				'{"description":"e","items":false}',
				'{"description":"f","items":"12345678901234567890"}',
				'{"description":"g","items":"42"}',
				'{"description":"h","items":1e400}',
			].join(',')}]}`,
		);
		const items = jsonOf(await fx.run()).map((json) => json.items);
		expect(items).toEqual([
			' ',
			'',
			'34.64 %',
			'9,990',
			false,
			'12345678901234567890',
			42,
			Infinity,
		]);
	});
});

describe('the trigger compares every form', () => {
	test('thousands separators cross a threshold: "9,990" → "10,250" over 10,000', async () => {
		fx.sim.setReport('ivr_minutes', [row('IVR minutes inbound', '9,990')]);
		const trigger = activateTrigger({
			credentials: credentials(),
			parameters: { report: 'ivr_minutes', emit: 'threshold', threshold: 10000 },
		});
		expect(await trigger.poll()).toEqual({ items: null }); // baseline
		fx.sim.setReport('ivr_minutes', [row('IVR minutes inbound', '10,250')]);
		expect(jsons((await trigger.poll()).items)).toEqual([
			expect.objectContaining({
				items: '10,250',
				crossed: 'up',
				threshold: 10000,
				previousItems: '9,990',
			}),
		]);
	});

	test('a percentage crosses a threshold on its number: "34.64 %" → "35.10 %" over 35', async () => {
		fx.sim.setReport('rec_screen', [row('Calls with screen recording', '34.64 %')]);
		const trigger = activateTrigger({
			credentials: credentials(),
			parameters: { report: 'rec_screen', emit: 'threshold', threshold: 35 },
		});
		await trigger.poll();
		fx.sim.setReport('rec_screen', [row('Calls with screen recording', '35.10 %')]);
		expect(jsons((await trigger.poll()).items)).toEqual([
			expect.objectContaining({ items: '35.10 %', crossed: 'up', previousItems: '34.64 %' }),
		]);
	});

	test('a change in a separated count carries its difference', async () => {
		fx.sim.setReport('ivr_minutes', [row('IVR minutes inbound', '9,990')]);
		const trigger = activateTrigger({
			credentials: credentials(),
			parameters: { report: 'ivr_minutes' },
		});
		await trigger.poll();
		fx.sim.setReport('ivr_minutes', [row('IVR minutes inbound', '10,250')]);
		expect(jsons((await trigger.poll()).items)).toEqual([
			expect.objectContaining({ change: 'changed', previousItems: '9,990', difference: 260 }),
		]);
	});

	test('rows whose items is no number are counted in the log, not skipped silently', async () => {
		fx.sim.setReport('ivr_minutes', [row('IVR minutes inbound', 'n/a'), row('outbound', '5')]);
		const trigger = activateTrigger({
			credentials: credentials(),
			parameters: { report: 'ivr_minutes', emit: 'threshold', threshold: 10 },
		});
		await trigger.poll();
		logLines.length = 0;
		await trigger.poll();
		const warnings = logLines.filter((line) => line.level === 'warn');
		expect(warnings.map((line) => line.message)).toEqual([
			'Wolkvox Billing Trigger: ivr_minutes: 1 of 2 rows have an "items" that is not a number (blank, a word, or another form), so Threshold Crossings cannot check them',
		]);
	});

	test.each<[string, unknown]>([
		['false (PHP’s “nothing”)', false],
		['true', true],
		['a list', []],
		['an object', { n: 1 }],
	])(
		'items %s in one row: the stored state stays valid, and the next change is emitted',
		async (_label, odd) => {
			fx.sim.setReport('agent_script', [row('Agent Script', '40'), row('Odd', odd)]);
			const trigger = activateTrigger({ credentials: credentials() });
			await trigger.poll(); // baseline
			fx.sim.setReport('agent_script', [row('Agent Script', '41'), row('Odd', odd)]);
			expect(jsons((await trigger.poll()).items)).toEqual([
				expect.objectContaining({ change: 'changed', items: 41, previousItems: 40 }),
			]);
			// n8n stored that emitting poll's state; a restart compares with it.
			trigger.restart();
			fx.sim.setReport('agent_script', [row('Agent Script', '42'), row('Odd', odd)]);
			expect(jsons((await trigger.poll()).items)).toEqual([
				expect.objectContaining({ change: 'changed', items: 42, previousItems: 41 }),
			]);
		},
	);

	test('a count too large for JavaScript (1e400 in the JSON) is kept as text and compared', async () => {
		const answer = (items: string) =>
			`{"code":200,"data":[{"operation":"O","description":"Agent Script","items":${items},"date":"${queryDate(() => new Date())}"}]}`;
		fx.sim.setRawReport('agent_script', answer('1e400'));
		const trigger = activateTrigger({ credentials: credentials() });
		await trigger.poll();
		expect(trigger.storedState.rows).toEqual({
			'["O","Agent Script"]': { operation: 'O', description: 'Agent Script', items: 'Infinity' },
		});
		trigger.restart();
		fx.sim.setRawReport('agent_script', answer('"7"'));
		expect(jsons((await trigger.poll()).items)).toEqual([
			expect.objectContaining({ change: 'changed', items: 7, previousItems: 'Infinity' }),
		]);
	});
});
