/**
 * Every way a Wolkvox call can fail, in plain words: what happened (message) and what to do
 * (description). A new Wolkvox error text is one line in WOLKVOX_SAYS plus, if it means something
 * new, one entry in EXPLAIN.
 *
 * Messages must not contain Node error codes (ECONNREFUSED, ETIMEDOUT, ...): n8n replaces any
 * message containing one with its own generic sentence. Codes go in the description instead.
 */
import type { INode, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { WolkvoxSetupError } from './server';

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

/** Texts Wolkvox puts in `error` or `msg`, matched as substrings of the upper-cased text. */
const WOLKVOX_SAYS: ReadonlyArray<[text: string, kind: FailureKind]> = [
	['PLEASE VALIDATE TOKEN', 'rejectedToken'],
	['PLEASE ENTER THE WOLKVOX-TOKEN', 'missingToken'],
	['TOKEN LIMIT EXCEEDED', 'quotaExceeded'],
	['SIMULTANEOUS REQUESTS', 'simultaneous'],
	['THE API YOU WANT TO CONSULT DOES NOT EXIST', 'unknownReport'],
	['SOME PARAMETERS ARE REQUIRED', 'missingParameters'],
];

export function kindOfWolkvoxText(text: string): FailureKind | undefined {
	const upper = text.toUpperCase();
	return WOLKVOX_SAYS.find(([says]) => upper.includes(says))?.[1];
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
	/** The start of a body that was not what we expected. */
	snippet?: string;
	/** Where the redirect pointed (host only). */
	location?: string;
	/** How long the body was, in characters. */
	bytes?: number;
	/** How long the call waited for earlier calls on the same token. */
	queuedMs?: number;
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
		description: `${said(d)}Wolkvox refuses a call while another one on the same token is running. Another workflow, n8n instance or application uses this token: give each integration its own token, or schedule the workflows at different minutes.`,
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
		description: `Wolkvox answered code 200 but ${d.snippet ?? 'without a data list'}. This is not the documented format; try again later, and if it persists, report it to Wolkvox support.`,
	}),
	htmlBody: (d) => ({
		message: `Wolkvox answered with a web page instead of data${status(d)}`,
		description: `A gateway, proxy or maintenance page answered instead of the Wolkvox API. ${CHECK_CONNECTION}`,
	}),
	notJson: (d) => ({
		message: `Wolkvox’s answer is not JSON${status(d)}`,
		description: `It starts with: ${d.snippet ?? '(nothing)'}. ${CHECK_CONNECTION}`,
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
			(d.snippet ? `The answer starts with ${d.snippet}. ` : '') +
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
		message: `The connection to ${c.host} closed before Wolkvox answered`,
		description: `The network or the server dropped the connection (${d.cause ?? 'reset'}). Try again in a few minutes.`,
	}),
	tls: (d, c) => ({
		message: `The secure connection to ${c.host} failed`,
		description: `Its certificate was not accepted (${d.cause ?? 'TLS'}). If you set a Base URL, check that it points to the right server.`,
	}),
	network: (d, c) => ({
		message: `Could not reach ${c.host}`,
		description: `The request failed before Wolkvox answered (${d.cause ?? 'network error'}). ${CHECK_CONNECTION}`,
	}),
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

/** Removes the secret from any text we show; a last line of defence behind never adding it. */
export function redact(text: string, secret: string): string {
	return secret.length >= 4 ? text.split(secret).join('[hidden]') : text;
}

export function toNodeApiError(
	node: INode,
	failure: WolkvoxFailure,
	context: CallContext & { secret: string; itemIndex?: number },
): NodeApiError {
	const explained = explainFailure(failure, context);
	const message = redact(explained.message, context.secret);
	const description = redact(explained.description, context.secret);
	const httpCode = failure.details.httpCode ? String(failure.details.httpCode) : undefined;
	// A plain object, never the HTTP client's error: that one carries the request headers, token
	// included, and n8n would store it with the failed execution.
	const response: JsonObject = { message, description, kind: failure.kind };
	if (httpCode) response.httpCode = httpCode;
	return new NodeApiError(node, response, {
		message,
		description,
		httpCode,
		itemIndex: context.itemIndex,
	});
}

export function toNodeOperationError(
	node: INode,
	error: WolkvoxSetupError,
	context: { secret: string; itemIndex?: number },
): NodeOperationError {
	return new NodeOperationError(node, redact(error.message, context.secret), {
		description: redact(error.description, context.secret),
		itemIndex: context.itemIndex,
	});
}

/**
 * Any error as an n8n error, for rethrowing from a catch: n8n errors pass through unchanged (a
 * NodeApiError keeps its HTTP code), anything else becomes a NodeOperationError with only a
 * redacted message (the original object might carry request headers).
 */
export function asNodeError(
	node: INode,
	error: unknown,
	context: { secret?: string; itemIndex?: number } = {},
): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) {
		const secret = context.secret ?? '';
		const shown = `${error.message}\n${error.description ?? ''}`;
		if (secret.length < 4 || !shown.includes(secret)) return error;
		return new NodeOperationError(node, redact(error.message, secret), {
			description: redact(error.description ?? '', secret),
			itemIndex: context.itemIndex,
		});
	}
	if (error instanceof WolkvoxSetupError) {
		return toNodeOperationError(node, error, { secret: context.secret ?? '', ...context });
	}
	const message = redact(
		error instanceof Error ? error.message : String(error),
		context.secret ?? '',
	);
	return new NodeOperationError(node, message, { itemIndex: context.itemIndex });
}
