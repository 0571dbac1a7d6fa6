/**
 * The one way this package talks to Wolkvox: base URL from the credential, token attached by the
 * credential's `authenticate`, one call at a time per token, a deadline for the whole call and a
 * cap on what it reads, the answer read by `answer.ts`, and every failure turned into an n8n error
 * that says what happened and what to do.
 */
import type {
	ICredentialsDecrypted,
	IExecuteFunctions,
	IHttpRequestOptions,
	IN8nHttpFullResponse,
	IPollFunctions,
} from 'n8n-workflow';

import { readAnswer, type HttpAnswer } from './answer';
import { resolveBaseUrl } from './baseUrl';
import { wait } from './delay';
import {
	asNodeError,
	isRetryable,
	toNodeApiError,
	WolkvoxFailure,
	type CallContext,
	type FailureKind,
} from './errors';
import { MAX_ANSWER_BYTES } from './limits';
import { checkToken, readToken } from './secret';
import { WolkvoxSetupError } from './setupError';
import { QueueWaitCancelled, QueueWaitExpired, queueKey, tokenQueues } from './tokenQueue';

export const CREDENTIAL_TYPE = 'wolkvoxApi';

/** Wolkvox's own limit for one call. */
export const DEFAULT_TIMEOUT_SECONDS = 60;
export const DEFAULT_RETRIES = 3;
export const DEFAULT_MAX_RETRY_WAIT_SECONDS = 30;

/**
 * The waits of a call. Backoff between tries: base × 2^(try − 1), capped, with jitter so that
 * several n8n workers retrying on one token do not collide again in step. A call we gave up on
 * may go on at Wolkvox for up to its own limit for one call, 60 s, and hold the token meanwhile.
 */
export interface Pacing {
	baseDelayMs: number;
	maxDelayMs: number;
	abandonedCallMs: number;
}
export const PACING: Pacing = { baseDelayMs: 1000, maxDelayMs: 10_000, abandonedCallMs: 60_000 };

export type WolkvoxContext = IExecuteFunctions | IPollFunctions;

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
	pacing?: Pacing;
}

/** A try that would have less time than this is not started. */
const MIN_TRY_MS = 1000;

/** The credential's token, to keep it out of error texts; '' when there is none to read. */
export async function tokenOf(context: WolkvoxContext): Promise<string> {
	try {
		return readToken(await context.getCredentials(CREDENTIAL_TYPE));
	} catch {
		return '';
	}
}

function backoffMs(attempt: number, pacing: Pacing): number {
	const ceiling = Math.min(pacing.maxDelayMs, pacing.baseDelayMs * 2 ** (attempt - 1));
	return Math.round(ceiling * (0.5 + Math.random() * 0.5));
}

function cancelSignalOf(context: WolkvoxContext): AbortSignal | undefined {
	return 'getExecutionCancelSignal' in context ? context.getExecutionCancelSignal() : undefined;
}

/** Where a credential's calls go, checked once per run: its token, base URL and queue. */
export interface Connection {
	token: string;
	baseUrl: string;
	key: string;
	/**
	 * The credential as read once for the run, handed to n8n with each call: n8n would otherwise
	 * read and decrypt it again for every call (about half a millisecond each, measured).
	 */
	credentials: ICredentialsDecrypted;
}

/**
 * Reads and checks the credential: a token long enough to be real, a Server or Base URL the
 * token may go to. Throws a NodeOperationError that names the field to fix.
 */
export async function connect(context: WolkvoxContext): Promise<Connection> {
	const data = await context.getCredentials(CREDENTIAL_TYPE);
	const token = readToken(data);
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
		return { token, baseUrl, key: queueKey(token), credentials };
	} catch (error) {
		throw asNodeError(context.getNode(), error, { token });
	}
}

/** One call's settings and what the messages may say about it. */
interface Call extends WolkvoxCall, Connection {
	context: CallContext;
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
	const { token } = connection;
	const node = context.getNode();
	const timeoutSeconds = request.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS;
	const retries = request.retries ?? DEFAULT_RETRIES;
	const retryBudgetMs = (request.maxRetryWaitSeconds ?? DEFAULT_MAX_RETRY_WAIT_SECONDS) * 1000;
	const pacing = request.pacing ?? PACING;
	const call: Call = {
		...request,
		...connection,
		context: { host: new URL(connection.baseUrl).host, report: request.api, timeoutSeconds },
	};

