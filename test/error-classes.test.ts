/**
 * Every error the package can raise is classified: it says what happened in its own words (no
 * catch-all "could not reach" for what was not a network fault), and carries `kind`, `retryable`
 * and the cause n8n's durable poll scheduler reads, from any path, for any input.
 */
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { asNodeError, factsOf, toNodeApiError, WolkvoxFailure } from '../nodes/shared/errors';
import {
	CALL_FAILURES,
	causeOf,
	SETUP_FAILURES,
	type FailureKind,
	type SetupKind,
} from '../nodes/shared/failures';
import { WolkvoxSetupError } from '../nodes/shared/setupError';
import { readAnswer } from '../nodes/shared/answer';
import { callSettings } from '../nodes/shared/options';
import { SecretGuard } from '../nodes/shared/secret';
import {
	activateTrigger,
	fetchTestEvent,
	runBilling,
	runCredentialTest,
} from './support/engine/harness';
import { jsonOf, TOKEN, useSimulator } from './support/engine/fixtures';
import { billingNode } from './support/engine/node';

const fx = useSimulator();
const credentials = () => fx.credentials();

describe('answers as PHP and proxies send them', () => {
	test('a UTF-8 byte-order mark before valid JSON is read as the JSON: one call, the rows', async () => {
		fx.sim.setRawReport(
			'agent_script',
			Buffer.concat([
				Buffer.from([0xef, 0xbb, 0xbf]),
				Buffer.from(
					JSON.stringify({ code: 200, data: [{ description: 'Agent Script', items: '9' }] }),
				),
			]),
		);
		const result = await fx.run();
		expect(result.error).toBeUndefined();
		expect(jsonOf(result)).toEqual([
			{ description: 'Agent Script', items: 9, report: 'agent_script' },
		]);
		expect(fx.sim.billingRequests()).toHaveLength(1);
	});

	test('a compressed body that does not decompress is “could not be decompressed”, and retried', async () => {
		fx.sim.setRawReport('agent_script', Buffer.from('this is not gzip at all'), 200, {
			'content-encoding': 'gzip',
		});
		const result = await fx.run({ parameters: { options: { retries: 1 } } });
		expect(result.error).toMatchObject({
			name: 'NodeApiError',
			message: 'Wolkvox’s answer could not be decompressed (after 2 attempts)',
			context: expect.objectContaining({ kind: 'undecodable', retryable: true }),
		});
		expect(result.error?.description).toMatch(/bytes are damaged \(Z_DATA_ERROR\)/);
		expect(fx.sim.billingRequests()).toHaveLength(2);
	});

	test('a connection that drops halfway through the answer says so, not “before Wolkvox answered”', async () => {
		fx.sim.fail('cutBody');
		const result = await fx.run({ parameters: { options: { retries: 0 } } });
		expect(result.error?.message).toMatch(
			/^The connection to 127\.0\.0\.1:\d+ closed while Wolkvox was sending its answer$/,
		);
		expect(result.error).toMatchObject({
			context: expect.objectContaining({ kind: 'reset', retryable: true }),
		});
	});
});

describe('a token that cannot be sent is refused by the credential, before any call', () => {
	test.each([
		['ending in a zero-width space', `${TOKEN}\u200b`, 'U+200B at position 15 of 15'],
		['with a space inside', 'sim-token 0032', 'U+0020 at position 10 of 14'],
		['with a line break inside', 'sim-token\n0032', 'U+000A at position 10 of 14'],
		['with an accented letter', 'sim-tokén-0032', 'U+00E9 at position 8 of 14'],
	])('a token %s', async (_label, token, where) => {
		const result = await runBilling({ credentials: { server: '0032', token, baseUrl: fx.url } });
		expect(result.error).toMatchObject({
			name: 'NodeOperationError',
			message: `The token in the Wolkvox API credential holds a character a token cannot have (${where})`,
			context: expect.objectContaining({ kind: 'badToken', retryable: false }),
		});
		expect(result.error?.description).toMatch(/invisible characters/);
		expect(fx.sim.requests).toHaveLength(0);

		const tested = await runCredentialTest({ server: '0032', token, baseUrl: fx.url });
		expect(!tested.ok && tested.error.message).toMatch(/holds a character a token cannot have/);
		expect(fx.sim.requests).toHaveLength(0);
	});

	test('a token of 600 characters is refused as too long, not shown', async () => {
		const token = 'k7Q2x9Lm'.repeat(75);
		const result = await runBilling({ credentials: { server: '0032', token, baseUrl: fx.url } });
		expect(result.error?.message).toBe(
			'The token in the Wolkvox API credential is too long to be a Wolkvox token (600 characters)',
		);
		expect(fx.sim.requests).toHaveLength(0);
	});
});

describe('a call cancelled while it runs is remembered, like one that timed out', () => {
	test('the next call on the token is told our own call may still be running', async () => {
		// The call hangs at Wolkvox for 2 s; the user stops the execution after 300 ms.
		fx.sim.fail('hang', { holdMs: 2000 });
		const stopped = await fx.run({ cancelAfterMs: 300 });
		expect(stopped.run.status).toBe('canceled');
		const next = await fx.run({ parameters: { report: 'ivr_calls', options: { retries: 0 } } });
		expect(next.error).toMatchObject({
			message: 'Another request was using this Wolkvox token at the same moment',
		});
		expect(next.error?.description).toMatch(/An earlier call from this n8n on this token/);
	});

	test('with retries, the next call waits for it to end at Wolkvox, and succeeds', async () => {
		fx.sim.fail('hang', { holdMs: 1500 });
		await fx.run({ cancelAfterMs: 300 });
		const next = await fx.run({ parameters: { report: 'ivr_calls', options: { retries: 3 } } });
		expect(next.error).toBeUndefined();
		expect(fx.sim.billingRequests('ivr_calls').map((r) => r.status)).toEqual([403, 200]);
	});
});

