/**
 * Every way a Wolkvox call can fail, in plain words: what happened (message) and what to do
 * (description). A new Wolkvox error text is one line in WOLKVOX_SAYS plus, if it means something
 * new, one entry in EXPLAIN.
 *
 * Messages must not contain Node error codes (ECONNREFUSED, ETIMEDOUT, ...): n8n replaces any
 * message containing one with its own generic sentence. Codes go in the description instead.
 */
import type { IDataObject, INode, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { msUntilWolkvoxMidnight } from './calendar';
import { MAX_ROWS } from './limits';
import { redact } from './secret';
import { WolkvoxSetupError, type SetupKind } from './setupError';

export type FailureKind =
	| 'rejectedToken'
	| 'missingToken'
	| 'quotaExceeded'
	| 'simultaneous'
	| 'unknownReport'
	| 'missingParameters'
	| 'forbidden'
	| 'apiError'
	| 'badEnvelope'
	| 'htmlBody'
	| 'notJson'
	| 'truncatedJson'
	| 'tooLarge'
	| 'undecodable'
	| 'emptyBody'
	| 'httpStatus'
	| 'redirect'
	| 'timeout'
	| 'refused'
	| 'hostNotFound'
	| 'reset'
	| 'tls'
	| 'network'
	| 'queueTimeout'
	| 'cancelled';

/**
 * Texts Wolkvox documents for its errors, in `error` or `msg` or as a plain body. Matched whole
 * (any case, any spacing), and only in answers that are not a success: a success's `msg` may
 * well mention tokens or limits.
 */
const WOLKVOX_SAYS: ReadonlyArray<[text: RegExp, kind: FailureKind]> = [
	[/^PLEASE VALIDATE TOKEN$/, 'rejectedToken'],
	[/^PLEASE ENTER THE WOLKVOX-TOKEN$/, 'missingToken'],
	[/^TOKEN LIMIT EXCEEDED$/, 'quotaExceeded'],
	[/^EXCEEDS THE LIMIT OF SIMULTANEOUS REQUESTS PER TOKEN(?: \(\d+\))?$/, 'simultaneous'],
	[/^THE API YOU WANT TO CONSULT DOES NOT EXIST$/, 'unknownReport'],
	[/^SOME PARAMETERS ARE REQUIRED$/, 'missingParameters'],
];

/** Longer than any text Wolkvox documents: a longer text is none of them, and is not read. */
const MAX_WOLKVOX_TEXT = 200;

export function kindOfWolkvoxText(text: string): FailureKind | undefined {
	if (text.length > MAX_WOLKVOX_TEXT) return undefined;
	const normal = text
		.trim()
		.replace(/\s+/g, ' ')
		.replace(/[.!]+$/, '')
		.toUpperCase();
	return WOLKVOX_SAYS.find(([says]) => says.test(normal))?.[1];
}

export interface FailureDetails {
	/** HTTP status of the answer, when there was one. */
	httpCode?: number;
	/** Wolkvox's own `error` / `msg` text. */
	wolkvoxText?: string;
	/** Wolkvox's envelope `code`, when it was not 200. */
	envelopeCode?: string;
	/** Node's network error code (ECONNREFUSED, ...), for descriptions. */
	cause?: string;
	/** What was wrong with the answer's structure, in our words (never the body itself). */
	shape?: string;
	/** Where the redirect pointed (host only, and only when it cannot hold a secret). */
	location?: string;
	/** How long the body was, in characters (or bytes read, for an answer too large). */
	bytes?: number;
	/** How many rows an answer too large held, and the most that are read. */
	rows?: number;
	rowLimit?: number;
	/** The connection failed after Wolkvox had begun to answer (while the body was read). */
	duringBody?: boolean;
	/** How long the call waited for earlier calls on the same token. */
	queuedMs?: number;
	/** A call of ours on this token timed out and may still be running at Wolkvox. */
	ownCallMayRun?: boolean;
}

/** A classified failure of one call; the transport turns it into an n8n error. */
export class WolkvoxFailure extends Error {
	constructor(
		readonly kind: FailureKind,
		readonly details: FailureDetails = {},
	) {
		super(kind);
		this.name = 'WolkvoxFailure';
	}
}

/** What the explanation may mention about the call that failed. */
export interface CallContext {
	host: string;
	report?: string;
	timeoutSeconds: number;
	/** How many times the call was made, retries included. */
	attempts?: number;
	/** How long the retries waited in all. */
	retryWaitMs?: number;
}

type Explanation = { message: string; description: string };

const said = (d: FailureDetails) => (d.wolkvoxText ? `Wolkvox answered “${d.wolkvoxText}”. ` : '');
const status = (d: FailureDetails) => (d.httpCode ? ` (HTTP ${d.httpCode})` : '');
const queued = (d: FailureDetails) =>
	d.queuedMs && d.queuedMs >= 1000
		? `The call first waited ${Math.round(d.queuedMs / 1000)} s for other calls on this token; that counts toward the timeout. `
		: '';
const CHECK_CONNECTION =
	'Check the Server number (or Base URL) in the Wolkvox API credential; if it is right, Wolkvox may be down or in maintenance: try again in a few minutes.';

const EXPLAIN: Record<FailureKind, (d: FailureDetails, c: CallContext) => Explanation> = {
	rejectedToken: (d) => ({
		message: 'Wolkvox rejected the token',
		description: `${said(d)}The token in the Wolkvox API credential is invalid, expired or deleted. Create a token in Wolkvox Manager (gear icon > Integrations > Tokens > Add Token) and paste it into the credential.`,
	}),
	missingToken: (d) => ({
		message: 'Wolkvox received no token',
		description: `${said(d)}Paste the token into the Token field of the Wolkvox API credential. If it is filled in, a proxy between n8n and Wolkvox may be dropping the wolkvox-token header.`,
	}),
	quotaExceeded: (d) => ({
		message: 'The Wolkvox token’s daily quota is used up',
		description: `${said(d)}Wolkvox allows each token 1,000 calls a day for every license of the operation, and counts every call, the credential’s Test button included. The count starts again the next day (Wolkvox server time). Until then use another token; to stay under it, fetch each report at most once every 5 minutes.`,
	}),
	simultaneous: (d) => ({
		message: 'Another request was using this Wolkvox token at the same moment',
		description: d.ownCallMayRun
			? `${said(d)}Wolkvox refuses a call while another one on the same token is running. An earlier call from this n8n on this token timed out, and Wolkvox may still be working on it (it allows a call up to 60 seconds); another workflow, n8n instance or application may also be using the token. Try again in a minute, raise Timeout in the node’s Options if large reports need longer, or give each integration its own token.`
			: `${said(d)}Wolkvox refuses a call while another one on the same token is running. Another workflow, n8n instance or application uses this token: give each integration its own token, or schedule the workflows at different minutes.`,
	}),
	unknownReport: (d, c) => ({
		message: `Wolkvox does not know the report “${c.report ?? ''}”`,
		description: `${said(d)}Choose a report from the list, or check the spelling of the custom report name with Wolkvox support. Wolkvox may also refuse reports your operation does not have.`,
	}),
	missingParameters: (d, c) => ({
		message: 'Wolkvox says a required parameter is missing',
		description: `${said(d)}The node sent api=${c.report ?? ''}. Check that the report name is right; if this report needs more parameters than a report name, it is not one of the billing reports this node supports.`,
	}),
	forbidden: (d) =>
		d.wolkvoxText
			? {
					// Not one of the texts Wolkvox documents: show it, it is the best clue there is.
					message: `Wolkvox refused the request${status(d)}: ${d.wolkvoxText}`,
					description:
						'Wolkvox also answers 403 during its maintenance and backup windows, which is why the node retries such answers (up to Retries in its Options). If the text is about the token, check the token in the Wolkvox API credential (Wolkvox Manager > Integrations > Tokens); otherwise try again in a few minutes.',
				}
			: {
					message: `Wolkvox refused the request${status(d)} without saying why`,
					description:
						'Wolkvox answers this way during its maintenance and backup windows. Try again in a few minutes; if it keeps happening, check the token in the Wolkvox API credential.',
				},
	apiError: (d) => ({
		message: `Wolkvox answered with an error: ${d.wolkvoxText || `code ${d.envelopeCode ?? 'missing'}`}`,
		description: `Wolkvox’s answer carried code ${d.envelopeCode ?? '(none)'} instead of 200${status(d)}. If the text above does not explain it, try again later or ask Wolkvox support what it means.`,
	}),
	badEnvelope: (d) => ({
		message: 'Wolkvox’s answer has no list of rows',
		description: `Wolkvox answered code 200 but ${d.shape ?? 'without a data list'}. This is not the documented format; try again later, and if it persists, report it to Wolkvox support.`,
	}),
	htmlBody: (d) => ({
		message: `Wolkvox answered with a web page instead of data${status(d)}`,
		description: `A gateway, proxy or maintenance page answered instead of the Wolkvox API. ${CHECK_CONNECTION}`,
	}),
	notJson: (d) => ({
		message: `Wolkvox’s answer is not JSON${status(d)}`,
		description: `${
			d.wolkvoxText
				? `It says “${d.wolkvoxText}” instead of the JSON Wolkvox sends.`
				: `The answer (${d.bytes ?? 0} characters) is not the JSON Wolkvox sends; it is not shown, as it could hold anything the server echoed.`
		} ${CHECK_CONNECTION}`,
	}),
	tooLarge: (d) =>
		d.rows !== undefined
			? {
					message: `Wolkvox’s answer has ${d.rows.toLocaleString('en-US')} rows, more than the ${(d.rowLimit ?? 0).toLocaleString('en-US')} ${d.rowLimit === MAX_ROWS ? 'this node reads' : 'the trigger watches'}`,
					description:
						d.rowLimit === MAX_ROWS
							? 'Wolkvox documents 60,000 rows at most per answer, and its billing reports have one row per product. An answer this long is not a billing report: check the Base URL in the Wolkvox API credential, and that the report name is a billing report.'
							: 'The trigger compares and stores every row at each poll, so it watches reports of a few thousand rows at most. For a report this long, use the Wolkvox Billing node after a Schedule Trigger instead.',
				}
			: {
					message: `Wolkvox’s answer is larger than ${Math.round((d.bytes ?? 0) / 2 ** 20)} MB, and the node stopped reading it`,
					description:
						'Wolkvox’s largest billing answer (60,000 rows) is under 10 MB. An answer this large is not a billing report: check the Base URL in the Wolkvox API credential, and that the report name is a billing report.',
				},
	undecodable: (d) => ({
		message: `Wolkvox’s answer could not be decompressed${status(d)}`,
		description: `The answer said it was compressed, but its bytes are damaged (${d.cause ?? 'bad data'}): a proxy or the connection changed them on the way. Try again; if it keeps happening, check the proxy or Base URL in the Wolkvox API credential.`,
	}),
	truncatedJson: (d) => ({
		message: `Wolkvox’s answer was cut off${status(d)}`,
		description: `The answer (${d.bytes ?? 0} characters) ends in the middle of the JSON: the connection dropped or Wolkvox stopped writing. Try again; very large reports may also hit Wolkvox’s own limits.`,
	}),
	emptyBody: (d) => ({
		message: `Wolkvox answered with an empty body${status(d)}`,
		description: CHECK_CONNECTION,
	}),
	httpStatus: (d) => ({
		message: `Wolkvox answered HTTP ${d.httpCode ?? '?'}${d.wolkvoxText ? `: ${d.wolkvoxText}` : ''}`,
		description:
			(d.bytes ? `The answer (${d.bytes} characters) is not shown. ` : '') +
			(d.httpCode === 429
				? 'Too many calls in a short time. Wait a few minutes and fetch less often (once every 5 minutes is what Wolkvox intends).'
				: d.httpCode === 404
					? 'The address was not found. If you set a Base URL in the credential, check it; otherwise Wolkvox may have moved this API.'
					: (d.httpCode ?? 0) >= 500
						? 'Wolkvox’s server failed to answer the request. Try again in a few minutes.'
						: CHECK_CONNECTION),
	}),
	redirect: (d) => ({
		message: `Wolkvox redirected the request elsewhere${status(d)}`,
		description: `The answer points to ${d.location ?? 'another address'}. The node does not follow redirects, so that the token only goes to the server in the credential. ${CHECK_CONNECTION}`,
	}),
	timeout: (d, c) => ({
		message: `Wolkvox did not answer within ${c.timeoutSeconds} s`,
		description: `${queued(d)}Wolkvox allows a call up to 60 seconds. Try again later, or raise Timeout in the node’s Options if large reports need longer.`,
	}),
	queueTimeout: (d, c) => ({
		message: `Waited ${c.timeoutSeconds} s for other calls on this Wolkvox token, and the timeout ran out`,
		description: `${queued(d)}The node makes one call at a time per token, because Wolkvox refuses simultaneous calls, and other workflows were using this token all that time. Spread their schedules over different minutes, give busy workflows their own tokens, or raise Timeout in the node’s Options.`,
	}),
	refused: (d, c) => ({
		message: `Could not connect to ${c.host}: the connection was refused`,
		description: `Nothing accepts connections there (${d.cause ?? 'refused'}). ${CHECK_CONNECTION}`,
	}),
	hostNotFound: (d, c) => ({
		message: `The server ${c.host} does not exist`,
		description: `Its name could not be resolved (${d.cause ?? 'DNS'}). Check the Server number in the Wolkvox API credential: it is the number Wolkvox support gave you, such as 0032 for wv0032.wolkvox.com. If it is right, check this machine’s DNS and internet access.`,
	}),
	reset: (d, c) => ({
		message: d.duringBody
			? `The connection to ${c.host} closed while Wolkvox was sending its answer`
			: `The connection to ${c.host} closed before Wolkvox answered`,
		description: `The network or the server dropped the connection (${d.cause ?? 'reset'}). Try again in a few minutes.`,
	}),
	tls: (d, c) => ({
		message: `The secure connection to ${c.host} failed`,
		description: `Its certificate was not accepted (${d.cause ?? 'TLS'}). If you set a Base URL, check that it points to the right server.`,
	}),
	network: (d, c) =>
		d.duringBody
			? {
					message: `The answer from ${c.host} could not be read to its end`,
					description: `Wolkvox had begun to answer when reading failed (${d.cause ?? 'network error'}). Try again in a few minutes; if it keeps happening, check the proxy or Base URL in the Wolkvox API credential.`,
				}
			: {
					message: `Could not reach ${c.host}`,
					description: `The request failed before Wolkvox answered (${d.cause ?? 'network error'}). ${CHECK_CONNECTION}`,
				},
	cancelled: () => ({
		message: 'The call to Wolkvox was cancelled',
		description: 'The execution was stopped while the node was waiting for Wolkvox.',
	}),
};

/**
 * Failures that can pass by themselves: the token busy elsewhere, maintenance, server and gateway
 * errors, rate limits, dropped connections and timeouts. Never a rejected token, a used-up quota,
 * an unknown report or bad parameters: retrying those only spends quota.
 */
export function isRetryable(failure: WolkvoxFailure): boolean {
	const status = failure.details.httpCode ?? 0;
	switch (failure.kind) {
		case 'simultaneous':
		case 'forbidden':
		case 'timeout':
		case 'refused':
		case 'reset':
		case 'truncatedJson':
		case 'undecodable':
			return true;
		case 'httpStatus':
		case 'htmlBody':
		case 'notJson':
		case 'emptyBody':
			return status >= 500 || status === 429;
		default:
			return false;
	}
}

function explainFailure(failure: WolkvoxFailure, context: CallContext): Explanation {
	const explained = EXPLAIN[failure.kind](failure.details, context);
	const attempts = context.attempts ?? 1;
	if (attempts <= 1) return explained;
	const waited = Math.round((context.retryWaitMs ?? 0) / 100) / 10;
	return {
		message: `${explained.message} (after ${attempts} attempts)`,
		description: `The node tried ${attempts} times, waiting ${waited} s between tries in all. ${explained.description}`,
	};
}

/** Every kind of error the package raises, as workflows see it in `kind`. */
export type ErrorKind = FailureKind | SetupKind | 'unexpected';

/**
 * How n8n's durable poll scheduler (2.38+) should treat a failed poll, in its own words: transient
 * causes back off and try again, the others wait for a change of settings.
 */
export type FailureCause =
	| 'rate-limited'
	| 'quota-exhausted'
	| 'temporarily-unavailable'
	| 'credential-invalid'
	| 'configuration-invalid'
	| 'node-defect';

const TRANSIENT: ReadonlySet<FailureCause> = new Set([
	'rate-limited',
	'quota-exhausted',
	'temporarily-unavailable',
]);

const CAUSES: Record<ErrorKind, FailureCause> = {
	simultaneous: 'rate-limited',
	queueTimeout: 'rate-limited',
	quotaExceeded: 'quota-exhausted',
	forbidden: 'temporarily-unavailable',
	apiError: 'temporarily-unavailable',
	badEnvelope: 'temporarily-unavailable',
	htmlBody: 'temporarily-unavailable',
	notJson: 'temporarily-unavailable',
	truncatedJson: 'temporarily-unavailable',
	undecodable: 'temporarily-unavailable',
	emptyBody: 'temporarily-unavailable',
	httpStatus: 'temporarily-unavailable',
	timeout: 'temporarily-unavailable',
	refused: 'temporarily-unavailable',
	hostNotFound: 'temporarily-unavailable',
	reset: 'temporarily-unavailable',
	network: 'temporarily-unavailable',
	rejectedToken: 'credential-invalid',
	missingToken: 'credential-invalid',
	shortToken: 'credential-invalid',
	badToken: 'credential-invalid',
	unknownReport: 'configuration-invalid',
	missingParameters: 'configuration-invalid',
	badReportName: 'configuration-invalid',
	badServer: 'configuration-invalid',
	badBaseUrl: 'configuration-invalid',
	foreignHost: 'configuration-invalid',
	badOption: 'configuration-invalid',
	pollTooOften: 'configuration-invalid',
	redirect: 'configuration-invalid',
	tls: 'configuration-invalid',
	tooLarge: 'configuration-invalid',
	// A later run that nobody stops can succeed.
	cancelled: 'temporarily-unavailable',
	unexpected: 'node-defect',
};

/** What a workflow can branch on, kept on every error the package raises (in its `context`). */
export interface ErrorFacts {
	kind: ErrorKind;
	/** Whether a later run, with nothing changed, can succeed. */
	retryable: boolean;
	httpCode?: string;
}

/** Kinds whose HTTP status decides whether the answer came from a wrong address or a failure. */
const BY_STATUS: ReadonlySet<ErrorKind> = new Set([
	'httpStatus',
	'htmlBody',
	'notJson',
	'emptyBody',
]);

/**
 * The scheduler's cause of an error of this kind and status. A 429 is a rate limit whatever page
 * it came with; another 4xx (404 from a wrong Base URL, 405, 410…) does not pass by itself; 403
 * has its own kind (maintenance), and 408 is a timeout.
 */
export function causeOf(kind: ErrorKind, httpCode?: string): FailureCause {
	if (httpCode === '429') return 'rate-limited';
	const status = Number(httpCode);
	if (BY_STATUS.has(kind) && status >= 400 && status < 500 && status !== 408) {
		return 'configuration-invalid';
	}
	return CAUSES[kind];
}

function withFacts<E extends NodeApiError | NodeOperationError>(
	error: E,
	kind: ErrorKind,
	httpCode?: string,
): E {
	const cause = causeOf(kind, httpCode);
	const retryable = TRANSIENT.has(cause);
	Object.assign(error.context, httpCode ? { kind, retryable, httpCode } : { kind, retryable });
	// Read by n8n 2.38+'s durable poll scheduler (`failure.cause` on the error); older n8n
	// ignores it. The quota starts again at Wolkvox's midnight.
	const failure: IDataObject = { cause };
	if (cause === 'quota-exhausted') failure.resetsAtEpochMs = Date.now() + msUntilWolkvoxMidnight();
	Object.assign(error, { failure });
	return error;
}

/** The facts of an error raised by this package; `unexpected` for anything else. */
export function factsOf(error: unknown): ErrorFacts {
	const context = (error as { context?: Partial<ErrorFacts> } | undefined)?.context;
	if (context && typeof context.kind === 'string' && typeof context.retryable === 'boolean') {
		const { kind, retryable, httpCode } = context;
		return httpCode ? { kind, retryable, httpCode } : { kind, retryable };
	}
	return { kind: 'unexpected', retryable: false };
}

export function toNodeApiError(
	node: INode,
	failure: WolkvoxFailure,
	context: CallContext & { token: string; itemIndex?: number },
): NodeApiError {
	const explained = explainFailure(failure, context);
	const message = redact(explained.message, context.token);
	const description = redact(explained.description, context.token);
	const httpCode = failure.details.httpCode ? String(failure.details.httpCode) : undefined;
	// A plain object, never the HTTP client's error: that one carries the request headers, token
	// included, and n8n would store it with the failed execution.
	const response: JsonObject = { message, description, kind: failure.kind };
	if (httpCode) response.httpCode = httpCode;
	const error = new NodeApiError(node, response, {
		message,
		description,
		httpCode,
		itemIndex: context.itemIndex,
	});
	return withFacts(error, failure.kind, httpCode);
}

/** The longest message of an unexpected error we pass on: it may quote anything it met. */
const MAX_UNEXPECTED_MESSAGE = 500;

/** A message cut to MAX_UNEXPECTED_MESSAGE, after the token was hidden in the whole of it. */
const bounded = (message: string) =>
	message.length <= MAX_UNEXPECTED_MESSAGE
		? message
		: `${message.slice(0, MAX_UNEXPECTED_MESSAGE)}… (${message.length} characters)`;

/**
 * Any error as an n8n error, for rethrowing from a catch, with the token hidden from its texts:
 * our own n8n errors pass through unchanged, a setup error becomes a NodeOperationError with its
 * kind, anything else a NodeOperationError with only its message (the original object might
 * carry request headers).
 */
export function asNodeError(
	node: INode,
	error: unknown,
	context: { token?: string; itemIndex?: number } = {},
): NodeApiError | NodeOperationError {
	const token = context.token ?? '';
	const options = { itemIndex: context.itemIndex };
	if (error instanceof NodeApiError || error instanceof NodeOperationError) {
		const message = redact(error.message, token);
		const description = redact(error.description ?? '', token);
		if (message === error.message && description === (error.description ?? '')) {
			const known = typeof (error.context as { kind?: unknown }).kind === 'string';
			return known ? error : withFacts(error, 'unexpected');
		}
		const clean = new NodeOperationError(node, message, { ...options, description });
		const { kind, httpCode } = factsOf(error);
		return withFacts(clean, kind, httpCode);
	}
	if (error instanceof WolkvoxFailure) {
		return toNodeApiError(node, error, { host: '', timeoutSeconds: 0, token, ...options });
	}
	if (error instanceof WolkvoxSetupError) {
		const description = redact(error.description, token);
		const clean = new NodeOperationError(node, redact(error.message, token), {
			...options,
			description,
		});
		return withFacts(clean, error.kind);
	}
	const message = bounded(redact(error instanceof Error ? error.message : String(error), token));
	return withFacts(new NodeOperationError(node, message, options), 'unexpected');
}

/**
 * An error as an item's JSON for On Error: Continue: what happened (`error`), what to do
 * (`description`), and stable fields a workflow can branch on (`kind`, `retryable`, `httpCode`).
 */
export function errorJson(error: NodeApiError | NodeOperationError): IDataObject {
	const { kind, retryable, httpCode } = factsOf(error);
	const json: IDataObject = { error: error.message, kind, retryable };
	if (httpCode) json.httpCode = Number(httpCode);
	if (error.description) json.description = error.description;
	return json;
}