	const deadline = request.budgetMs === undefined ? Infinity : performance.now() + request.budgetMs;
	let retryWaitMs = 0;
	for (let attempt = 1; ; attempt++) {
		// Within a budget, a try gets what is left of it if that is less than the Timeout.
		const tryMs = Math.min(timeoutSeconds * 1000, Math.max(1000, deadline - performance.now()));
		call.context.timeoutSeconds = Math.round(tryMs / 100) / 10;
		const outcome = await tryOnce(context, call, tryMs);
		if (!(outcome instanceof WolkvoxFailure)) return outcome;
		let delayMs = backoffMs(attempt, pacing);
		if (outcome.kind === 'simultaneous' && outcome.details.ownCallMayRun) {
			// Our own abandoned call may hold the token at Wolkvox: wait for it to end if we can.
			delayMs = Math.max(delayMs, tokenQueues.abandonedFor(call.key) + pacing.baseDelayMs);
		}
		delayMs = Math.min(
			delayMs,
			retryBudgetMs - retryWaitMs,
			deadline - performance.now() - MIN_TRY_MS,
		);
		if (attempt > retries || !isRetryable(outcome) || delayMs <= 0) {
			throw toNodeApiError(node, outcome, {
				...call.context,
				token,
				itemIndex: request.itemIndex,
				attempts: attempt,
				retryWaitMs,
			});
		}
		context.logger.debug(
			`Wolkvox ${request.path}?api=${request.api}: try ${attempt} of ${retries + 1} failed (${outcome.kind}${
				outcome.details.httpCode ? `, HTTP ${outcome.details.httpCode}` : ''
			}); retrying in ${delayMs} ms`,
		);
		if (!(await wait(delayMs, cancelSignalOf(context)))) {
			throw toNodeApiError(node, new WolkvoxFailure('cancelled'), {
				...call.context,
				token,
				itemIndex: request.itemIndex,
			});
		}
		retryWaitMs += delayMs;
	}
}

/**
 * One try: wait for the token (the wait counts toward the try's time), send, read the answer.
 * Returns the rows, or the failure to retry or report.
 */
async function tryOnce(
	context: WolkvoxContext,
	call: Call,
	tryMs: number,
): Promise<unknown[] | WolkvoxFailure> {
	const cancel = cancelSignalOf(context);
	try {
		return await tokenQueues.run(
			call.key,
			async (queuedMs) => {
				const answer = await send(context, call, Math.max(1, tryMs - queuedMs), cancel);
				if (answer instanceof WolkvoxFailure) {
					if (answer.kind !== 'timeout' && answer.kind !== 'cancelled') return answer;
					// The request had left: Wolkvox may go on with the call we gave up on (timed out or
					// cancelled), and refuse the next ones on the token meanwhile.
					tokenQueues.noteAbandoned(
						call.key,
						call.pacing?.abandonedCallMs ?? PACING.abandonedCallMs,
					);
					return new WolkvoxFailure(answer.kind, { ...answer.details, queuedMs });
				}
				return readRows(answer, call);
			},
			{ maxWaitMs: tryMs, signal: cancel },
		);
	} catch (error) {
		if (error instanceof QueueWaitExpired) {
			return new WolkvoxFailure('queueTimeout', { queuedMs: error.waitedMs });
		}
		if (error instanceof QueueWaitCancelled) return new WolkvoxFailure('cancelled');
		throw asNodeError(context.getNode(), error, { token: call.token });
	}
}

function readRows(answer: HttpAnswer, call: Call): unknown[] | WolkvoxFailure {
	try {
		return readAnswer(answer, call.token);
	} catch (error) {
		if (!(error instanceof WolkvoxFailure)) {
			return new WolkvoxFailure('badEnvelope', { shape: 'the answer could not be read' });
		}
		if (error.kind === 'simultaneous' && tokenQueues.abandonedFor(call.key) > 0) {
			return new WolkvoxFailure('simultaneous', { ...error.details, ownCallMayRun: true });
		}
		return error;
	}
}

