/**
 * Get Token Usage: the token's daily quota from information.php?api=token_info, as one item with
 * its counts as numbers and the calls left today. It follows every rule the billing calls
 * follow (one call per token at a time, retries, deadlines, error kinds, On Error: Continue, no
 * token anywhere), and the AI tool offers it as `token_usage`.
 */
import { logLines } from './support/engine/harness';
import { jsonOf, TOKEN, useSimulator } from './support/engine/fixtures';
import { PRODUCTS } from './support/simulator/data';

const OTHER = 'sim-token-other-0032';
const fx = useSimulator({ tokens: { [TOKEN]: {}, [OTHER]: {} } });
const usage = { operation: 'getTokenUsage' };

describe('Get Token Usage', () => {
	test('one item: the limit, the uses today (this call included), everyone’s, and the calls left', async () => {
		fx.sim.setQuota(TOKEN, { limit: 3000, used: 41 });
		fx.sim.setQuota(OTHER, { used: 100 });
		const result = await fx.run({ parameters: usage });
		expect(result.error).toBeUndefined();
		expect(result.items).toEqual([
			{
				json: {
					description: 'n8n integration',
					token_limit: 3000,
					token_use_today: 42,
					all_token_today: 142,
					available_consumption_options: 2958,
					calls_left_today: 2958,
				},
				pairedItem: { item: 0 },
			},
		]);
		const [request] = fx.sim.requests;
		expect([request.path, request.query]).toEqual([
			'/api/v2/information.php',
			{ api: 'token_info' },
		]);
	});

	test('the collection’s placeholders stay text, never 0; calls left is then unknown', async () => {
		fx.sim.useCollectionExamples();
		expect(jsonOf(await fx.run({ parameters: usage }))).toEqual([
			{
				description: ' ',
				token_limit: ' ',
				token_use_today: ' ',
				all_token_today: ' ',
				available_consumption_options: ' ',
				calls_left_today: null,
			},
		]);
	});

	test('several input items share one call, each gets its item', async () => {
		const result = await fx.run({ parameters: usage, input: [{}, {}, {}] });
		expect(result.items.map((item) => item.pairedItem)).toEqual([
			{ item: 0 },
			{ item: 1 },
			{ item: 2 },
		]);
		expect(fx.sim.requests).toHaveLength(1);
	});

	test('Get Report chosen explicitly fetches the report, not the usage', async () => {
		// Operation takes no expression (n8n's rule for it): one run is one operation.
		const result = await fx.run({
			parameters: { operation: 'getReport', report: '={{ $json.report }}' },
			input: [{ report: 'agent_script' }],
		});
		expect(jsonOf(result).map((json) => json.report)).toEqual(['agent_script']);
		expect(fx.sim.requests.map((r) => r.query.api)).toEqual(['agent_script']);
	});

	test('takes turns with billing calls on the token: one call at a time', async () => {
		fx.sim.latencyMs = 40;
		const results = await Promise.all([
			fx.run({ parameters: usage }),
			fx.run({ parameters: { report: 'ivr_minutes' } }),
			fx.run({ parameters: usage }),
			fx.run({ parameters: { report: 'tts_chars' } }),
		]);
		for (const result of results) expect(result.error).toBeUndefined();
		expect(fx.sim.maxInFlight.get(TOKEN)).toBe(1);
	});

	test('a busy token is retried, then answers', async () => {
		fx.sim.fail('simultaneous', { times: 2 });
		const result = await fx.run({ parameters: usage });
		expect(result.error).toBeUndefined();
		expect(fx.sim.requests.map((r) => r.status)).toEqual([403, 403, 200]);
	});

	test.each([
		[
			'a rejected token',
			() => {},
			{ token: 'wrong-token-0000' },
			{ kind: 'rejectedToken', retryable: false, message: 'Wolkvox rejected the token' },
		],
		[
			'a used-up quota',
			() => fx.sim.setQuota(TOKEN, { limit: 5, used: 5 }),
			{},
			{
				kind: 'quotaExceeded',
				retryable: true,
				message: 'The Wolkvox token’s daily quota is used up',
			},
		],
		[
			'a web page instead of data',
			() => fx.sim.fail('html502', { times: Infinity }),
			{},
			{
				kind: 'htmlBody',
				retryable: true,
				message: 'Wolkvox answered with a web page instead of data (HTTP 502)',
			},
		],
		[
			'no answer within the Timeout',
			() => fx.sim.fail('hang', { holdMs: 1500 }),
			{ options: { timeout: 1 } },
			{ kind: 'timeout', retryable: true, message: 'Wolkvox did not answer within 1 s' },
		],
	])('%s: an error item with its kind, and no token', async (_label, arrange, extra, expected) => {
		arrange();
		logLines.length = 0;
		const { options, token } = extra as { options?: object; token?: string };
		const result = await fx.run({
			...(token ? { token } : {}),
			parameters: { ...usage, options: { retries: 0, ...options } },
			continueOnFail: true,
		});
		const { message, ...facts } = expected;
		expect(jsonOf(result)).toEqual([expect.objectContaining({ ...facts, error: message })]);
		expect(JSON.stringify([result.run, logLines])).not.toContain(TOKEN);
	});
});

