/**
 * The one way this package talks to Wolkvox: base URL from the credential, token attached by the
 * credential's `authenticate`, one call at a time per token, the answer read by `envelope`, and
 * every failure turned into an n8n error that says what happened and what to do.
 */
import type {
	IExecuteFunctions,
	IHttpRequestOptions,
	IN8nHttpFullResponse,
	IPollFunctions,
} from 'n8n-workflow';
import { wait } from './delay';
import { readEnvelope, type HttpAnswer } from './envelope';
import {
	asNodeError,
	isRetryable,
	toNodeApiError,
	WolkvoxFailure,
	type CallContext,
	type FailureKind,
} from './errors';
import { resolveBaseUrl } from './server';
import { QueueWaitCancelled, QueueWaitExpired, queueKey, runExclusive } from './tokenQueue';

export const CREDENTIAL_TYPE = 'wolkvoxApi';

/** Wolkvox's own limit for one call. */
export const DEFAULT_TIMEOUT_SECONDS = 60;
export const DEFAULT_RETRIES = 3;
export const DEFAULT_MAX_RETRY_WAIT_SECONDS = 30;

/**
 * Backoff between tries: base × 2^(try − 1), capped, with jitter so that several n8n workers
 * retrying on one token do not collide again in step. Tests shorten it.
 */
export const retryTiming = { baseDelayMs: 1000, maxDelayMs: 10_000 };

export type WolkvoxFunctions = IExecuteFunctions | IPollFunctions;