/**
 * The body, read to its end within the call's deadline and at most MAX_ANSWER_BYTES long. When
 * the server declares the length (Wolkvox does), the chunks are copied into one buffer of that
 * size as they arrive, so they can be freed at once instead of all being kept and copied again:
 * at 60,000 rows that is 7 MB less held at the peak.
 */
async function readBody(
	stream: NodeJS.ReadableStream,
	signal: AbortSignal,
	declaredBytes: number | undefined,
): Promise<string | WolkvoxFailure> {
	let whole =
		declaredBytes !== undefined && declaredBytes > 0 && declaredBytes <= MAX_ANSWER_BYTES
			? Buffer.allocUnsafe(declaredBytes)
			: undefined;
	const chunks: Buffer[] = [];
	let bytes = 0;
	const destroy = () => (stream as unknown as { destroy?: () => void }).destroy?.();
	signal.addEventListener('abort', destroy, { once: true });
	try {
		for await (const chunk of stream as AsyncIterable<Buffer | string>) {
			const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
			if (bytes + buffer.length > MAX_ANSWER_BYTES) {
				destroy();
				return new WolkvoxFailure('tooLarge', { bytes: MAX_ANSWER_BYTES });
			}
			if (whole && bytes + buffer.length <= whole.length) {
				buffer.copy(whole, bytes);
			} else {
				// More than declared (a decompressed body, say): keep the chunks instead.
				if (whole) chunks.push(whole.subarray(0, bytes));
				whole = undefined;
				chunks.push(buffer);
			}
			bytes += buffer.length;
		}
	} catch (error) {
		return signal.aborted ? new WolkvoxFailure('timeout') : bodyFailure(error);
	} finally {
		signal.removeEventListener('abort', destroy);
	}
	if (signal.aborted) return new WolkvoxFailure('timeout');
	return whole ? whole.toString('utf8', 0, bytes) : Buffer.concat(chunks, bytes).toString('utf8');
}

async function send(
	context: WolkvoxContext,
	call: Call,
	timeoutMs: number,
	cancel: AbortSignal | undefined,
): Promise<HttpAnswer | WolkvoxFailure> {
	// One deadline for the whole exchange, headers and body: a server that trickles its answer
	// byte by byte must not stretch the Timeout.
	const deadline = AbortSignal.timeout(Math.ceil(timeoutMs));
	const signal = cancel ? AbortSignal.any([deadline, cancel]) : deadline;
	const options: IHttpRequestOptions & { wolkvoxSignal?: AbortSignal } = {
		method: 'GET',
		baseURL: call.baseUrl,
		url: call.path,
		qs: { api: call.api },
		headers: { Accept: 'application/json' },
		// Read as a stream: its size is capped and its time bounded here, and the text is parsed
		// once (HTML pages, empty and cut-off bodies all need their own message).
		encoding: 'stream',
		json: false,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		// A redirect would carry the token to wherever it points (the credential refuses it too).
		disableFollowRedirect: true,
		timeout: Math.ceil(timeoutMs),
		abortSignal: signal,
		// n8n replaces abortSignal with the execution's own: the credential puts ours back.
		wolkvoxSignal: signal,
	};
	const started = performance.now();
	const failed = (failure: WolkvoxFailure) => {
		context.logger.debug(`Wolkvox ${call.path}?api=${call.api} failed: ${failure.kind}`, {
			cause: failure.details.cause,
		});
		return failure;
	};
	let response: IN8nHttpFullResponse;
	try {
		response = (await context.helpers.httpRequestWithAuthentication.call(
			context,
			CREDENTIAL_TYPE,
			options,
			{ credentialsDecrypted: call.credentials },
		)) as IN8nHttpFullResponse;
	} catch (error) {
		if (deadline.aborted) return failed(new WolkvoxFailure('timeout'));
		if (cancel?.aborted) return failed(new WolkvoxFailure('cancelled'));
		// The credential refused the request (its token or Server): that is the credential's
		// error, with its own kind, not a network failure.
		const refusal = setupErrorIn(error);
		if (refusal) throw refusal;
		return failed(networkFailure(error));
	}
	const body = await bodyText(response.body, signal, declaredLength(response.headers));
	if (body instanceof WolkvoxFailure) {
		return failed(
			body.kind === 'timeout' && cancel?.aborted ? new WolkvoxFailure('cancelled') : body,
		);
	}
	context.logger.debug(
		`Wolkvox ${call.path}?api=${call.api} answered HTTP ${response.statusCode} in ${Math.round(performance.now() - started)} ms`,
	);
	const location = response.headers?.location;
	return {
		statusCode: response.statusCode,
		body,
		location: typeof location === 'string' ? location : undefined,
	};
}

