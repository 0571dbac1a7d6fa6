/**
 * The Wolkvox API credential: the token goes only in the wolkvox-token header and only to the
 * credential's own server; the Test button's request reaches token_info through `authenticate`.
 */
import type { ICredentialDataDecryptedObject, IHttpRequestOptions } from 'n8n-workflow';

import { TOKEN_HEADER, WolkvoxApi } from '../credentials/WolkvoxApi.credentials';
import { WolkvoxSetupError } from '../nodes/shared/setupError';
import { runCredentialTest } from './support/engine/harness';
import { TOKEN, useSimulator } from './support/engine/fixtures';
import { startRecorder } from './support/engine/recorder';

const credential = new WolkvoxApi();
/** A token of realistic length. */
const KEY = 'k7Q2x9Lm4Rt8Vb1N';

describe('authenticate', () => {
	const authenticate = async (
		credentials: ICredentialDataDecryptedObject,
		options: IHttpRequestOptions,
	) => await credential.authenticate(credentials, options);

	test('keeps the field names users’ saved credentials depend on', () => {
		expect(credential.name).toBe('wolkvoxApi');
		expect(credential.displayName).toBe('Wolkvox API');
		expect(credential.properties.filter((p) => p.type !== 'notice').map((p) => p.name)).toEqual([
			'server',
			'token',
			'baseUrl',
		]);
		const token = credential.properties.find((p) => p.name === 'token');
		expect(token?.typeOptions?.password).toBe(true);
		expect(token?.description).toMatch(/daily quota.*Test button’s one call/);
	});

	test('adds the token header and the server’s base URL to a relative request', async () => {
		const options = await authenticate(
			{ server: 'wv0032', token: ` ${KEY} ` },
			{
				url: '/api/v2/billing.php',
				qs: { api: 'agent_script' },
				headers: { Accept: 'application/json' },
			},
		);
		expect(options.baseURL).toBe('https://wv0032.wolkvox.com');
		expect(options.headers).toEqual({ Accept: 'application/json', [TOKEN_HEADER]: KEY });
		expect(options.qs).toEqual({ api: 'agent_script' });
	});

	test.each([
		['an absolute URL on another host', { url: 'https://attacker.example/collect' }],
		['a base URL of another host', { baseURL: 'https://attacker.example', url: '/api' }],
		['a look-alike host', { url: 'https://wv0032.wolkvox.com.attacker.example/api' }],
		['plain http to the Wolkvox host', { url: 'http://wv0032.wolkvox.com/api' }],
		// axios reads //host as absolute: it must not pass as a path under the base URL.
		['a protocol-relative URL', { url: '//attacker.example/collect' }],
	])('refuses to attach the token to %s', async (_label, request) => {
		await expect(
			authenticate({ server: '0032', token: KEY }, request as IHttpRequestOptions),
		).rejects.toThrow(/only sends its token to its own server/);
	});

	test('request-style callers (HTTP Request with this credential) are held to the same rule', async () => {
		const credentials = { server: '0032', token: KEY };
		const asRequest = (options: object) => options as IHttpRequestOptions;
		await expect(
			authenticate(credentials, asRequest({ uri: 'https://attacker.example/collect' })),
		).rejects.toThrow(/only sends its token to its own server/);
		// n8n sends to `url` when both are given: that is the one checked.
		await expect(
			authenticate(
				credentials,
				asRequest({ url: 'https://attacker.example/x', uri: 'https://wv0032.wolkvox.com/api' }),
			),
		).rejects.toThrow(/only sends its token to its own server/);
		const ok = await authenticate(
			credentials,
			asRequest({ uri: 'https://wv0032.wolkvox.com/api/v2/billing.php?api=ivr_calls' }),
		);
		expect(ok.headers?.[TOKEN_HEADER]).toBe(KEY);
	});

	test('with a Base URL, requests under it get the token, others do not', async () => {
		const credentials = { server: '0032', token: KEY, baseUrl: 'https://proxy.example/wolkvox' };
		const ok = await authenticate(credentials, { url: '/api/v2/billing.php' });
		expect(ok.baseURL).toBe('https://proxy.example/wolkvox');
		await expect(
			authenticate(credentials, { url: 'https://wv0032.wolkvox.com/api/v2/billing.php' }),
		).rejects.toBeInstanceOf(WolkvoxSetupError);
	});

	test('every request it authenticates is told not to follow redirects, in both of n8n’s request styles', async () => {
		const options = (await authenticate(
			{ server: '0032', token: KEY },
			{ url: '/x' },
		)) as IHttpRequestOptions & Record<string, unknown>;
		expect(options).toMatchObject({
			disableFollowRedirect: true,
			followRedirect: false,
			followAllRedirects: false,
			maxRedirects: 0,
		});
	});

	test.each(['', 'abc', 'HTTP', '1234567'])(
		'a token shorter than 8 characters (%j) is refused before any request, with a readable message',
		async (short) => {
			await expect(authenticate({ server: '0032', token: short }, { url: '/x' })).rejects.toThrow(
				short === ''
					? 'The Token field of the Wolkvox API credential is empty'
					: `The token in the Wolkvox API credential is too short to be a Wolkvox token (${short.length} characters)`,
			);
		},
	);

	test('a malformed server is refused, naming the Server field', async () => {
		await expect(authenticate({ server: 'wolkvox', token: KEY }, { url: '/x' })).rejects.toThrow(
			/Server field/,
		);
	});
});

