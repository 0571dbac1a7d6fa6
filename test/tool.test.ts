/**
 * The node as an AI tool ("Wolkvox Billing Tool"): what the model is told, the report the model
 * chooses through $fromAI, the compact answer it reads, the errors it can act on, and the same
 * rules as the node: one call at a time per token, no token anywhere.
 */
import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';

import { WolkvoxBilling } from '../nodes/WolkvoxBilling/WolkvoxBilling.node';
import { MAX_TOOL_ROWS, TOOL_DESCRIPTION } from '../nodes/WolkvoxBilling/tool';
import { jsonOf, TOKEN, useSimulator } from './support/engine/fixtures';
import { logLines } from './support/engine/harness';
import { billingNode } from './support/engine/node';
import { generateRows, PRODUCTS, queryDate } from './support/simulator/data';

const fx = useSimulator();
/** What an agent's tool call hands the node: one item with the model's arguments. */
const ask = (args: IDataObject, rest: Parameters<typeof fx.run>[0] = {}) =>
	fx.run({ tool: true, input: [args], ...rest });
/** What the tool description was before it listed all 27 reports (12 reports then). */
const DESCRIPTION_CHARACTERS_WITH_12_REPORTS = 986;

describe('what the model is told', () => {
	const { description } = new WolkvoxBilling();
	const toolParameter = (name: string) =>
		description.properties.find(
			(p: INodeProperties) => p.name === name && p.displayOptions?.show?.['@tool'],
		);

	test('the tool description says what it returns, every report, the month and the quota', () => {
		expect(toolParameter('toolDescription')?.default).toBe(TOOL_DESCRIPTION);
		expect(TOOL_DESCRIPTION).toMatch(/current month/);
		expect(TOOL_DESCRIPTION).toMatch(/daily quota/);
		expect(TOOL_DESCRIPTION).toMatch(/one or more report names, comma-separated/);
		// Every report is checked against Wolkvox's collection in catalogue.test.ts.
		expect(TOOL_DESCRIPTION).toMatch(/\btoken_usage\b/);
		expect(TOOL_DESCRIPTION).toContain('rec_minutes (IVR recordings)');
		// 27 reports and token usage, in about the room 12 reports took with a gloss each.
		expect(TOOL_DESCRIPTION.length).toBeLessThan(DESCRIPTION_CHARACTERS_WITH_12_REPORTS * 1.25);
	});

	test('the Report the model fills is a $fromAI() naming every report and token_usage', () => {
		const report = toolParameter('report')?.default as string;
		expect(report).toMatch(
			/^=\{\{ \$fromAI\('reports', 'One or more names, comma-separated: .*', 'string'\) \}\}$/,
		);
		for (const api of [...Object.keys(PRODUCTS), 'token_usage']) expect(report).toContain(api);
		// What the model reads in all: the description and the parameter's.
		expect(TOOL_DESCRIPTION.length + report.length).toBeLessThan(1800);
	});

	test('the tool’s parameters show only on the tool; the node keeps its report list', () => {
		// As the editor holds it: every parameter at its default.
		const node = { ...billingNode(), parameters: { operation: 'getReport' } };
		const shown = (asTool: boolean) =>
			description.properties
				.filter((p: INodeProperties) =>
					NodeHelpers.displayParameter(node.parameters, p, node, {
						...description,
						name: asTool ? 'wolkvoxBillingTool' : 'wolkvoxBilling',
					}),
				)
				.map((p: INodeProperties) => `${p.name}:${p.type}`);
		expect(shown(false)).toEqual(['operation:options', 'report:options', 'options:collection']);
		expect(shown(true)).toEqual(['toolDescription:string', 'report:string', 'options:collection']);
	});
});

describe('what the model gets', () => {
	test('the report it chose, as one compact answer: report, month, operation and each product’s count', async () => {
		const result = await ask({ reports: 'ivr_minutes' });
		expect(result.error).toBeUndefined();
		expect(jsonOf(result)).toEqual([
			{
				report: 'ivr_minutes',
				month: queryDate(() => new Date()).slice(0, 7),
				operation: 'Andina Contact Center',
				rowCount: 2,
				rows: [
					{ description: 'IVR minutes inbound', items: 8731 },
					{ description: 'IVR minutes outbound', items: 1204 },
				],
			},
		]);
		expect(result.items[0].pairedItem).toEqual({ item: 0 });
		expect(fx.sim.billingRequests().map((r) => r.query.api)).toEqual(['ivr_minutes']);
	});

	test.each([
		[1, 1],
		[500, MAX_TOOL_ROWS],
	])(
		'%i rows: the answer lists at most 100, counts the rest, and stays small',
		async (count, listed) => {
			fx.sim.setReport('agent_script', generateRows(count));
			const [answer] = jsonOf(await ask({ reports: 'agent_script' }));
			expect(answer.rowCount).toBe(count);
			expect(answer.rows).toHaveLength(listed);
			expect(answer.rowsOmitted).toBe(count > listed ? count - listed : undefined);
			const size = JSON.stringify([answer]).length;
			expect(size).toBeLessThan(8000);
		},
	);

	test('an empty report is an answer with no rows, not an error', async () => {
		fx.sim.setReport('agent_script', []);
		expect(jsonOf(await ask({ reports: 'agent_script' }))).toEqual([
			expect.objectContaining({ report: 'agent_script', rowCount: 0, rows: [] }),
		]);
	});
});

describe('errors the model can act on', () => {
	test.each([
		[
			'a report Wolkvox does not know',
			'no_such_report',
			/^Wolkvox does not know the report “no_such_report”\. Use one of these report names: agent_script, /,
		],
		[
			'a name that is no report name',
			'IVR minutes please',
			/^“IVR minutes please” is not a Wolkvox report name\. Use one of these report names: agent_script, /,
		],
	])('%s: the message names the reports to use', async (_label, report, message) => {
		const result = await ask({ reports: report });
		expect(result.error?.message).toMatch(message);
		expect(result.error?.message).not.toMatch(/\n\s+at /);
	});

	test('other failures keep their own message', async () => {
		fx.sim.setQuota(TOKEN, { limit: 1, used: 1 });
		const result = await ask({ reports: 'agent_script' });
		expect(result.error?.message).toBe('The Wolkvox token’s daily quota is used up');
	});

	test('with On Error: Continue, the model reads the whole error item, what to do included', async () => {
		const result = await ask({ reports: 'no_such_report' }, { continueOnFail: true });
		expect(jsonOf(result)).toEqual([
			expect.objectContaining({
				kind: 'unknownReport',
				error: expect.stringMatching(/Use one of these report names/),
				description: expect.stringMatching(/Choose a report from the list/),
			}),
		]);
	});
});

describe('the rules hold in tool mode', () => {
	test('calls from several tool runs at once take turns on the token', async () => {
		fx.sim.latencyMs = 30;
		const results = await Promise.all(
			['agent_script', 'ivr_minutes', 'chat_licenses', 'amd_ai'].map(
				async (reports) => await ask({ reports }),
			),
		);
		for (const result of results) expect(result.error).toBeUndefined();
		expect(fx.sim.maxInFlight.get(TOKEN)).toBe(1);
	});

	test('a token the model is tricked into passing as the report is refused, and appears nowhere', async () => {
		logLines.length = 0;
		const result = await ask({ reports: TOKEN }, { continueOnFail: true });
		expect(fx.sim.requests).toHaveLength(0);
		const everything = JSON.stringify([result.items, result.error, logLines]);
		expect(everything.split(`"report":"${TOKEN}"`).join('')).not.toContain(TOKEN);
	});
});