/** The body as text, whether n8n handed over a stream (as asked) or already read it. */
/** The Content-Length the server declared, if it is a plain whole number. */
function declaredLength(headers: IN8nHttpFullResponse['headers'] | undefined): number | undefined {
	const value = headers?.['content-length'];
	return typeof value === 'string' && /^\d{1,9}$/.test(value) ? Number(value) : undefined;
}

async function bodyText(
	body: unknown,
	signal: AbortSignal,
	declaredBytes: number | undefined,
): Promise<string | WolkvoxFailure> {
	if (body && typeof (body as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function') {
		return await readBody(body as NodeJS.ReadableStream, signal, declaredBytes);
	}
	const text = Buffer.isBuffer(body)
		? body.toString('utf8')
		: typeof body === 'string'
			? body
			: body === undefined || body === null
				? ''
				: String(body);
	return text.length > MAX_ANSWER_BYTES
		? new WolkvoxFailure('tooLarge', { bytes: MAX_ANSWER_BYTES })
		: text;
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
 * How much of an error's texts is searched for a code: codes come first in Node's messages, and
 * ERROR_CODE backtracks on long runs of capitals, so a long text must not reach it.
 */
const MAX_SEARCHED_TEXT = 300;

/** A WolkvoxSetupError the credential's `authenticate` threw, which n8n wrapped as its `cause`. */
function setupErrorIn(error: unknown): WolkvoxSetupError | undefined {
	let current: unknown = error;
	for (let depth = 0; depth < 5 && current && typeof current === 'object'; depth++) {
		if (current instanceof WolkvoxSetupError) return current;
		current = (current as { cause?: unknown }).cause;
	}
	return undefined;
}

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
			if (typeof candidate === 'string' && candidate.length <= 60 && ERROR_CODE.test(candidate)) {
				return candidate;
			}
		}
		if (typeof message === 'string') texts.push(message.slice(0, MAX_SEARCHED_TEXT));
		if (Array.isArray(messages)) {
			for (const text of messages.slice(0, 5)) {
				if (typeof text === 'string') texts.push(text.slice(0, MAX_SEARCHED_TEXT));
			}
		}
		current = (current as { cause?: unknown }).cause;
	}
	for (const text of texts) {
		const match = ERROR_CODE.exec(text);
		if (match) return match[1];
	}
	return undefined;
}

/** zlib's codes (Z_DATA_ERROR, Z_BUF_ERROR) and messages for a body that does not decompress. */
const DECODING =
	/^Z_|incorrect header check|invalid (?:stored )?block|unexpected end of file|Decompression failed/i;

/**
 * Classifies an error met while reading the body: Wolkvox had answered, so the failure is a
 * damaged compression or the connection dropping mid-answer, never "before Wolkvox answered".
 */
function bodyFailure(error: unknown): WolkvoxFailure {
	const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
	const text = typeof message === 'string' ? message.slice(0, MAX_SEARCHED_TEXT) : '';
	if ((typeof code === 'string' && DECODING.test(code)) || DECODING.test(text)) {
		return new WolkvoxFailure('undecodable', {
			cause: typeof code === 'string' && code.length <= 30 ? code : 'bad compressed data',
		});
	}
	const failure = networkFailure(error);
	return new WolkvoxFailure(failure.kind, { ...failure.details, duringBody: true });
}

/** Classifies an error the HTTP client threw (no answer was received). */
function networkFailure(error: unknown): WolkvoxFailure {
	const code = networkCode(error);
	const { message, messages } = (error ?? {}) as { message?: unknown; messages?: unknown };
	const texts = [message, ...(Array.isArray(messages) ? messages.slice(0, 5) : [])]
		.map((text) => (typeof text === 'string' ? text.slice(0, MAX_SEARCHED_TEXT) : ''))
		.join('\n');
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