describe('the Test button’s request', () => {
	const fx = useSimulator();

	test('a good token: GET /api/v2/information.php?api=token_info, one unit of quota', async () => {
		const result = await runCredentialTest(fx.credentials());
		expect(result.ok).toBe(true);
		expect(fx.sim.requests).toHaveLength(1);
		const [request] = fx.sim.requests;
		expect([request.method, request.path, request.query, request.token]).toEqual([
			'GET',
			'/api/v2/information.php',
			{ api: 'token_info' },
			TOKEN,
		]);
		expect(fx.sim.tokens.get(TOKEN)?.used).toBe(1);
		expect(result.ok && (result.body as { data: unknown[] }).data[0]).toMatchObject({
			token_use_today: '1',
		});
	});

	test('a rejected token fails the test with HTTP 403', async () => {
		const result = await runCredentialTest({
			server: '0032',
			token: 'wrong-token-0000',
			baseUrl: fx.url,
		});
		expect(result.ok).toBe(false);
		// n8n 2.8 shows this status with its own words ("Forbidden - perhaps check your
		// credentials?"); the credential's responseCode rules give Wolkvox's reasons where n8n
		// keeps the status on the error.
		expect(!result.ok && result.error).toMatchObject({ httpCode: '403' });
		const rule = credential.test.rules?.find(
			(r) => r.type === 'responseCode' && r.properties.value === 403,
		);
		expect(rule?.properties.message).toMatch(/refused the token.*invalid or expired.*daily quota/);
	});

	test.each([301, 302, 303, 307, 308])(
		'a %i to another origin fails the test, and the other origin receives nothing',
		async (status) => {
			const other = await startRecorder();
			try {
				fx.sim.fail('redirect', {
					status,
					location: `${other.url}/api/v2/information.php?api=token_info`,
				});
				const result = await runCredentialTest(fx.credentials());
				expect(result.ok).toBe(false);
				expect(fx.sim.requests.map((r) => r.status)).toEqual([status]);
				expect(other.requests).toEqual([]);
			} finally {
				await other.close();
			}
		},
	);

	test.each(['notJson', 'empty200', 'html200'])(
		'a 200 that is not Wolkvox’s answer (%s) does not pass the test',
		async (fault) => {
			fx.sim.fail(fault);
			const result = await runCredentialTest(fx.credentials());
			expect(result.ok).toBe(false);
			expect(!result.ok && result.error.message).toBe(
				'The server answered, but not as Wolkvox’s API does (no code and data in its answer). Check the Server number, or the Base URL if you set one.',
			);
		},
	);

	test('the rules that tell Wolkvox’s answer from any 200: a code and a data list', () => {
		const rules = (credential.test.rules ?? []) as Array<{
			type: string;
			properties: Record<string, unknown>;
		}>;
		const bodyRules = rules.filter((rule) => rule.type === 'responseSuccessBody');
		expect(bodyRules.map((rule) => [rule.properties.key, rule.properties.value])).toEqual([
			['code', undefined],
			['data', undefined],
			['data', null],
		]);
	});

	test('a server that never answers ends the test at its own deadline (20 s)', async () => {
		// Held for ten minutes: without a deadline, jest's limit below would end the test.
		fx.sim.fail('hang', { holdMs: 600_000 });
		const result = await runCredentialTest(fx.credentials());
		expect(result.ok).toBe(false);
	}, 45_000);

	test('a server that trickles its answer is bounded as a whole, not per silence', async () => {
		fx.sim.fail('slowBody', { bytesPerTick: 1, tickMs: 1000 });
		const result = await runCredentialTest(fx.credentials());
		expect(result.ok).toBe(false);
	}, 45_000);

	test('a malformed server fails the test before any request, naming the Server field', async () => {
		const result = await runCredentialTest({ server: 'wv0032.wolkvox.co', token: TOKEN });
		expect(result.ok).toBe(false);
		expect(!result.ok && result.error.message).toBe(
			'The Server field of the Wolkvox credential is not a Wolkvox server number: "wv0032.wolkvox.co"',
		);
		expect(fx.sim.requests).toHaveLength(0);
	});

	test('a token pasted into Server is not repeated in the message, whatever its length', async () => {
		for (const token of ['k7Q2x9Lm', 'k7Q2x9Lm4Rt8Vb1Nc6Zp3Wd5Hy0Jf2Gs9Ua7Ie4Ko1']) {
			const result = await runCredentialTest({ server: token, token });
			expect(!result.ok && result.error.message).toMatch(
				/^The Server field of the Wolkvox credential is not a Wolkvox server number \(its \d+ characters are not shown/,
			);
			expect(
				!result.ok && JSON.stringify([result.error.message, result.error.description]),
			).not.toContain(token.slice(0, 6));
		}
		expect(fx.sim.requests).toHaveLength(0);
	});
});
