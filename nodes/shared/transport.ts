/**
 * The one way this package talks to Wolkvox: base URL from the credential, token attached by the
 * credential's `authenticate`, one call at a time per token, the answer read by `envelope`, and
 * every failure turned into an n8n error that says what happened and what to do.
 */
import type {
	IExecuteFunctions,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	IN8nHttpFullResponse,
	IPollFunctions,
} from 'n8n-workflow';
import { readEnvelope, type HttpAnswer } from './envelope';
import {
	asNodeError,
	toNodeApiError,
	WolkvoxFailure,
	type CallContext,
	type FailureKind,
} from './errors';
import { resolveBaseUrl, WolkvoxSetupError } from './server';
import { queueKey, runExclusive } from './tokenQueue';

export const CREDENTIAL_TYPE = 'wolkvoxApi';

/** Wolkvox's own limit for one call. */
export const DEFAULT_TIMEOUT_SECONDS = 60;

export type WolkvoxFunctions = IExecuteFunctions | IPollFunctions | ILoadOptionsFunctions;

export interface WolkvoxCall {
	/** Path under the base URL, e.g. /api/v2/billing.php */
	path: string;
	/** The `api=` value. */
	api: string;
	timeoutSeconds?: number;
	/** The input item the call is for, so n8n can point at it in errors. */
	itemIndex?: number;
}

interface WolkvoxCredentials {
	server?: string;
	token?: string;
	baseUrl?: string;
	[key: string]: unknown;
}

/**
 * Calls Wolkvox and returns the `data` rows of its answer. Throws NodeOperationError when the
 * credential cannot be used as set, NodeApiError for everything Wolkvox or the network did.
 */
export async function fetchData(fx: WolkvoxFunctions, call: WolkvoxCall): Promise<unknown[]> {
	const credentials = (await fx.getCredentials(CREDENTIAL_TYPE)) as WolkvoxCredentials;
	const secret = String(credentials.token ?? '').trim();
	const node = fx.getNode();
	const timeoutSeconds = call.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS;

	let baseUrl: string;
	try {
		baseUrl = resolveBaseUrl(credentials);
	} catch (error) {
		throw asNodeError(node, error, { secret, itemIndex: call.itemIndex });
	}

	const context: CallContext & { secret: string; itemIndex?: number } = {
		host: new URL(baseUrl).host,
		report: call.api,
		timeoutSeconds,
		secret,
		itemIndex: call.itemIndex,
	};
	try {
		return await runExclusive(queueKey(baseUrl, secret), async () => {
			const answer = await send(fx, baseUrl, call, timeoutSeconds);
			return readEnvelope(answer);
		});
	} catch (error) {
		if (error instanceof WolkvoxFailure) throw toNodeApiError(node, error, context);
		const setup = findInCauses(error, (e): e is WolkvoxSetupError => e instanceof WolkvoxSetupError);
		throw asNodeError(node, setup ?? error, context);
	}
}

async function send(
	fx: WolkvoxFunctions,
	baseUrl: string,
	call: WolkvoxCall,
	timeoutSeconds: number,
): Promise<HttpAnswer> {
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
		timeout: timeoutSeconds * 1000,
	};
	const started = Date.now();
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
		throw failure;
	}
	fx.logger.debug(
		`Wolkvox ${call.path}?api=${call.api} answered HTTP ${response.statusCode} in ${Date.now() - started} ms`,
	);
	const { body } = response;
	const location = response.headers?.location;
	return {
		statusCode: response.statusCode,
		body: typeof body === 'string' ? body : body === undefined || body === null ? '' : String(body),
		location: typeof location === 'string' ? location : undefined,
	};
}

function findInCauses<T>(error: unknown, test: (e: unknown) => e is T): T | undefined {
	let current: unknown = error;
	for (let depth = 0; depth < 5 && current; depth++) {
		if (test(current)) return current;
		current = (current as { cause?: unknown }).cause;
	}
	return undefined;
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
		if (Array.isArray(messages)) texts.push(...messages.filter((m): m is string => typeof m === 'string'));
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
	const setup = findInCauses(error, (e): e is WolkvoxSetupError => e instanceof WolkvoxSetupError);
	if (setup) throw setup;
	const code = networkCode(error);
	const texts = JSON.stringify([
		(error as { message?: unknown })?.message,
		(error as { messages?: unknown })?.messages,
	]);
	const byCode = code ? CODE_KINDS.find(([pattern]) => pattern.test(code))?.[1] : undefined;
	const kind: FailureKind =
		byCode ??
		(/timeout/i.test(texts) ? 'timeout' : /socket hang up|aborted/i.test(texts) ? 'reset' : 'network');
	return new WolkvoxFailure(kind, { cause: code ?? 'no error code' });
}
