/**
 * What an adversarial pass found, each as the behaviour a user expects: whole-call deadlines,
 * bounded answers, no token in URLs or messages, checked options, successes read as successes,
 * one queue per token, and honest messages after a call of ours timed out.
 */
import zlib from 'node:zlib';

import { generateRows } from './support/simulator/data';
import { jsonOf, TOKEN, useSimulator } from './support/engine/fixtures';
import { activateTrigger, logLines, runBilling } from './support/engine/harness';
import { startRecorder } from './support/engine/recorder';

/** A token of realistic shape: 32 random letters and digits. */
const KEY = 'Q7vK2mX9pL4tR8wZ3nB6cJ1hF5dS0gYa';
const fx = useSimulator({ tokens: { [TOKEN]: {}, [KEY]: {} } });
const withKey = (rest: Parameters<typeof fx.run>[0] = {}) => fx.run({ token: KEY, ...rest });

describe('Timeout bounds the whole call, body included', () => {
	test('headers at once, then a byte every 300 ms: the call ends at its Timeout', async () => {
		fx.sim.fail('slowBody', { bytesPerTick: 1, tickMs: 300 });
		const result = await fx.run({ parameters: { options: { timeout: 2, retries: 0 } } });
		expect(result.error).toMatchObject({ message: 'Wolkvox did not answer within 2 s' });
		// Wolkvox had sent its headers: the time ran out in the body.
		expect(fx.sim.billingRequests().map((r) => r.status)).toEqual([200]);
	});

	test('a call queued behind a slow body gets the token when that call’s Timeout ends', async () => {
		fx.sim.fail('slowBody', { bytesPerTick: 1, tickMs: 300 });
		const [slow, queued] = await Promise.all([
			fx.run({ parameters: { options: { timeout: 2, retries: 0 } } }),
			fx.run({ parameters: { report: 'ivr_calls', options: { timeout: 5, retries: 0 } } }),
		]);
		expect(slow.error).toMatchObject({ message: 'Wolkvox did not answer within 2 s' });
		expect(queued.error).toBeUndefined();
		expect(jsonOf(queued).map((row) => row.report)).toEqual(['ivr_calls']);
	});

	test('the trigger’s poll budget bounds a slow body too', async () => {
		fx.sim.fail('slowBody', { bytesPerTick: 1, tickMs: 300, times: Infinity });
		const trigger = activateTrigger({
			credentials: fx.credentials(),
			durableScheduler: true,
			pollBudgetMs: 3000,
			parameters: { options: { timeout: 60, retries: 3 } },
		});
		const { error } = await trigger.poll();
		expect(error).toMatchObject({ message: 'Wolkvox did not answer within 3 s' });
		expect(fx.sim.billingRequests()).toHaveLength(1);
	});
});

describe('answers are capped at 32 MB', () => {
	test('a 40 MB answer is refused as too large, and reading stops', async () => {
		const huge = Buffer.alloc(40 * 2 ** 20, ' ');
		huge.write('{"code":200,"data":[');
		fx.sim.setRawReport('agent_script', huge);
		const result = await fx.run({ parameters: { options: { retries: 0 } } });
		expect(result.error).toMatchObject({
			name: 'NodeApiError',
			message: 'Wolkvox’s answer is larger than 32 MB, and the node stopped reading it',
		});
		expect(result.error?.description).toMatch(/60,000 rows.*under 10 MB/);
	});

	test('a small gzip answer that inflates past the cap is refused the same way', async () => {
		const bomb = zlib.gzipSync(Buffer.alloc(100 * 2 ** 20, ' '));
		expect(bomb.length).toBeLessThan(200 * 1024);
		fx.sim.setRawReport('agent_script', bomb, 200, { 'content-encoding': 'gzip' });
		const result = await fx.run({ parameters: { options: { retries: 0 } } });
		expect(result.error).toMatchObject({
			message: 'Wolkvox’s answer is larger than 32 MB, and the node stopped reading it',
		});
	});

	test('a gzip answer under the cap is read as usual', async () => {
		const body = JSON.stringify({ code: 200, data: [{ description: 'Agent Script', items: '7' }] });
		fx.sim.setRawReport('agent_script', zlib.gzipSync(body), 200, { 'content-encoding': 'gzip' });
		const result = await fx.run();
		expect(jsonOf(result)).toEqual([
			{ description: 'Agent Script', items: 7, report: 'agent_script' },
		]);
	});
});

