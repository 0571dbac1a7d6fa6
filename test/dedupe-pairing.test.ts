/**
 * The node runs once per input item, but a report asked for by several items is fetched once
 * per run, and its rows are emitted for every item that asked, each paired to that item.
 */
import { jsonOf, useSimulator } from './support/engine/fixtures';

// Latency makes overlapping calls visible to the simulator's in-flight count.
const fx = useSimulator({ latencyMs: 40 });

test('identical reports are fetched once; rows are emitted per asking item, in input order', async () => {
	const input = [
		{ which: 'agent_script' },
		{ which: 'ivr_minutes' },
		{ which: 'agent_script' },
		{ which: 'chat_licenses' },
		{ which: 'ivr_minutes' },
	];
	const result = await fx.run({ parameters: { report: '={{ $json.which }}' }, input });
	expect(result.error).toBeUndefined();

	expect(fx.sim.billingRequests().map((r) => r.query.api)).toEqual([
		'agent_script',
		'ivr_minutes',
		'chat_licenses',
	]);
	expect(fx.sim.maxInFlight.get('sim-token-0032')).toBe(1);

	const emitted = result.items.map((item) => [
		item.pairedItem,
		item.json.report,
		item.json.description,
	]);
	expect(emitted).toEqual([
		[{ item: 0 }, 'agent_script', 'Agent Script'],
		[{ item: 1 }, 'ivr_minutes', 'IVR minutes inbound'],
		[{ item: 1 }, 'ivr_minutes', 'IVR minutes outbound'],
		[{ item: 2 }, 'agent_script', 'Agent Script'],
		[{ item: 3 }, 'chat_licenses', 'Chat licenses'],
		[{ item: 4 }, 'ivr_minutes', 'IVR minutes inbound'],
		[{ item: 4 }, 'ivr_minutes', 'IVR minutes outbound'],
	]);
	// Each item has its own objects: changing one downstream cannot change another.
	expect(result.items[0].json).not.toBe(result.items[3].json);
});

test('a listed report and the same name typed as a custom report are one query', async () => {
	const result = await fx.run({
		parameters: { report: '={{ $json.report }}', customReport: '={{ $json.custom }}' },
		input: [{ report: 'ivr_calls' }, { report: 'custom', custom: 'ivr_calls' }],
	});
	expect(result.error).toBeUndefined();
	expect(fx.sim.billingRequests()).toHaveLength(1);
	expect(result.items.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
});

test('per-item options shape the same rows differently', async () => {
	const result = await fx.run({
		parameters: { report: 'agent_script', options: { keepItemsAsText: '={{ $json.raw }}' } },
		input: [{ raw: false }, { raw: true }],
	});
	expect(jsonOf(result).map((r) => r.items)).toEqual([42, '42']);
	expect(fx.sim.billingRequests()).toHaveLength(1);
});

test('a failing report is asked once too, and each asking item gets the error', async () => {
	const result = await fx.run({
		parameters: { report: 'custom', customReport: 'no_such_report' },
		input: [{}, {}, {}],
		continueOnFail: true,
	});
	expect(fx.sim.billingRequests()).toHaveLength(1);
	expect(result.items).toEqual(
		[0, 1, 2].map((item) => ({
			json: {
				error: 'Wolkvox does not know the report “no_such_report”',
				kind: 'unknownReport',
				httpCode: 400,
				retryable: false,
				description: expect.stringMatching(
					/^Wolkvox answered “THE API YOU WANT TO CONSULT DOES NOT EXIST”/,
				),
			},
			pairedItem: { item },
		})),
	);
});

test('each run fetches afresh: answers are not kept between executions', async () => {
	await fx.run();
	await fx.run();
	expect(fx.sim.billingRequests('agent_script')).toHaveLength(2);
});

test('two executions at once on one token take turns instead of colliding', async () => {
	const results = await Promise.all([
		fx.run({ parameters: { report: 'agent_script' } }),
		fx.run({ parameters: { report: 'ivr_calls' } }),
		fx.run({ parameters: { report: 'amd_ai' } }),
	]);
	for (const result of results) expect(result.error).toBeUndefined();
	expect(fx.sim.billingRequests()).toHaveLength(3);
	expect(fx.sim.maxInFlight.get('sim-token-0032')).toBe(1);
});