describe('every kind carries kind, retryable and the scheduler’s cause', () => {
	const node = billingNode();
	// Every kind of the failure table: a new one is tested without being listed here.
	const failureKinds = Object.keys(CALL_FAILURES) as FailureKind[];
	const setupKinds = Object.keys(SETUP_FAILURES) as SetupKind[];
	const carries = (error: NodeApiError | NodeOperationError, kind: string) => {
		expect(error.context).toMatchObject({ kind, retryable: expect.any(Boolean) });
		expect((error as unknown as { failure: { cause: string } }).failure.cause).toEqual(
			expect.any(String),
		);
	};

	test.each(failureKinds)('%s', (kind) => {
		const error = toNodeApiError(node, new WolkvoxFailure(kind), {
			host: 'h',
			timeoutSeconds: 60,
		});
		carries(error, kind);
		// Thrown bare from anywhere, it is still classified.
		carries(asNodeError(node, new WolkvoxFailure(kind)), kind);
	});

	test.each(setupKinds)('%s', (kind) => {
		carries(asNodeError(node, new WolkvoxSetupError(kind, 'm', 'd')), kind);
	});

	test('anything else is “unexpected”, a node defect, its message bounded', () => {
		const error = asNodeError(node, new Error('x'.repeat(100_000)));
		carries(error, 'unexpected');
		expect(error.message.length).toBeLessThan(600);
	});

	test.each([
		['htmlBody', '404', 'configuration-invalid', false],
		['httpStatus', '405', 'configuration-invalid', false],
		['notJson', '410', 'configuration-invalid', false],
		['httpStatus', '408', 'temporarily-unavailable', true],
		['httpStatus', '429', 'rate-limited', true],
		['htmlBody', '429', 'rate-limited', true],
		['httpStatus', '502', 'temporarily-unavailable', true],
		['forbidden', '403', 'temporarily-unavailable', true],
	] as const)('%s with HTTP %s: %s', (kind, httpCode, cause, retryable) => {
		expect(causeOf(kind, httpCode)).toBe(cause);
		const error = toNodeApiError(node, new WolkvoxFailure(kind, { httpCode: Number(httpCode) }), {
			host: 'h',
			timeoutSeconds: 60,
		});
		expect(factsOf(error)).toEqual({ kind, retryable, httpCode });
	});

	test('a wrong Base URL’s 404 page is not retried and tells the workflow not to retry', async () => {
		fx.sim.setRawReport('agent_script', '<html><body>Not Found</body></html>', 404);
		const result = await fx.run({ continueOnFail: true });
		expect(jsonOf(result)).toEqual([
			expect.objectContaining({ kind: 'htmlBody', retryable: false, httpCode: 404 }),
		]);
		expect(fx.sim.billingRequests()).toHaveLength(1);
	});

	test('a trigger without a credential fails with a classified error, not a bare one', async () => {
		const trigger = activateTrigger({});
		const { error } = await trigger.poll();
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error).toMatchObject({
			context: expect.objectContaining({ kind: 'unexpected', retryable: false }),
			failure: { cause: 'node-defect' },
		});
	});

	test('Fetch Test Event with a token that cannot be sent: classified too', async () => {
		const result = await fetchTestEvent({
			credentials: { ...credentials(), token: `${TOKEN}\u200b` },
		});
		expect(result.error).toMatchObject({ message: expect.stringMatching(/^The token/) });
	});
});

describe('values JSON can write whose text cannot be read', () => {
	// `{"toString": false}`: String() of such an object throws a TypeError.
	const unprintable = '[{"toString":false}]';

	test('an envelope code of that kind is a failure of the answer, not a TypeError', () => {
		const read = () =>
			readAnswer({ statusCode: 200, body: `{"code":${unprintable}}` }, new SecretGuard(''));
		expect(read).toThrow(WolkvoxFailure);
		expect(read).toThrow('apiError');
	});

	test('a row whose date is of that kind is passed on, and the trigger reads its month from the calendar', async () => {
		fx.sim.setRawReport(
			'agent_script',
			`{"code":200,"data":[{"description":"Agent Script","items":"4","date":${unprintable}}]}`,
		);
		const result = await fx.run();
		expect(result.error).toBeUndefined();
		expect(jsonOf(result)).toEqual([
			{
				description: 'Agent Script',
				items: 4,
				date: [{ toString: false }],
				report: 'agent_script',
			},
		]);
		const { error } = await activateTrigger({ credentials: fx.credentials() }).poll();
		expect(error).toBeUndefined();
	});

	test('an option of that kind is refused by name', () => {
		expect(() => callSettings({ timeout: { toString: false } }, new SecretGuard(''))).toThrow(
			'The Timeout option must be a number of seconds from 1 to 600, not "an object"',
		);
	});
});