describe('an answer is read whole however it is sent', () => {
	const rows = generateRows(5_000);
	const body = JSON.stringify({ code: 200, error: null, msg: 'ok', data: rows });
	const expected = rows.map((row) => ({
		...row,
		items: Number(row.items),
		report: 'agent_script',
	}));

	test.each([
		['with its length declared', Buffer.from(body), {}],
		// The declared length is the compressed one, far shorter than the body read.
		[
			'compressed, longer than its declared length',
			zlib.gzipSync(body),
			{ 'content-encoding': 'gzip' },
		],
		['in chunks, with no length declared', Buffer.from(body), { 'content-length': null }],
	])('%s: every row, unchanged', async (_how, sent, headers) => {
		fx.sim.setRawReport('agent_script', sent, 200, headers);
		const result = await fx.run();
		expect(result.error).toBeUndefined();
		expect(jsonOf(result)).toEqual(expected);
	});
});

describe('the token never goes into a URL', () => {
	test.each([
		['the token itself', KEY],
		['the token in lower case', KEY.toLowerCase()],
		['the start of the token', KEY.slice(0, 12).toLowerCase()],
		['another key of the same shape', 'a3f9c2e8d7b6a5f4e3d2c1b0a9f8e7d6'],
	])(
		'Report Name holding %s is refused before any request, and not logged',
		async (_label, name) => {
			logLines.length = 0;
			const result = await withKey({ parameters: { report: 'custom', customReport: name } });
			expect(result.error).toMatchObject({
				name: 'NodeOperationError',
				message: `The report name given (${name.length} characters, not shown in case it is a secret) is not a Wolkvox report name`,
			});
			expect(fx.sim.requests).toHaveLength(0);
			expect(JSON.stringify(logLines)).not.toContain(name.slice(0, 8));
		},
	);

	test('real report names still pass, custom ones included', async () => {
		const result = await withKey({
			parameters: { report: 'custom', customReport: 'wp_connectors_official' },
		});
		expect(result.error).toBeUndefined();
		expect(fx.sim.billingRequests().map((r) => r.query.api)).toEqual(['wp_connectors_official']);
	});
});

describe('inputs that may be a secret are not repeated', () => {
	test.each([
		['Server', { server: 'Z9yX8wV7uT6sR5qP4oN3' }],
		['Base URL', { server: '0032', baseUrl: 'Z9yX8wV7uT6sR5qP4oN3' }],
		['Base URL with a scheme-like start', { server: '0032', baseUrl: 'Z9yX8wV7uT6sR5qP:4oN3' }],
	])(
		'a 20-character key typed into %s, with another token in Token, is not echoed',
		async (_label, fields) => {
			const result = await runBilling({ credentials: { token: KEY, ...fields } });
			expect(result.error).toMatchObject({ name: 'NodeOperationError' });
			const shown = JSON.stringify([result.error?.message, result.error?.description]);
			expect(shown).not.toContain('Z9yX8w');
		},
	);

	test('a near miss of a server number is still quoted, to help fix the typo', async () => {
		const result = await runBilling({ credentials: { token: KEY, server: 'wv0032.wolkvox.co' } });
		expect(result.error?.message).toBe(
			'The Server field of the Wolkvox credential is not a Wolkvox server number: "wv0032.wolkvox.co"',
		);
	});

	test('a 4-character token is refused with a readable message, not redacted words', async () => {
		const result = await runBilling({
			credentials: { server: '0032', token: 'HTTP', baseUrl: fx.url },
		});
		expect(result.error).toMatchObject({
			name: 'NodeOperationError',
			message:
				'The token in the Wolkvox API credential is too short to be a Wolkvox token (4 characters)',
		});
		expect(JSON.stringify(result.error)).not.toContain('[hidden]');
		expect(fx.sim.requests).toHaveLength(0);
	});
});

describe('options given by expression are checked before any request', () => {
	test.each([
		[
			'timeout',
			'={{ "abc" }}',
			/^The Timeout option must be a number of seconds from 1 to 600, not "abc"$/,
		],
		['timeout', '={{ NaN }}', /^The Timeout option must be a number of seconds from 1 to 600/],
		['timeout', '={{ Infinity }}', /^The Timeout option must be a number of seconds from 1 to 600/],
		['timeout', -5, /^The Timeout option must be a number of seconds from 1 to 600, not "-5"$/],
		['retries', '={{ NaN }}', /^The Retries option must be a whole number of tries from 0 to 10/],
		[
			'retries',
			2.5,
			/^The Retries option must be a whole number of tries from 0 to 10, not "2.5"$/,
		],
		[
			'maxRetryWait',
			'={{ -1 }}',
			/^The Max Retry Wait option must be a number of seconds from 0 to 300/,
		],
	])('%s = %j is refused, naming the option', async (option, value, message) => {
		const result = await fx.run({ parameters: { options: { [option]: value } } });
		expect(result.error).toMatchObject({ name: 'NodeOperationError' });
		expect(result.error?.message).toMatch(message);
		expect(result.error?.description).toMatch(/Open the node’s Options/);
		expect(fx.sim.requests).toHaveLength(0);
	});

	test('numbers given as text by an expression are taken', async () => {
		const result = await fx.run({ parameters: { options: { timeout: '={{ "30" }}' } } });
		expect(result.error).toBeUndefined();
	});
});

