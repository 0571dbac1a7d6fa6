/**
 * One call to Wolkvox, over http.ts's exchanges: the credential read and checked once per run,
 * one call at a time per token, retries with backoff for failures that can pass, a deadline for
 * each try and a budget for the whole call, the answer read by answer.ts, and every failure
 * turned into an n8n error that says what happened and what to do.
 */
import type { ICredentialsDecrypted } from 'n8n-workflow';

import { readAnswer } from './answer';
import { resolveBaseUrl } from './baseUrl';
import { wait } from './delay';
import { asNodeError, toNodeApiError, WolkvoxFailure } from './errors';
import { retriedInCall, type CallContext } from './failures';
import { CREDENTIAL_TYPE, exchange, type WolkvoxContext } from './http';
import { checkToken, guardOf, NO_TOKEN, readToken, type SecretGuard } from './secret';
import { QueueWaitCancelled, QueueWaitExpired, queueKey, tokenQueues } from './tokenQueue';

export { CREDENTIAL_TYPE, type WolkvoxContext };

/** Wolkvox's own limit for one call. */
export const DEFAULT_TIMEOUT_SECONDS = 60;
export const DEFAULT_RETRIES = 3;
export const DEFAULT_MAX_RETRY_WAIT_SECONDS = 30;

/**
 * The waits of a call. Backoff between tries: base × 2^(try − 1), capped, with jitter so that
 * several n8n workers retrying on one token do not collide again in step. A call we gave up on
 * may go on at Wolkvox for up to its own limit for one call, 60 s, and hold the token meanwhile.
 * Read at each call, so the test harness can shorten them (as it does, a hundred times).
 */
export const PACING = { baseDelayMs: 1000, maxDelayMs: 10_000, abandonedCallMs: 60_000 };

/** What one call asks for. */
export interface WolkvoxCall {
	/** Path under the base URL, e.g. /api/v2/billing.php */
	path: string;
	/** The `api=` value, already checked by resolveReportName. */
	api: string;
	/** For each try, from the wait for earlier calls on the same token to the last byte read. */
	timeoutSeconds?: number;
	/** Tries after the first, for failures that can pass by themselves; 0 turns retries off. */
	retries?: number;
	/** The most the retries may wait in all. */
	maxRetryWaitSeconds?: number;
	/** The input item the call is for, so n8n can point at it in errors. */
	itemIndex?: number;
	/** The most the whole call may take, tries and waits included (a poll's time budget). */
	budgetMs?: number;
}

/** Where a credential's calls go, checked once per run. */
export interface Connection {
	baseUrl: string;
	/** The token's queue (a hash of it). */
	key: string;
	/** What messages may say: the token itself travels no further than this. */
	guard: SecretGuard;
	/** The credential as read once for the run, handed to n8n with each call. */
	credentials: ICredentialsDecrypted;
}

/** A try that would have less time than this is not started. */
const MIN_TRY_MS = 1000;

/** The guard of the node's credential, for messages about a credential that could not be used. */
export async function guardOfContext(context: WolkvoxContext): Promise<SecretGuard> {
	try {
		return guardOf(await context.getCredentials(CREDENTIAL_TYPE));
	} catch {
		return NO_TOKEN;
	}
}

/**
 * Reads and checks the credential: a token long enough to be real, a Server or Base URL the
 * token may go to. Throws a NodeOperationError that names the field to fix.
 */
export async function connect(context: WolkvoxContext): Promise<Connection> {
	const data = await context.getCredentials(CREDENTIAL_TYPE);
	const token = readToken(data);
	const guard = guardOf(data);
	try {
		checkToken(token);
		const baseUrl = resolveBaseUrl(data);
		const reference = context.getNode().credentials?.[CREDENTIAL_TYPE];
		const credentials = {
			id: reference?.id ?? '',
			name: reference?.name ?? '',
			type: CREDENTIAL_TYPE,
			data,
		};
		return { baseUrl, key: queueKey(token), guard, credentials };
	} catch (error) {
		throw asNodeError(context.getNode(), error, { guard });
	}
}

function backoffMs(attempt: number): number {
	const ceiling = Math.min(PACING.maxDelayMs, PACING.baseDelayMs * 2 ** (attempt - 1));
	return Math.round(ceiling * (0.5 + Math.random() * 0.5));
}

function cancelSignalOf(context: WolkvoxContext): AbortSignal | undefined {
	return 'getExecutionCancelSignal' in context ? context.getExecutionCancelSignal() : undefined;
}

/**
 * Calls Wolkvox and returns the `data` rows of its answer, retrying failures that can pass.
 * Throws NodeApiError for everything Wolkvox or the network did.
 */
