/**
 * Every failure a user can meet gets an n8n error whose message says what happened and whose
 * description says what to do.
 */
import net from 'node:net';

import { runBilling } from './support/engine/harness';
import { TOKEN, useSimulator } from './support/engine/fixtures';

const fx = useSimulator();

interface Expected {
	name: 'NodeApiError' | 'NodeOperationError';
	httpCode?: string | null;
	message: string | RegExp;
	description: RegExp;
}

function expectError(error: Record<string, unknown> | undefined, expected: Expected) {
	expect(error).toBeDefined();
	expect(error?.name).toBe(expected.name);
	if (expected.httpCode !== undefined) expect(error?.httpCode ?? null).toBe(expected.httpCode);
	if (typeof expected.message === 'string') expect(error?.message).toBe(expected.message);
	else expect(error?.message).toMatch(expected.message);
	expect(error?.description).toMatch(expected.description);
}

describe('Wolkvox’s documented error messages', () => {
	const cases: Array<[string, () => void, Record<string, unknown>, Expected]> = [
		[
			'PLEASE VALIDATE TOKEN (403)',
			() => {},
			{ token: 'not-a-valid-token' },
			{
				name: 'NodeApiError',
				httpCode: '403',
				message: 'Wolkvox rejected the token',
				description:
					/PLEASE VALIDATE TOKEN.*invalid, expired or deleted.*Integrations > Tokens > Add Token/,
			},
		],
		[
			'PLEASE ENTER THE WOLKVOX-TOKEN (401), as when a proxy drops the header',
			() => fx.sim.fail('tokenDropped'),
			{},
			{
				name: 'NodeApiError',
				httpCode: '401',
				message: 'Wolkvox received no token',
				description: /Paste the token into the Token field/,
			},
		],
		[
			'TOKEN LIMIT EXCEEDED (403)',
			() => fx.sim.setQuota(TOKEN, { limit: 5, used: 5 }),
			{},
			{
				name: 'NodeApiError',
				httpCode: '403',
				message: 'The Wolkvox token’s daily quota is used up',
				description:
					/1,000 calls a day for every license.*starts again the next day.*every 5 minutes/,
			},
		],
		[
			'EXCEEDS THE LIMIT OF SIMULTANEOUS REQUESTS PER TOKEN (403)',
			() => fx.sim.holdToken(TOKEN, 5000),
			{ parameters: { options: { retries: 0 } } },
			{
				name: 'NodeApiError',
				httpCode: '403',
				message: 'Another request was using this Wolkvox token at the same moment',
				description: /its own token/,
			},
		],
		[
			'THE API YOU WANT TO CONSULT DOES NOT EXIST (400)',
			() => fx.sim.removeReport('amd_ai'),
			{ parameters: { report: 'amd_ai' } },
			{
				name: 'NodeApiError',
				httpCode: '400',
				message: 'Wolkvox does not know the report “amd_ai”',
				description: /Choose a report from the list/,
			},
		],
		[
			'SOME PARAMETERS ARE REQUIRED (400)',
			() =>
				fx.sim.setRawReport(
					'ivr_calls',
					{ code: 400, error: 'SOME PARAMETERS ARE REQUIRED', data: null },
					400,
				),
			{ parameters: { report: 'ivr_calls' } },
			{
				name: 'NodeApiError',
				httpCode: '400',
				message: 'Wolkvox says a required parameter is missing',
				description: /api=ivr_calls/,
			},
		],
	];

	test.each(cases)('%s', async (_label, arrange, options, expected) => {
		arrange();
		const result = await fx.run(options);
		expect(result.items).toEqual([]);
		expectError(result.error, expected);
	});

	test('the text is found whether Wolkvox puts it in `error` or in `msg`', async () => {
		fx.sim.messageField = 'msg';
		const result = await fx.run({ token: 'not-a-valid-token' });
		expectError(result.error, {
			name: 'NodeApiError',
			message: 'Wolkvox rejected the token',
			description: /“PLEASE VALIDATE TOKEN”/,
		});
	});

	test.each([
		['a rejected token', { token: 'not-a-valid-token' }, 'Wolkvox rejected the token'],
		[
			'an unknown report',
			{ parameters: { report: 'custom', customReport: 'no_such_report' } },
			'Wolkvox does not know the report “no_such_report”',
		],
	])(
		'in the shape of Wolkvox’s error table (reason in `error`, text in `msg`): %s',
		async (_label, options, message) => {
			fx.sim.messageField = 'table';
			const result = await fx.run(options);
			expect(result.error?.message).toBe(message);
		},
	);

	test('a sentence of Wolkvox’s wins over a bare reason phrase in the other field', async () => {
		fx.sim.setRawReport(
			'agent_script',
			{ code: 403, error: 'FORBIDDEN', msg: 'Operation suspended for non-payment', data: null },
			403,
		);
		const result = await fx.run({ parameters: { options: { retries: 0 } } });
		expect(result.error?.message).toBe(
			'Wolkvox refused the request (HTTP 403): Operation suspended for non-payment',
		);
	});

	test('a reason phrase alone is still shown; the string "null" is no text', async () => {
		fx.sim.setRawReport('agent_script', { code: 500, error: 'null', msg: 'INTERNAL ERROR' }, 500);
		const result = await fx.run({ parameters: { options: { retries: 0 } } });
		expect(result.error?.message).toBe('Wolkvox answered HTTP 500: INTERNAL ERROR');
	});

	test('a documented text wins over a generic one in the other field', async () => {
		fx.sim.setRawReport(
			'agent_script',
			{ code: 403, error: 'Forbidden', msg: 'TOKEN LIMIT EXCEEDED', data: null },
			403,
		);
		const result = await fx.run({ parameters: { options: { retries: 3 } } });
		expectError(result.error, {
			name: 'NodeApiError',
			message: 'The Wolkvox token’s daily quota is used up',
			description: /next day/,
		});
		expect(fx.sim.billingRequests()).toHaveLength(1); // a used-up quota is not retried
	});

	test('a 403 with a text Wolkvox does not document shows that text', async () => {
		fx.sim.setRawReport('agent_script', { code: 403, error: 'TOKEN EXPIRED', data: null }, 403);
		const result = await fx.run({ parameters: { options: { retries: 0 } } });
		expectError(result.error, {
			name: 'NodeApiError',
			httpCode: '403',
			message: 'Wolkvox refused the request (HTTP 403): TOKEN EXPIRED',
			description: /check the token in the Wolkvox API credential/,
		});
	});

	test('a Wolkvox error inside an HTTP 200 answer is still an error', async () => {
		fx.sim.setRawReport('agent_script', {
			code: 403,
			error: 'TOKEN LIMIT EXCEEDED',
			msg: null,
			data: [],
		});
		const result = await fx.run();
		expectError(result.error, {
			name: 'NodeApiError',
			httpCode: '200',
			message: 'The Wolkvox token’s daily quota is used up',
			description: /daily|next day/,
		});
	});
});