describe('as an AI tool', () => {
	const ask = (reports: string, rest: Parameters<typeof fx.run>[0] = {}) =>
		fx.run({ tool: true, input: [{ reports }], ...rest });

	test('token_usage: how many calls are left today', async () => {
		fx.sim.setQuota(TOKEN, { limit: 1000, used: 9 });
		expect(jsonOf(await ask('token_usage'))).toEqual([
			{
				report: 'token_usage',
				dailyLimit: 1000,
				usedToday: 10,
				allTokensUsedToday: 10,
				callsLeftToday: 990,
			},
		]);
	});

	test('several reports in one call: one answer each, one Wolkvox call each, one at a time', async () => {
		fx.sim.latencyMs = 20;
		const [answer] = jsonOf(await ask('agent_script, ivr_minutes; token_usage, agent_script'));
		const answers = answer.answers as Array<{ report: string }>;
		expect(answers.map((a) => a.report)).toEqual(['agent_script', 'ivr_minutes', 'token_usage']);
		expect(fx.sim.requests.map((r) => r.query.api)).toEqual([
			'agent_script',
			'ivr_minutes',
			'token_info',
		]);
		expect(fx.sim.maxInFlight.get(TOKEN)).toBe(1);
	});

	test('all 27 reports and token_usage in one call stay within one answer’s size', async () => {
		const all = [...Object.keys(PRODUCTS), 'token_usage'].join(', ');
		const [answer] = jsonOf(await ask(all));
		expect((answer.answers as unknown[]).length).toBe(28);
		expect(JSON.stringify(answer).length).toBeLessThanOrEqual(16_000 + 100);
	});

	test('a wrong name among good ones gets its own error entry; the others are answered', async () => {
		const [answer] = jsonOf(await ask('agent_script, no_such_report, IVR minutes please'));
		expect(answer.answers).toEqual([
			expect.objectContaining({ report: 'agent_script', rowCount: 1 }),
			{
				report: 'no_such_report',
				error: expect.stringMatching(
					/^Wolkvox does not know the report “no_such_report”\. Use one of these report names: .*token_usage$/,
				),
			},
			{
				error: expect.stringMatching(/^“IVR minutes please” is not a Wolkvox report name\./),
			},
		]);
	});

	test('a failure of the token fails the whole call, with its own message', async () => {
		fx.sim.setQuota(TOKEN, { limit: 1, used: 1 });
		const result = await ask('agent_script, token_usage');
		expect(result.error?.message).toBe('The Wolkvox token’s daily quota is used up');
	});

	test('more names than there are reports are refused before any call', async () => {
		const result = await ask(Array.from({ length: 40 }, (_, i) => `report_${i}`).join(','));
		expect(result.error?.message).toMatch(
			/^40 report names were given; at most 28 are asked at once\. Use one of these report names: /,
		);
		expect(fx.sim.requests).toHaveLength(0);
	});
});