export async function fetchRows(
	context: WolkvoxContext,
	connection: Connection,
	request: WolkvoxCall,
): Promise<unknown[]> {
	const timeoutMs = (request.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS) * 1000;
	const retries = request.retries ?? DEFAULT_RETRIES;
	const retryBudgetMs = (request.maxRetryWaitSeconds ?? DEFAULT_MAX_RETRY_WAIT_SECONDS) * 1000;
	const deadline = request.budgetMs === undefined ? Infinity : performance.now() + request.budgetMs;
	const host = new URL(connection.baseUrl).host;
	let retryWaitMs = 0;
	for (let attempt = 1; ; attempt++) {
		// Within a budget, a try gets what is left of it if that is less than the Timeout.
		const tryMs = Math.min(timeoutMs, Math.max(MIN_TRY_MS, deadline - performance.now()));
		const outcome = await tryOnce(context, connection, request, tryMs);
		if (!(outcome instanceof WolkvoxFailure)) return outcome;
		const delayMs = Math.min(
			delayAfter(outcome, connection, attempt),
			retryBudgetMs - retryWaitMs,
			deadline - performance.now() - MIN_TRY_MS,
		);
		const explained: CallContext = {
			host,
			report: request.api,
			timeoutSeconds: Math.round(tryMs / 100) / 10,
			attempts: attempt,
			retryWaitMs,
		};
		const site = { ...explained, guard: connection.guard, itemIndex: request.itemIndex };
		if (attempt > retries || !retriedInCall(outcome.kind, outcome.details) || delayMs <= 0) {
			throw toNodeApiError(context.getNode(), outcome, site);
		}
		context.logger.debug(
			`Wolkvox ${request.path}?api=${request.api}: try ${attempt} of ${retries + 1} failed (${outcome.kind}${
				outcome.details.httpCode ? `, HTTP ${outcome.details.httpCode}` : ''
			}); retrying in ${delayMs} ms`,
		);
		if (!(await wait(delayMs, cancelSignalOf(context)))) {
			const cancelled = new WolkvoxFailure('cancelled');
			throw toNodeApiError(context.getNode(), cancelled, { ...site, attempts: undefined });
		}
		retryWaitMs += delayMs;
	}
}

/** How long to wait before the next try after this failure. */
function delayAfter(failure: WolkvoxFailure, connection: Connection, attempt: number): number {
	const delayMs = backoffMs(attempt);
	if (failure.kind !== 'simultaneous' || !failure.details.ownCallMayRun) return delayMs;
	// Our own abandoned call may hold the token at Wolkvox: wait for it to end if we can.
	return Math.max(delayMs, tokenQueues.abandonedFor(connection.key) + PACING.baseDelayMs);
}

/**
 * One try: wait for the token (the wait counts toward the try's time), send, read the answer.
 * Returns the rows, or the failure to retry or report.
 */
async function tryOnce(
	context: WolkvoxContext,
	connection: Connection,
	request: WolkvoxCall,
	tryMs: number,
): Promise<unknown[] | WolkvoxFailure> {
	const cancel = cancelSignalOf(context);
	try {
		return await tokenQueues.run(
			connection.key,
			async (queuedMs) => {
				const answer = await exchange(context, {
					baseUrl: connection.baseUrl,
					path: request.path,
					api: request.api,
					credentials: connection.credentials,
					timeoutMs: Math.max(1, tryMs - queuedMs),
					cancel,
				});
				if (!(answer instanceof WolkvoxFailure)) return rowsOf(answer, connection);
				if (answer.kind !== 'timeout' && answer.kind !== 'cancelled') return answer;
				// The request had left: Wolkvox may go on with the call we gave up on (timed out or
				// cancelled), and refuse the next ones on the token meanwhile.
				tokenQueues.noteAbandoned(connection.key, PACING.abandonedCallMs);
				return new WolkvoxFailure(answer.kind, { ...answer.details, queuedMs });
			},
			{ maxWaitMs: tryMs, signal: cancel },
		);
	} catch (error) {
		if (error instanceof QueueWaitExpired) {
			return new WolkvoxFailure('queueTimeout', { queuedMs: error.waitedMs });
		}
		if (error instanceof QueueWaitCancelled) return new WolkvoxFailure('cancelled');
		throw asNodeError(context.getNode(), error, { guard: connection.guard });
	}
}

function rowsOf(
	answer: Parameters<typeof readAnswer>[0],
	connection: Connection,
): unknown[] | WolkvoxFailure {
	try {
		return readAnswer(answer, connection.guard);
	} catch (error) {
		if (!(error instanceof WolkvoxFailure)) {
			return new WolkvoxFailure('badEnvelope', { shape: 'the answer could not be read' });
		}
		if (error.kind === 'simultaneous' && tokenQueues.abandonedFor(connection.key) > 0) {
			return new WolkvoxFailure('simultaneous', { ...error.details, ownCallMayRun: true });
		}
		return error;
	}
}
