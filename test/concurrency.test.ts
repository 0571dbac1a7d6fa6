/**
 * One call at a time per token across the whole process: many executions at once queue instead
 * of colliding, and the wait counts toward each call's timeout.
 */
import { tokenQueues } from '../nodes/shared/tokenQueue';
import { jsonOf, TOKEN, useSimulator } from './support/engine/fixtures';
import { queryDate } from './support/simulator/data';

const fx = useSimulator();

test('100 executions started at once on one token: one call in flight at a time, each gets exactly its rows', async () => {
	fx.sim.latencyMs = 5;
	const reports = Array.from({ length: 100 }, (_, i) => `report_${String(i).padStart(3, '0')}`);
	reports.forEach((api, i) =>
		fx.sim.setReport(
			api,
			Array.from({ length: (i % 3) + 1 }, (_, row) => ({
				operation: 'Andina Contact Center',
				description: `${api} row ${row}`,
				items: String(i * 10 + row),
				date: queryDate(() => new Date()),
			})),
		),
	);

	const results = await Promise.all(
		reports.map(
			async (api) => await fx.run({ parameters: { report: 'custom', customReport: api } }),
		),
	);

	expect(fx.sim.maxInFlight.get(TOKEN)).toBe(1);
	expect(fx.sim.billingRequests()).toHaveLength(100);
	expect(fx.sim.billingRequests().every((r) => r.status === 200)).toBe(true);
	results.forEach((result, i) => {
		expect(result.error).toBeUndefined();
		expect(jsonOf(result)).toEqual(
			Array.from({ length: (i % 3) + 1 }, (_, row) => ({
				report: reports[i],
				operation: 'Andina Contact Center',
				description: `${reports[i]} row ${row}`,
				items: i * 10 + row,
				date: queryDate(() => new Date()),
			})),
		);
	});
	expect(tokenQueues.busy).toBe(0);
});

test('different tokens do not wait for each other', async () => {
	fx.sim.latencyMs = 300;
	fx.sim.tokens.set('second-token', { limit: 1000, description: 'other integration', used: 0 });
	const results = await Promise.all([fx.run(), fx.run({ token: 'second-token' })]);
	for (const result of results) expect(result.error).toBeUndefined();
	const [a, b] = fx.sim.billingRequests();
	// Both calls were at the simulator at the same time.
	expect(b.startedAt).toBeLessThan(a.endedAt ?? 0);
});

test('a call that cannot get the token within its timeout says so, and never reaches Wolkvox', async () => {
	fx.sim.latencyMs = 2500;
	const [first, second] = await Promise.all([
		fx.run({ parameters: { options: { timeout: 10 } } }),
		fx.run({ parameters: { report: 'ivr_calls', options: { timeout: 1, retries: 0 } } }),
	]);
	expect(first.error).toBeUndefined();
	expect(second.error).toMatchObject({
		name: 'NodeApiError',
		message: 'Waited 1 s for other calls on this Wolkvox token, and the timeout ran out',
	});
	expect(second.error?.description).toMatch(/one call at a time per token/);
	expect(fx.sim.billingRequests().map((r) => r.query.api)).toEqual(['agent_script']);
});

test('time spent waiting for the token counts toward the timeout, and the message says so', async () => {
	fx.sim.latencyMs = 1200;
	const [first, second] = await Promise.all([
		fx.run({ parameters: { options: { timeout: 10 } } }),
		fx.run({ parameters: { report: 'ivr_calls', options: { timeout: 2, retries: 0 } } }),
	]);
	expect(first.error).toBeUndefined();
	expect(second.error?.message).toBe('Wolkvox did not answer within 2 s');
	expect(second.error?.description).toMatch(
		/^The call first waited 1 s for other calls on this token; that counts toward the timeout\./,
	);
});