describe('envelopes that are not a success', () => {
	test.each([
		[
			{ code: 500, error: 'INTERNAL DATABASE ERROR', data: [] },
			/Wolkvox answered with an error: INTERNAL DATABASE ERROR/,
			/code 500/,
		],
		[
			{ code: '404', error: null, msg: 'NO INFORMATION', data: null },
			/Wolkvox answered with an error: NO INFORMATION/,
			/code 404/,
		],
		[{ error: null, data: [] }, /Wolkvox answered with an error: code missing/, /code \(none\)/],
		[
			{ code: 200, error: null, msg: 'ok' },
			'Wolkvox’s answer has no list of rows',
			/`data` is missing/,
		],
		[
			{ code: 200, data: { operation: 'x' } },
			'Wolkvox’s answer has no list of rows',
			/`data` is an object, not a list/,
		],
		[
			{ code: 200, data: ['x'] },
			'Wolkvox’s answer has no list of rows',
			/a row of `data` is a string/,
		],
		[[{ operation: 'x' }], 'Wolkvox’s answer has no list of rows', /the answer is a list instead/],
	])('%j', async (body, message, description) => {
		fx.sim.setRawReport('agent_script', body);
		const result = await fx.run();
		expect(result.items).toEqual([]);
		expectError(result.error, { name: 'NodeApiError', message, description });
	});
});