describe('a success is read as a success', () => {
	test.each([
		'No simultaneous requests were found',
		'Token limit exceeded: no',
		'TOKEN LIMIT EXCEEDED',
		'PLEASE VALIDATE TOKEN',
	])('code 200 with a data list and msg %j gives the rows', async (msg) => {
		fx.sim.setRawReport('agent_script', {
			code: 200,
			msg,
			data: [{ description: 'Agent Script', items: '42' }],
		});
		const result = await fx.run({ parameters: { options: { retries: 0 } } });
		expect(result.error).toBeUndefined();
		expect(jsonOf(result)).toEqual([
			{ description: 'Agent Script', items: 42, report: 'agent_script' },
		]);
	});

	test('documented texts are matched whole: a longer text is not read as one', async () => {
		fx.sim.setRawReport('agent_script', { code: 403, error: 'Token limit exceeded soon' }, 403);
		const result = await fx.run({ parameters: { options: { retries: 0 } } });
		expect(result.error).toMatchObject({
			message: 'Wolkvox refused the request (HTTP 403): Token limit exceeded soon',
		});
	});
});

test('two credentials with one token, reaching the same server by two names, take turns', async () => {
	fx.sim.latencyMs = 200;
	const viaLocalhost = fx.url.replace('127.0.0.1', 'localhost');
	const [a, b] = await Promise.all([
		runBilling({ credentials: fx.credentials() }),
		runBilling({ credentials: { server: '0032', token: TOKEN, baseUrl: viaLocalhost } }),
	]);
	expect(a.error).toBeUndefined();
	expect(b.error).toBeUndefined();
	expect(fx.sim.maxInFlight.get(TOKEN)).toBe(1);
});

describe('after a call of ours timed out', () => {
	test('the next call waits for it to end at Wolkvox, and succeeds', async () => {
		// The hung call goes on at the simulator for 1 s after our 1 s Timeout gave up on it.
		fx.sim.fail('hang', { holdMs: 2000 });
		const [hung, next] = await Promise.all([
			fx.run({ parameters: { options: { timeout: 1, retries: 0 } } }),
			fx.run({ parameters: { report: 'ivr_calls', options: { timeout: 5, retries: 3 } } }),
		]);
		expect(hung.error).toMatchObject({ message: 'Wolkvox did not answer within 1 s' });
		expect(next.error).toBeUndefined();
		const tries = fx.sim.billingRequests('ivr_calls');
		expect(tries.map((r) => r.status)).toEqual([403, 200]);
	});

	test('when it cannot wait, the message says our own call may still be running', async () => {
		fx.sim.fail('hang', { holdMs: 2000 });
		const [, next] = await Promise.all([
			fx.run({ parameters: { options: { timeout: 1, retries: 0 } } }),
			fx.run({ parameters: { report: 'ivr_calls', options: { timeout: 5, retries: 0 } } }),
		]);
		expect(next.error).toMatchObject({
			message: 'Another request was using this Wolkvox token at the same moment',
		});
		expect(next.error?.description).toMatch(
			/An earlier call from this n8n on this token timed out, and Wolkvox may still be working on it/,
		);
	});
});

describe('redirects are refused by the node', () => {
	test.each([301, 302, 303, 307, 308])(
		'a %i to another origin is an error, and the other origin receives nothing',
		async (status) => {
			const other = await startRecorder();
			try {
				fx.sim.fail('redirect', { status, location: `${other.url}/collect` });
				const result = await fx.run({ parameters: { options: { retries: 0 } } });
				expect(result.error).toMatchObject({
					message: `Wolkvox redirected the request elsewhere (HTTP ${status})`,
				});
				expect(other.requests).toEqual([]);
			} finally {
				await other.close();
			}
		},
	);

	test('a redirect whose host echoes the token does not show that host, in any case', async () => {
		fx.sim.fail('redirect', { location: `https://${KEY}.example.net/x` });
		const result = await withKey({ parameters: { options: { retries: 0 } } });
		const shown = JSON.stringify([result.error?.message, result.error?.description]);
		expect(shown.toLowerCase()).not.toContain(KEY.slice(0, 8).toLowerCase());
		expect(result.error?.description).toMatch(/The answer points to another address/);
	});
});
