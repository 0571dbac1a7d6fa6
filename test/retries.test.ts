/**
 * Bounded retries with backoff on failures that can pass; none on failures that cannot.
 * (Backoff is shortened 100× by the test fixture; the schedule is otherwise production's.)
 */
import { logLines } from './support/engine/harness';
import { TOKEN, jsonOf, useSimulator } from './support/engine/fixtures';

const fx = useSimulator();

const RETRYABLE: Array<[string, RegExp]> = [
	['reset', /^The connection to .* closed before Wolkvox answered/],
	['hang', /^Wolkvox did not answer within 1 s/],
	['status500', /^Wolkvox answered HTTP 500/],
	['status503', /^Wolkvox answered HTTP 503/],
	['status429', /^Wolkvox answered HTTP 429/],
	['html502', /^Wolkvox answered with a web page instead of data \(HTTP 502\)/],
	['truncated', /^Wolkvox’s answer was cut off/],
	['maintenance403', /^Wolkvox refused the request \(HTTP 403\) without saying why/],
	['simultaneous', /^Another request was using this Wolkvox token at the same moment/],
];

// Timeouts of 1 s keep the hang cases short.
const options = { timeout: 1 };

describe.each(RETRYABLE)('%s', (fault, message) => {
	test('recovers when the fault passes: the retried call’s rows replace, never add to, the failed one', async () => {
		fx.sim.fail(fault, { times: 2, holdMs: 1100 });
		const result = await fx.run({
			parameters: { report: 'ivr_minutes', options: { ...options, retries: 8 } },
		});
		expect(result.error).toBeUndefined();
		expect(jsonOf(result).map((r) => r.description)).toEqual([
			'IVR minutes inbound',
			'IVR minutes outbound',
		]);
		// What each call got: the fault twice, then (for a hang, while the timed-out call still
		// holds the token at Wolkvox) SIMULTANEOUS answers, then one clean answer, the last.
		const answers = fx.sim.billingRequests().map((r) => r.fault ?? r.status);
		expect(answers.slice(0, 2)).toEqual([fault, fault]);
		expect(answers[answers.length - 1]).toBe(200);
		expect(answers.slice(2, -1).every((a) => a === 403)).toBe(true);
		if (fault !== 'hang') expect(answers).toHaveLength(3);
	});

	test('fails after the last retry, naming the cause and the number of attempts', async () => {
		fx.sim.fail(fault, { times: Infinity, holdMs: 1100 });
		const result = await fx.run({ parameters: { options } });
		expect(fx.sim.billingRequests()).toHaveLength(4);
		expect(result.error?.message).toMatch(message);
		expect(result.error?.message).toMatch(/\(after 4 attempts\)$/);
		expect(result.error?.description).toMatch(
			/^The node tried 4 times, waiting [\d.]+ s between tries in all\./,
		);
	});
});

describe('never retried', () => {
	test.each([
		['a rejected token', () => {}, { token: 'wrong-token' }, 'Wolkvox rejected the token'],
		[
			'a used-up quota',
			() => fx.sim.setQuota(TOKEN, { limit: 0 }),
			{},
			'The Wolkvox token’s daily quota is used up',
		],
		[
			'an unknown report',
			() => {},
			{ parameters: { report: 'custom', customReport: 'nope' } },
			'Wolkvox does not know the report “nope”',
		],
		[
			'a missing parameter',
			() =>
				fx.sim.setRawReport(
					'agent_script',
					{ code: 400, error: 'SOME PARAMETERS ARE REQUIRED' },
					400,
				),
			{},
			'Wolkvox says a required parameter is missing',
		],
		[
			'a redirect',
			() => fx.sim.fail('redirect', { times: Infinity }),
			{},
			'Wolkvox redirected the request elsewhere (HTTP 302)',
		],
		[
			'a 200 that is not JSON',
			() => fx.sim.fail('notJson', { times: Infinity }),
			{},
			'Wolkvox’s answer is not JSON (HTTP 200)',
		],
	])('%s', async (_label, arrange, runOptions, message) => {
		arrange();
		const result = await fx.run(runOptions);
		expect(result.error?.message).toBe(message);
		expect(fx.sim.requests).toHaveLength(1);
	});

	test('bad parameters (refused before any request)', async () => {
		const result = await fx.run({ parameters: { report: 'custom', customReport: '' } });
		expect(result.error?.name).toBe('NodeOperationError');
		expect(fx.sim.requests).toHaveLength(0);
	});
});

describe('another app holding the token', () => {
	test('the node retries until the token is free, and succeeds', async () => {
		fx.sim.holdToken(TOKEN, 150);
		const result = await fx.run({
			parameters: { options: { retries: 10, maxRetryWait: 30 } },
		});
		expect(result.error).toBeUndefined();
		expect(jsonOf(result)).toHaveLength(1);
		const statuses = fx.sim.billingRequests().map((r) => r.status);
		expect(statuses.length).toBeGreaterThan(1);
		expect(statuses.slice(0, -1).every((s) => s === 403)).toBe(true);
		expect(statuses[statuses.length - 1]).toBe(200);
	});

	test('with retries off it fails at once with the clear message', async () => {
		fx.sim.holdToken(TOKEN, 60_000);
		const result = await fx.run({ parameters: { options: { retries: 0 } } });
		expect(fx.sim.billingRequests()).toHaveLength(1);
		expect(result.error).toMatchObject({
			name: 'NodeApiError',
			httpCode: '403',
			message: 'Another request was using this Wolkvox token at the same moment',
		});
		expect(result.error?.description).toMatch(/give each integration its own token/);
	});
});

describe('bounds', () => {
	test('Retries sets how many tries follow the first', async () => {
		fx.sim.fail('status503', { times: Infinity });
		const result = await fx.run({ parameters: { options: { retries: 1 } } });
		expect(fx.sim.requests).toHaveLength(2);
		expect(result.error?.message).toBe(
			'Wolkvox answered HTTP 503: Service Unavailable (after 2 attempts)',
		);
	});

	test('Max Retry Wait caps the total wait: with 0 s there is no retry', async () => {
		fx.sim.fail('status503', { times: Infinity });
		const result = await fx.run({ parameters: { options: { retries: 5, maxRetryWait: 0 } } });
		expect(fx.sim.requests).toHaveLength(1);
		expect(result.error?.message).toBe('Wolkvox answered HTTP 503: Service Unavailable');
	});

	test('every retry is logged at debug level, naming the try and the cause, without the token', async () => {
		logLines.length = 0;
		fx.sim.fail('html502', { times: 2 });
		await fx.run();
		const retries = logLines.filter(
			(l) => l.level === 'debug' && /retrying in \d+ ms/.test(l.message),
		);
		expect(retries.map((l) => l.message.replace(/\d+ ms/, 'N ms'))).toEqual([
			'Wolkvox /api/v2/billing.php?api=agent_script: try 1 of 4 failed (htmlBody, HTTP 502); retrying in N ms',
			'Wolkvox /api/v2/billing.php?api=agent_script: try 2 of 4 failed (htmlBody, HTTP 502); retrying in N ms',
		]);
		expect(JSON.stringify(logLines)).not.toContain(TOKEN);
	});
});