describe('what proxies and networks do', () => {
	const cases: Array<[string, Expected]> = [
		[
			'html502',
			{
				name: 'NodeApiError',
				httpCode: '502',
				message: 'Wolkvox answered with a web page instead of data (HTTP 502)',
				description: /gateway, proxy or maintenance page.*try again in a few minutes/,
			},
		],
		[
			'maintenance403',
			{
				name: 'NodeApiError',
				httpCode: '403',
				message: 'Wolkvox refused the request (HTTP 403) without saying why',
				description: /maintenance and backup windows/,
			},
		],
		[
			'forbidden403',
			{
				name: 'NodeApiError',
				httpCode: '403',
				message: 'Wolkvox refused the request (HTTP 403) without saying why',
				description: /maintenance/,
			},
		],
		[
			'status500',
			{
				name: 'NodeApiError',
				httpCode: '500',
				message: 'Wolkvox answered HTTP 500',
				description: /server failed/,
			},
		],
		[
			'status503',
			{
				name: 'NodeApiError',
				httpCode: '503',
				message: 'Wolkvox answered HTTP 503: Service Unavailable',
				description: /server failed/,
			},
		],
		[
			'status429',
			{
				name: 'NodeApiError',
				httpCode: '429',
				message: 'Wolkvox answered HTTP 429: Too Many Requests',
				description: /Too many calls/,
			},
		],
		[
			'truncated',
			{
				name: 'NodeApiError',
				httpCode: '200',
				message: 'Wolkvox’s answer was cut off (HTTP 200)',
				description: /ends in the middle of the JSON/,
			},
		],
		[
			'notJson',
			{
				name: 'NodeApiError',
				httpCode: '200',
				message: 'Wolkvox’s answer is not JSON (HTTP 200)',
				description: /It says “OK” instead/,
			},
		],
		[
			'empty200',
			{
				name: 'NodeApiError',
				httpCode: '200',
				message: 'Wolkvox answered with an empty body (HTTP 200)',
				description: /Server number/,
			},
		],
		[
			'redirect',
			{
				name: 'NodeApiError',
				httpCode: '302',
				message: 'Wolkvox redirected the request elsewhere (HTTP 302)',
				description: /points to login\.example\.net.*does not follow redirects/,
			},
		],
		[
			'reset',
			{
				name: 'NodeApiError',
				httpCode: null,
				message: /^The connection to 127\.0\.0\.1:\d+ closed before Wolkvox answered$/,
				description: /ECONNRESET/,
			},
		],
	];

	test.each(cases)('%s', async (fault, expected) => {
		fx.sim.fail(fault);
		const result = await fx.run({ parameters: { options: { retries: 0 } } });
		expect(result.items).toEqual([]);
		expectError(result.error, expected);
	});

	test('no answer within the timeout (Options > Timeout)', async () => {
		fx.sim.fail('hang');
		// With the 60 s default this test would outlive jest's 30 s limit and fail.
		const result = await fx.run({ parameters: { options: { timeout: 1, retries: 0 } } });
		expectError(result.error, {
			name: 'NodeApiError',
			message: 'Wolkvox did not answer within 1 s',
			description: /up to 60 seconds.*raise Timeout/,
		});
	});

	test('a refused connection names the host', async () => {
		const server = net.createServer();
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		const { port } = server.address() as net.AddressInfo;
		await new Promise((resolve) => server.close(resolve));
		const result = await runBilling({
			credentials: { server: '0032', token: TOKEN, baseUrl: `http://127.0.0.1:${port}` },
			parameters: { options: { retries: 0 } },
		});
		expectError(result.error, {
			name: 'NodeApiError',
			httpCode: null,
			message: `Could not connect to 127.0.0.1:${port}: the connection was refused`,
			description: /ECONNREFUSED.*Check the Server number \(or Base URL\)/,
		});
	});

	test('a TLS failure names the host', async () => {
		// Plain TCP where https:// is expected: the TLS handshake fails.
		const server = net.createServer((socket) => socket.end('HTTP/1.1 200 OK\r\n\r\n'));
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		const { port } = server.address() as net.AddressInfo;
		const result = await runBilling({
			credentials: { server: '0032', token: TOKEN, baseUrl: `https://127.0.0.1:${port}` },
		});
		server.close();
		expectError(result.error, {
			name: 'NodeApiError',
			message: `The secure connection to 127.0.0.1:${port} failed`,
			description: /EPROTO/,
		});
	});
});

describe('bad parameters', () => {
	test.each([
		[{ report: 'custom', customReport: '' }, 'No report name given'],
		[
			{ report: 'custom', customReport: 'agent script; drop' },
			'“agent script; drop” is not a Wolkvox report name',
		],
		[{ report: '={{ "../../etc" }}' }, '“../../etc” is not a Wolkvox report name'],
	])('%j is refused before any request', async (parameters, message) => {
		const result = await fx.run({ parameters });
		expectError(result.error, {
			name: 'NodeOperationError',
			message,
			description: /lower-case words joined by underscores/,
		});
		expect(fx.sim.requests).toHaveLength(0);
	});
});
