/**
 * One HTTP exchange with Wolkvox: the request sent through n8n with the credential (which adds
 * the token), the answer read to its end within one deadline for headers and body and at most
 * MAX_ANSWER_BYTES long, and a network failure classified. Nothing here retries or queues.
 */
import type {
	ICredentialsDecrypted,
	IExecuteFunctions,
	IHttpRequestOptions,
	IN8nHttpFullResponse,
	IPollFunctions,
} from 'n8n-workflow';

import type { HttpAnswer } from './answer';
import { WolkvoxFailure } from './errors';
import type { FailureKind } from './failures';
import { MAX_ANSWER_BYTES } from './limits';
import { WolkvoxSetupError } from './setupError';

export const CREDENTIAL_TYPE = 'wolkvoxApi';

export type WolkvoxContext = IExecuteFunctions | IPollFunctions;

/** One request: where it goes, with which credential, and how long it may take in all. */
export interface Exchange {
	baseUrl: string;
	/** Path under the base URL, e.g. /api/v2/billing.php */
	path: string;
	/** The `api=` value, already checked. */
	api: string;
	credentials: ICredentialsDecrypted;
	timeoutMs: number;
	/** The execution's cancel signal, when it has one. */
	cancel?: AbortSignal;
}

/**
 * Sends the request and reads the answer: the answer, or the failure that kept it from being
 * read. Throws only a WolkvoxSetupError, when the credential refused to send the request.
 */
export async function exchange(
	context: WolkvoxContext,
	request: Exchange,
): Promise<HttpAnswer | WolkvoxFailure> {
	const { path, api, timeoutMs, cancel } = request;
	// One deadline for the whole exchange, headers and body: a server that trickles its answer
	// byte by byte must not stretch the Timeout.
	const deadline = AbortSignal.timeout(Math.ceil(timeoutMs));
	const signal = cancel ? AbortSignal.any([deadline, cancel]) : deadline;
	const started = performance.now();
	const failed = (failure: WolkvoxFailure) => {
		context.logger.debug(`Wolkvox ${path}?api=${api} failed: ${failure.kind}`, {
			cause: failure.details.cause,
		});
		return failure;
	};
	let response: IN8nHttpFullResponse;
	try {
		response = (await context.helpers.httpRequestWithAuthentication.call(
			context,
			CREDENTIAL_TYPE,
			requestOptions(request, signal),
			// The credential as read once for the run: n8n would otherwise read and decrypt it
			// again for every call (about half a millisecond each, measured).
			{ credentialsDecrypted: request.credentials },
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
		`Wolkvox ${path}?api=${api} answered HTTP ${response.statusCode} in ${Math.round(performance.now() - started)} ms`,
	);
	const location = response.headers?.location;
	return {
		statusCode: response.statusCode,
		body,
		location: typeof location === 'string' ? location : undefined,
	};
}

/** The request as n8n's helper takes it. */
function requestOptions(request: Exchange, signal: AbortSignal): IHttpRequestOptions {
	const timeout = Math.ceil(request.timeoutMs);
	const options: IHttpRequestOptions & { wolkvoxSignal?: AbortSignal } = {
		method: 'GET',
		baseURL: request.baseUrl,
		url: request.path,
		qs: { api: request.api },
		headers: { Accept: 'application/json' },
		// Read as a stream: its size is capped and its time bounded here, and the text is parsed
		// once (HTML pages, empty and cut-off bodies all need their own message).
		encoding: 'stream',
		json: false,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		// A redirect would carry the token to wherever it points (the credential refuses it too).
		disableFollowRedirect: true,
		timeout,
		abortSignal: signal,
		// n8n replaces abortSignal with the execution's own: the credential puts ours back.
		wolkvoxSignal: signal,
	};
	return options;
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

/** The Content-Length the server declared, if it is a plain whole number. */
function declaredLength(headers: IN8nHttpFullResponse['headers'] | undefined): number | undefined {
	const value = headers?.['content-length'];
	return typeof value === 'string' && /^\d{1,9}$/.test(value) ? Number(value) : undefined;
}

/** The body as text, whether n8n handed over a stream (as asked) or already read it. */
async function bodyText(
	body: unknown,
	signal: AbortSignal,
	declaredBytes: number | undefined,
): Promise<string | WolkvoxFailure> {
	if (body && typeof (body as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function') {
		return await readBody(body as NodeJS.ReadableStream, signal, declaredBytes);
	}
	// Anything else (nothing, or an object whose String() may throw) is no text.
	const text = Buffer.isBuffer(body)
		? body.toString('utf8')
		: typeof body === 'string'
			? body
			: typeof body === 'number' || typeof body === 'boolean'
				? String(body)
				: '';
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

/** An error's own texts (its message and n8n's `messages`), each cut to MAX_SEARCHED_TEXT. */
function textsOf(error: unknown): string[] {
	const { message, messages } = (error ?? {}) as { message?: unknown; messages?: unknown };
	const texts: string[] = [];
	for (const text of [message, ...(Array.isArray(messages) ? messages.slice(0, 5) : [])]) {
		if (typeof text === 'string') texts.push(text.slice(0, MAX_SEARCHED_TEXT));
	}
	return texts;
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
		const { code, httpCode } = current as Record<string, unknown>;
		for (const candidate of [code, httpCode]) {
			if (typeof candidate === 'string' && candidate.length <= 60 && ERROR_CODE.test(candidate)) {
				return candidate;
			}
		}
		texts.push(...textsOf(current));
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
	const texts = textsOf(error).join('\n');
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
