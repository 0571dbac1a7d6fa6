/**
 * The token must appear in no message, description, output item, stored run data or log line,
 * on any path, successful or failed. A distinctive token makes any leak easy to find.
 */
import dns from 'node:dns';
import net from 'node:net';
import { inspect } from 'node:util';

import { logLines, runBilling, type RunResult } from './support/engine/harness';
import { useSimulator } from './support/engine/fixtures';
import { FAULTS } from './support/simulator';

const CANARY = 'WVX-CANARY-8d1f0c7b2e9a4f63';
const LONG_CANARY = 'WVXLONG7c1e9b04d2a84f6e9b3c5d7a1f0e2c4b6d8a0f1e3c5b7d9a2c4e6f8b0d1';
const fx = useSimulator({ tokens: { [CANARY]: {} } });

function everythingOf(result: RunResult): string {
	return [
		JSON.stringify(result.run),
		inspect(result.run, { depth: Infinity, showHidden: true, getters: false }),
		JSON.stringify(result.items),
		inspect(result.error, { depth: Infinity, showHidden: true }),
		JSON.stringify(logLines),
		inspect(logLines, { depth: Infinity }),
	].join('\n');
}

const leakingBody = `token ${CANARY} is not valid here`;

const paths: Array<[string, () => void | Promise<void>, Record<string, unknown>]> = [
	['success', () => {}, {}],
	['empty data', () => fx.sim.setReport('agent_script', []), {}],
	['rejected token', () => {}, { token: `${CANARY}-old` }],
	['quota used up', () => fx.sim.setQuota(CANARY, { limit: 1, used: 1 }), {}],
	['token busy', () => fx.sim.holdToken(CANARY, 5000), {}],
	['unknown report', () => {}, { parameters: { report: 'custom', customReport: 'nope' } }],
	// The token pasted into Custom Report, with a character that makes it no report name.
	['bad report name', () => {}, { parameters: { report: 'custom', customReport: `${CANARY}.x` } }],
	[
		'proxy echoing the token as text',
		() => fx.sim.setRawReport('agent_script', leakingBody, 200),
		{},
	],
	[
		'proxy echoing the token in a 500',
		() => fx.sim.setRawReport('agent_script', leakingBody, 500),
		{},
	],
	[
		'proxy echoing the token as Wolkvox text',
		() => fx.sim.setRawReport('agent_script', { code: 500, error: leakingBody, data: null }),
		{},
	],
	// Every fault the simulator has, but the hang (timed below) and another app holding the token.
	...[...FAULTS]
		.filter((fault) => !['hang', 'slowBody', 'simultaneous'].includes(fault))
		.map((fault): [string, () => void, Record<string, unknown>] => [
			fault,
			() => fx.sim.fail(fault),
			{},
		]),
	['timeout', () => fx.sim.fail('hang'), { parameters: { options: { timeout: 1 } } }],
	['slow body', () => fx.sim.fail('slowBody'), { parameters: { options: { timeout: 1 } } }],
];

describe.each([false, true])('continueOnFail %s', (continueOnFail) => {
	test.each(paths)('%s', async (_label, arrange, options) => {
		logLines.length = 0;
		await arrange();
		const parameters = {
			...(options.parameters as object),
			options: { retries: 0, ...((options.parameters as { options?: object })?.options ?? {}) },
		};
		const result = await fx.run({ token: CANARY, continueOnFail, ...options, parameters });
		// n8n keeps the node's parameters with the run: what the user typed there is theirs.
		const typed = (parameters as { customReport?: string }).customReport ?? '';
		const text = typed.includes(CANARY)
			? everythingOf(result)
					.split(`"customReport":"${typed}"`)
					.join('')
					.split(`customReport: '${typed}'`)
					.join('')
			: everythingOf(result);
		expect(text).not.toContain(CANARY);
	});
});

