/**
 * In-process figures for npm run bench (bench/bench.js runs this file and reads BENCH_OUT):
 *  - floor: fetch the body from the simulator, JSON.parse, one n8n item object per row;
 *  - node: Start -> Wolkvox Billing in n8n's real engine (WorkflowExecute) on the same body;
 *  - time per row at each size.
 * With BENCH_MEMORY=<rows> it measures peak RSS growth instead, for one of floor/node
 * (BENCH_MEMORY_OF), in this fresh process.
 */
import fs from 'node:fs';

import { generateRows } from '../test/support/simulator/data';
import { unpinClock } from '../test/support/engine/clock';
import { TOKEN, useSimulator } from '../test/support/engine/fixtures';

const fx = useSimulator();
// n8n times a node with Date.now(), which the tests' pinned calendar would stop: the bench needs
// the real clock (and reads no date).
beforeEach(() => unpinClock());
const SIZES = [1_000, 10_000, 60_000];
const median = (values: number[]) =>
	[...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

function bodyOf(rows: number): string {
	return JSON.stringify({
		code: 200,
		error: null,
		msg: 'Information found for the current month',
		data: generateRows(rows),
	});
}

async function floor(): Promise<number> {
	const response = await fetch(`${fx.url}/api/v2/billing.php?api=agent_script`, {
		headers: { 'wolkvox-token': TOKEN },
	});
	const envelope = JSON.parse(await response.text()) as { data: object[] };
	const items = new Array(envelope.data.length);
	for (let i = 0; i < envelope.data.length; i++)
		items[i] = { json: envelope.data[i], pairedItem: { item: 0 } };
	return items.length;
}

async function node(): Promise<{ items: number; executionTime: number }> {
	const result = await fx.run();
	if (result.error) throw new Error(String(result.error.message));
	const task = result.run.data.resultData.runData['Wolkvox Billing'][0];
	return { items: result.items.length, executionTime: task.executionTime };
}

async function timed<T>(fn: () => Promise<T>): Promise<[number, T]> {
	const started = performance.now();
	const value = await fn();
	return [performance.now() - started, value];
}

const memoryRows = Number(process.env.BENCH_MEMORY ?? 0);
const profileRuns = Number(process.env.BENCH_PROFILE ?? 0);

// For `node --cpu-prof`: BENCH_PROFILE=<runs> runs the node that many times at 60,000 rows.
(profileRuns ? test : test.skip)('profile the node at 60k rows', async () => {
	fx.sim.setRawReport('agent_script', Buffer.from(bodyOf(60_000)));
	for (let i = 0; i < profileRuns; i++) expect((await node()).items).toBe(60_000);
});

(memoryRows || profileRuns ? test.skip : test)('floor vs node, per size', async () => {
	const results: Record<string, unknown> = {};
	for (const rows of SIZES) {
		const body = bodyOf(rows);
		fx.sim.setRawReport('agent_script', body);
		const runs = rows >= 60_000 ? 7 : 11;
		// Warm-up, then alternate floor and node so drift affects both alike.
		await floor();
		await node();
		const floors: number[] = [];
		const nodes: number[] = [];
		const nodeOwn: number[] = [];
		for (let i = 0; i < runs; i++) {
			const [f, count] = await timed(floor);
			expect(count).toBe(rows);
			floors.push(f);
			const [n, result] = await timed(node);
			expect(result.items).toBe(rows);
			nodes.push(n);
			nodeOwn.push(result.executionTime);
		}
		results[rows] = {
			bodyBytes: Buffer.byteLength(body),
			floorMs: median(floors),
			workflowMs: median(nodes),
			nodeMs: median(nodeOwn),
			runs,
		};
	}
	if (process.env.BENCH_OUT)
		fs.writeFileSync(process.env.BENCH_OUT, JSON.stringify(results, null, 2));
	console.log(JSON.stringify(results, null, 2));
});

(memoryRows ? test : test.skip)('peak memory growth at one size', async () => {
	const which = process.env.BENCH_MEMORY_OF === 'floor' ? floor : node;
	// A small run first loads and compiles everything.
	fx.sim.setRawReport('agent_script', bodyOf(10));
	await which();
	// The answer as bytes, ready to send: the simulator (in this process) then adds nothing.
	const body = Buffer.from(bodyOf(memoryRows));
	fx.sim.setRawReport('agent_script', body);
	global.gc?.();
	const before = process.memoryUsage.rss();
	let peak = before;
	const sampler = setInterval(() => {
		peak = Math.max(peak, process.memoryUsage.rss());
	}, 1);
	const items = await which();
	peak = Math.max(peak, process.memoryUsage.rss());
	clearInterval(sampler);
	expect(typeof items === 'number' ? items : items.items).toBe(memoryRows);
	const result = {
		of: process.env.BENCH_MEMORY_OF ?? 'node',
		rows: memoryRows,
		bodyBytes: body.length,
		rssBefore: before,
		peakGrowth: peak - before,
	};
	if (process.env.BENCH_OUT)
		fs.writeFileSync(process.env.BENCH_OUT, JSON.stringify(result, null, 2));
	console.log(JSON.stringify(result));
});