export interface WolkvoxCall {
	/** Path under the base URL, e.g. /api/v2/billing.php */
	path: string;
	/** The `api=` value. */
	api: string;
	/** For each try, including the wait for earlier calls on the same token. */
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

/** A try that would have less time than this is not started. */
const MIN_TRY_MS = 1000;

interface WolkvoxCredentials {
	server?: string;
	token?: string;
	baseUrl?: string;
	[key: string]: unknown;
}

/** The credential's token, to keep it out of error texts; empty when there is none to read. */
export async function tokenOf(fx: WolkvoxFunctions): Promise<string> {
	try {
		const credentials = (await fx.getCredentials(CREDENTIAL_TYPE)) as WolkvoxCredentials;
		return String(credentials.token ?? '').trim();
	} catch {
		return '';
	}
}

function backoffMs(attempt: number): number {
	const ceiling = Math.min(retryTiming.maxDelayMs, retryTiming.baseDelayMs * 2 ** (attempt - 1));
	return Math.round(ceiling * (0.5 + Math.random() * 0.5));
}

function cancelSignalOf(fx: WolkvoxFunctions): AbortSignal | undefined {
	return 'getExecutionCancelSignal' in fx ? fx.getExecutionCancelSignal() : undefined;
}

/**
 * Calls Wolkvox and returns the `data` rows of its answer, retrying failures that can pass.
 * Throws NodeOperationError when the credential cannot be used as set, NodeApiError for
 * everything Wolkvox or the network did.
 */
export async function fetchData(fx: WolkvoxFunctions, call: WolkvoxCall): Promise<unknown[]> {
	const credentials = (await fx.getCredentials(CREDENTIAL_TYPE)) as WolkvoxCredentials;
	const secret = String(credentials.token ?? '').trim();
	const node = fx.getNode();
	const timeoutSeconds = call.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS;
	const retries = Math.max(0, Math.floor(call.retries ?? DEFAULT_RETRIES));
	const retryBudgetMs = (call.maxRetryWaitSeconds ?? DEFAULT_MAX_RETRY_WAIT_SECONDS) * 1000;

	let baseUrl: string;
	try {
		baseUrl = resolveBaseUrl(credentials);
	} catch (error) {
		throw asNodeError(node, error, { secret, itemIndex: call.itemIndex });
	}
	const key = queueKey(baseUrl, secret);
	const context: CallContext & { secret: string; itemIndex?: number } = {
		host: new URL(baseUrl).host,
		report: call.api,
		timeoutSeconds,
		secret,
		itemIndex: call.itemIndex,
	};

	const deadline = call.budgetMs === undefined ? Infinity : performance.now() + call.budgetMs;
	let retryWaitMs = 0;
	for (let attempt = 1; ; attempt++) {
		// Within a budget, a try gets what is left of it if that is less than the Timeout.
		const trySeconds = Math.min(timeoutSeconds, Math.max(1, (deadline - performance.now()) / 1000));
		context.timeoutSeconds = Math.round(trySeconds * 10) / 10;
		const outcome = await tryOnce(fx, baseUrl, key, call, trySeconds, context);
		if (!(outcome instanceof WolkvoxFailure)) return outcome;
		const delayMs = Math.min(
			backoffMs(attempt),
			retryBudgetMs - retryWaitMs,
			deadline - performance.now() - MIN_TRY_MS,
		);
		if (attempt > retries || !isRetryable(outcome) || delayMs <= 0) {
			throw toNodeApiError(node, outcome, { ...context, attempts: attempt, retryWaitMs });
		}
		fx.logger.debug(
			`Wolkvox ${call.path}?api=${call.api}: try ${attempt} of ${retries + 1} failed (${outcome.kind}${
				outcome.details.httpCode ? `, HTTP ${outcome.details.httpCode}` : ''
			}); retrying in ${delayMs} ms`,
		);
		if (!(await wait(delayMs, cancelSignalOf(fx)))) {
			throw toNodeApiError(node, new WolkvoxFailure('cancelled'), context);
		}
		retryWaitMs += delayMs;
	}
}

/**
 * One try: wait for the token (the wait counts toward the timeout), send, read the answer.
 * Returns the rows, or the failure to retry or report.
 */
async function tryOnce(
	fx: WolkvoxFunctions,
	baseUrl: string,
	key: string,
	call: WolkvoxCall,
	timeoutSeconds: number,
	context: CallContext & { secret: string; itemIndex?: number },
): Promise<unknown[] | WolkvoxFailure> {
	const timeoutMs = timeoutSeconds * 1000;
	const node = fx.getNode();
	try {
		return await runExclusive(
			key,
			async (queuedMs) => {
				const answer = await send(fx, baseUrl, call, Math.max(1, timeoutMs - queuedMs));
				if (answer instanceof WolkvoxFailure) {
					return answer.kind === 'timeout'
						? new WolkvoxFailure('timeout', { ...answer.details, queuedMs })
						: answer;
				}
				return readAnswer(answer);
			},
			{ maxWaitMs: timeoutMs, signal: cancelSignalOf(fx) },
		);
	} catch (error) {
		if (error instanceof QueueWaitExpired) {
			return new WolkvoxFailure('queueTimeout', { queuedMs: error.waitedMs });
		}
		if (error instanceof QueueWaitCancelled) return new WolkvoxFailure('cancelled');
		throw asNodeError(node, error, context);
	}
}

function readAnswer(answer: HttpAnswer): unknown[] | WolkvoxFailure {
	try {
		return readEnvelope(answer);
	} catch (error) {
		if (error instanceof WolkvoxFailure) return error;
		return new WolkvoxFailure('badEnvelope', { snippet: 'the answer could not be read' });
	}
}

async function send(
	fx: WolkvoxFunctions,
	baseUrl: string,
	call: WolkvoxCall,
	timeoutMs: number,
): Promise<HttpAnswer | WolkvoxFailure> {
	const options: IHttpRequestOptions = {
		method: 'GET',
		baseURL: baseUrl,
		url: call.path,
		qs: { api: call.api },
		headers: { Accept: 'application/json' },
		// Read the body as text and parse it ourselves: HTML pages, empty and cut-off bodies all
		// need their own message, and one JSON.parse is the cheapest path for large reports.
		encoding: 'text',
		json: false,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		// A redirect would carry the token to wherever it points.
		disableFollowRedirect: true,
		timeout: timeoutMs,
	};
	const started = performance.now();
	let response: IN8nHttpFullResponse;
	try {
		response = (await fx.helpers.httpRequestWithAuthentication.call(
			fx,
			CREDENTIAL_TYPE,
			options,
		)) as IN8nHttpFullResponse;
	} catch (error) {
		const failure = networkFailure(error);
		fx.logger.debug(`Wolkvox ${call.path}?api=${call.api} failed: ${failure.kind}`, {
			cause: failure.details.cause,
		});
		return failure;
	}
	fx.logger.debug(
		`Wolkvox ${call.path}?api=${call.api} answered HTTP ${response.statusCode} in ${Math.round(performance.now() - started)} ms`,
	);
	const { body } = response;
	const location = response.headers?.location;
	return {
		statusCode: response.statusCode,
		body: typeof body === 'string' ? body : body === undefined || body === null ? '' : String(body),
		location: typeof location === 'string' ? location : undefined,
	};
}

const CODE_KINDS: ReadonlyArray<[RegExp, FailureKind]> = [
	[/^ERR_CANCELED$/, 'cancelled'],
	[/^(ECONNABORTED|ETIMEDOUT|ESOCKETTIMEDOUT)$/, 'timeout'],
	[/^ECONNREFUSED$/, 'refused'],
	[/^(ENOTFOUND|EAI_AGAIN|EAI_NONAME|EAI_FAIL)$/, 'hostNotFound'],
	[/^(ECONNRESET|EPIPE|ERR_STREAM_PREMATURE_CLOSE)$/, 'reset'],
	[/CERT|^ERR_TLS|^ERR_SSL|^EPROTO$|SELF_SIGNED|^UNABLE_TO/, 'tls'],
];

/** Node error codes look like ECONNREFUSED, ERR_TLS_CERT_ALTNAME_INVALID, CERT_HAS_EXPIRED. */
const ERROR_CODE = /\b(E[A-Z_]{3,}|ERR_[A-Z_]+|[A-Z_]*CERT[A-Z_]*|UNABLE_TO_[A-Z_]+)\b/;

/**
 * Finds the network error code of a failed request. n8n wraps the HTTP client's error in a
 * NodeApiError that (in n8n 2.x) drops the original `cause` but keeps its code in `httpCode`
 * and its text in `messages`; a newer n8n that keeps `cause` is handled too.
 */
function networkCode(error: unknown): string | undefined {
	const texts: string[] = [];
	let current: unknown = error;
	for (let depth = 0; depth < 5 && current && typeof current === 'object'; depth++) {
		const { code, httpCode, message, messages } = current as Record<string, unknown>;
		for (const candidate of [code, httpCode]) {
			if (typeof candidate === 'string' && ERROR_CODE.test(candidate)) return candidate;
		}
		if (typeof message === 'string') texts.push(message);
		if (Array.isArray(messages))
			texts.push(...messages.filter((m): m is string => typeof m === 'string'));
		current = (current as { cause?: unknown }).cause;
	}
	for (const text of texts) {
		const match = ERROR_CODE.exec(text);
		if (match) return match[1];
	}
	return undefined;
}

/** Classifies an error the HTTP client threw (no answer was received). */
function networkFailure(error: unknown): WolkvoxFailure {
	const code = networkCode(error);
	const texts = JSON.stringify([
		(error as { message?: unknown })?.message,
		(error as { messages?: unknown })?.messages,
	]);
	const byCode = code ? CODE_KINDS.find(([pattern]) => pattern.test(code))?.[1] : undefined;
	const kind: FailureKind =
		byCode ??
		(/timeout/i.test(texts)
			? 'timeout'
			: /socket hang up|aborted/i.test(texts)
				? 'reset'
				: 'network');
	return new WolkvoxFailure(kind, { cause: code ?? 'no error code' });
}