describe('paths that never reach the simulator', () => {
	test('refused connection, TLS failure, unknown host, malformed server, bad base URL', async () => {
		const closed = net.createServer();
		await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
		const closedPort = (closed.address() as net.AddressInfo).port;
		await new Promise((resolve) => closed.close(resolve));
		const plain = net.createServer((socket) => socket.end('HTTP/1.1 200 OK\r\n\r\n'));
		await new Promise<void>((resolve) => plain.listen(0, '127.0.0.1', resolve));
		const plainPort = (plain.address() as net.AddressInfo).port;

		const realLookup = dns.lookup;
		(dns as { lookup: unknown }).lookup = (hostname: string, ...rest: unknown[]) => {
			const callback = rest[rest.length - 1] as (error: Error) => void;
			process.nextTick(() =>
				callback(
					Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }),
				),
			);
		};
		try {
			const credentialsList: Array<Record<string, string>> = [
				{ server: '0032', baseUrl: `http://127.0.0.1:${closedPort}` },
				{ server: '0032', baseUrl: `https://127.0.0.1:${plainPort}` },
				{ server: '0032' },
				{ server: CANARY },
				// Fields swapped, with a token too long to be quoted whole: not even its start may show.
				{ server: LONG_CANARY, token: LONG_CANARY },
				{ server: '0032', baseUrl: LONG_CANARY, token: LONG_CANARY },
				{ server: '0032', baseUrl: `http://${CANARY}.example.com` },
			];
			for (const credentials of credentialsList) {
				for (const continueOnFail of [false, true]) {
					logLines.length = 0;
					const result = await runBilling({
						credentials: { token: CANARY, ...credentials },
						continueOnFail,
					});
					expect(result.error ?? result.items[0]?.json.error).toBeDefined();
					expect(everythingOf(result)).not.toContain(CANARY);
					expect(everythingOf(result)).not.toContain(LONG_CANARY.slice(0, 12));
				}
			}
		} finally {
			(dns as { lookup: unknown }).lookup = realLookup;
			plain.close();
		}
	});
});

describe('retried paths (their debug log lines included)', () => {
	test.each(['html502', 'status503', 'reset', 'truncated', 'maintenance403', 'simultaneous'])(
		'%s, failing on every try',
		async (fault) => {
			logLines.length = 0;
			fx.sim.fail(fault, { times: Infinity });
			const result = await fx.run({ token: CANARY, parameters: { options: { retries: 2 } } });
			expect(result.error?.message).toMatch(/\(after 3 attempts\)$/);
			expect(logLines.filter((l) => /retrying in/.test(l.message))).toHaveLength(2);
			expect(everythingOf(result)).not.toContain(CANARY);
		},
	);

	test('a call that times out waiting for the token', async () => {
		logLines.length = 0;
		fx.sim.latencyMs = 1500;
		const [, second] = await Promise.all([
			fx.run({ token: CANARY }),
			fx.run({ token: CANARY, parameters: { options: { timeout: 1, retries: 0 } } }),
		]);
		expect(second.error?.message).toMatch(/^Waited 1 s/);
		expect(everythingOf(second)).not.toContain(CANARY);
	});
});

describe('an echo of the token written in groups', () => {
	/** The token's letters and digits, in runs of 6: none may show, whatever stands between. */
	const joinedRuns = (token: string) => {
		const plain = token.toLowerCase().replace(/[^a-z0-9]/g, '');
		return Array.from({ length: plain.length - 5 }, (_, i) => plain.slice(i, i + 6));
	};
	const grouped = (token: string, separator: string) =>
		(token.replace(/-/g, '').match(/.{1,5}/g) ?? []).join(separator);

	test.each([
		['with hyphens, in a 403', '-', 403, 'error'],
		['with spaces, in a 403', ' ', 403, 'msg'],
		['with spaces, in a 500', ' ', 500, 'error'],
		['with hyphens and spaces, in a 500', ' - ', 500, 'msg'],
	])('%s: not shown', async (_label, separator, status, field) => {
		fx.sim.setRawReport(
			'agent_script',
			{ code: status, [field]: `Token ${grouped(CANARY, separator)} not allowed`, data: null },
			status,
		);
		const result = await fx.run({ token: CANARY, parameters: { options: { retries: 0 } } });
		const shown = `${result.error?.message} ${result.error?.description}`
			.toLowerCase()
			.replace(/[^a-z0-9]/g, '');
		expect(result.error?.message).toMatch(/^Wolkvox (refused the request|answered HTTP 500)/);
		for (const run of joinedRuns(CANARY)) expect(shown).not.toContain(run);
	});
});
