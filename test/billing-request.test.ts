import dns from 'node:dns';

import { runBilling } from './support/engine/harness';
import { TOKEN, useSimulator } from './support/engine/fixtures';

const fx = useSimulator();

test('the request is GET /api/v2/billing.php?api=<report> with the token in wolkvox-token', async () => {
	await fx.run({ parameters: { report: 'ivr_calls' } });
	expect(fx.sim.requests).toHaveLength(1);
	const [request] = fx.sim.requests;
	expect(request.method).toBe('GET');
	expect(request.path).toBe('/api/v2/billing.php');
	expect(request.query).toEqual({ api: 'ivr_calls' });
	expect(request.headers['wolkvox-token']).toBe(TOKEN);
	expect(request.headers.accept).toBe('application/json');
	// Nothing else carries the token: no query parameter, no other header.
	const elsewhere = Object.entries(request.headers).filter(
		([name, value]) => name !== 'wolkvox-token' && String(value).includes(TOKEN),
	);
	expect(elsewhere).toEqual([]);
});

test('a token pasted with spaces or a newline is sent trimmed', async () => {
	const result = await fx.run({ token: `  ${TOKEN}\n` });
	expect(result.error).toBeUndefined();
	expect(fx.sim.requests[0].headers['wolkvox-token']).toBe(TOKEN);
});

test('a Base URL with a path prefix keeps it (for proxies)', async () => {
	await runBilling({
		credentials: { server: '0032', token: TOKEN, baseUrl: `${fx.url}/wolkvox/` },
	});
	expect(fx.sim.requests.map((r) => r.path)).toEqual(['/wolkvox/api/v2/billing.php']);
});

describe('without a Base URL the server number decides the host', () => {
	// This machine has no internet. The test answers DNS itself ("no such host") and records what
	// was asked, so no byte leaves and we see the host the node would have connected to.
	const asked: string[] = [];
	const realLookup = dns.lookup;
	beforeAll(() => {
		(dns as { lookup: unknown }).lookup = (hostname: string, ...rest: unknown[]) => {
			asked.push(hostname);
			const callback = rest[rest.length - 1] as (error: Error) => void;
			const error = Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), {
				code: 'ENOTFOUND',
			});
			process.nextTick(() => callback(error));
		};
	});
	afterAll(() => {
		(dns as { lookup: unknown }).lookup = realLookup;
	});
	beforeEach(() => {
		asked.length = 0;
	});

	test.each(['0032', 'wv0032', 'wv0032.wolkvox.com', 'https://wv0032.wolkvox.com/manager/'])(
		'server %j connects to wv0032.wolkvox.com and names it when it cannot be found',
		async (server) => {
			const result = await runBilling({ credentials: { server, token: TOKEN } });
			expect(asked).toEqual(['wv0032.wolkvox.com']);
			expect(result.error).toMatchObject({
				name: 'NodeApiError',
				message: 'The server wv0032.wolkvox.com does not exist',
			});
			expect(result.error?.description).toMatch(/Check the Server number/);
		},
	);

	test('a malformed server number is refused before any lookup or request', async () => {
		const result = await runBilling({ credentials: { server: 'wv0032.wolkvox.co', token: TOKEN } });
		expect(asked).toEqual([]);
		expect(result.error).toMatchObject({
			name: 'NodeOperationError',
			message:
				'The Server field of the Wolkvox credential is not a Wolkvox server number: "wv0032.wolkvox.co"',
		});
		expect(result.error?.description).toMatch(/Accepted forms: 0032, wv0032/);
	});
});

test('a plain-http Base URL to another machine is refused before any request', async () => {
	const result = await runBilling({
		credentials: { server: '0032', token: TOKEN, baseUrl: 'http://wolkvox-proxy.example.com' },
	});
	expect(result.error).toMatchObject({ name: 'NodeOperationError' });
	expect(result.error?.message).toMatch(/Base URL .* plain http:\/\//);
});
