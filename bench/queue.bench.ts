/**
 * The per-token queue under load (issue: holds under load and faults).
 * 1. Throughput of 100 executions started at once on one token, against a simulator answering in
 *    50 ms: calls are serialised, so the ideal is one call per (50 ms + one call's own cost).
 *    Baseline, measured in the same run: one execution alone, repeated.
 * 2. What the queue adds to a single call: TokenQueues.run around a no-op vs the no-op alone.
 * Prints figures; asserts only that the runs succeeded.
 */
import { queueKey, TokenQueues } from '../nodes/shared/tokenQueue';

const queues = new TokenQueues();
import { TOKEN, useSimulator } from '../test/support/engine/fixtures';

const fx = useSimulator();
const LATENCY_MS = 50;
const median = (values: number[]) =>
	[...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

test('throughput of 100 concurrent executions on one token', async () => {
	fx.sim.latencyMs = LATENCY_MS;
	await fx.run(); // warm-up

	const singles: number[] = [];
	for (let i = 0; i < 20; i++) {
		const started = performance.now();
		const result = await fx.run();
		singles.push(performance.now() - started);
		expect(result.error).toBeUndefined();
	}
	const single = median(singles);

	const rounds: number[] = [];
	for (let round = 0; round < 3; round++) {
		fx.sim.clearRecords();
		const started = performance.now();
		const results = await Promise.all(Array.from({ length: 100 }, async () => await fx.run()));
		rounds.push(performance.now() - started);
		expect(results.every((r) => r.error === undefined && r.items.length === 1)).toBe(true);
		expect(fx.sim.maxInFlight.get(TOKEN)).toBe(1);
	}
	const burst = median(rounds);
	const perCall = burst / 100;
	console.log(
		[
			`simulator latency: ${LATENCY_MS} ms`,
			`one execution alone (median of 20): ${single.toFixed(1)} ms`,
			`100 at once (median of 3 rounds): ${burst.toFixed(0)} ms = ${perCall.toFixed(1)} ms per call, ${(1000 / perCall).toFixed(1)} calls/s`,
			`per call in the burst / one execution alone: ${(perCall / single).toFixed(2)}`,
			`per call in the burst / simulator latency: ${(perCall / LATENCY_MS).toFixed(2)}`,
		].join('\n'),
	);
});

test('overhead of the queue on a single call', async () => {
	const key = queueKey('bench-token');
	const noop = async () => 1;
	const N = 200_000;
	const measure = async (fn: () => Promise<number>) => {
		const started = performance.now();
		for (let i = 0; i < N; i++) await fn();
		return ((performance.now() - started) * 1000) / N; // µs per call
	};
	await measure(noop);
	await measure(async () => await queues.run(key, noop));
	const bare: number[] = [];
	const queued: number[] = [];
	for (let round = 0; round < 5; round++) {
		bare.push(await measure(noop));
		queued.push(await measure(async () => await queues.run(key, noop)));
	}
	const added = median(queued) - median(bare);
	console.log(
		[
			`no-op alone: ${median(bare).toFixed(3)} µs per call`,
			`no-op through the queue: ${median(queued).toFixed(3)} µs per call`,
			`added by the queue: ${added.toFixed(3)} µs per call (${(added / 1000).toFixed(5)} ms); queued / alone: ${(median(queued) / median(bare)).toFixed(1)}`,
		].join('\n'),
	);
});
