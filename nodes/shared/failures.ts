/**
 * Every way the package can fail, one row a kind: what happened and what to do (its explanation),
 * the Wolkvox text that names it, whether the call retries it, and the cause n8n's durable poll
 * scheduler reads, from which `retryable` (whether a later run, with nothing changed, may succeed)
 * follows. A new failure is one row here; a new Wolkvox message is one `says`.
 *
 * Messages must not contain Node error codes (ECONNREFUSED, ETIMEDOUT, ...): n8n replaces any
 * message containing one with its own generic sentence. Codes go in the description instead.
 */
import { MAX_ROWS } from './limits';

/** How n8n's durable poll scheduler (2.38+) treats a failed poll, in its own words. */
export type FailureCause =
	| 'rate-limited'
	| 'quota-exhausted'
	| 'temporarily-unavailable'
	| 'credential-invalid'
	| 'configuration-invalid'
	| 'node-defect';

/** Causes that pass by themselves: a later run may succeed (`retryable`). */
const TRANSIENT: ReadonlySet<FailureCause> = new Set([
	'rate-limited',
	'quota-exhausted',
	'temporarily-unavailable',
]);

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
	/** A call of ours on this token timed out or was cancelled and may still run at Wolkvox. */
	ownCallMayRun?: boolean;
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

export interface Explanation {
	message: string;
	description: string;
}

/** One kind of failed call. */
interface CallFailure {
	/** The text Wolkvox documents for it (matched whole, any case and spacing). */
	says?: RegExp;
	/**
	 * Whether the call tries again: always (it can pass in seconds), never (it only spends quota),
	 * or on a server fault (HTTP 5xx or 429).
	 */
	retried: 'always' | 'never' | 'serverFault';
	cause: FailureCause;
	/** An HTTP 4xx other than 408 and 429 means a wrong address: configuration-invalid. */
	byStatus?: true;
	explain: (d: FailureDetails, c: CallContext) => Explanation;
}

const said = (d: FailureDetails) => (d.wolkvoxText ? `Wolkvox answered “${d.wolkvoxText}”. ` : '');
const status = (d: FailureDetails) => (d.httpCode ? ` (HTTP ${d.httpCode})` : '');
const queued = (d: FailureDetails) =>
	d.queuedMs && d.queuedMs >= 1000
		? `The call first waited ${Math.round(d.queuedMs / 1000)} s for other calls on this token; that counts toward the timeout. `
		: '';
const CHECK_CONNECTION =
	'Check the Server number (or Base URL) in the Wolkvox API credential; if it is right, Wolkvox may be down or in maintenance: try again in a few minutes.';

export const CALL_FAILURES = {
	rejectedToken: {
		says: /^PLEASE VALIDATE TOKEN$/,
		retried: 'never',
		cause: 'credential-invalid',
		explain: (d) => ({
			message: 'Wolkvox rejected the token',
			description: `${said(d)}The token in the Wolkvox API credential is invalid, expired or deleted. Create a token in Wolkvox Manager (gear icon > Integrations > Tokens > Add Token) and paste it into the credential.`,
		}),
	},
	missingToken: {
		says: /^PLEASE ENTER THE WOLKVOX-TOKEN$/,
		retried: 'never',
		cause: 'credential-invalid',
		explain: (d) => ({
			message: 'Wolkvox received no token',
			description: `${said(d)}Paste the token into the Token field of the Wolkvox API credential. If it is filled in, a proxy between n8n and Wolkvox may be dropping the wolkvox-token header.`,
		}),
	},
	quotaExceeded: {
		says: /^TOKEN LIMIT EXCEEDED$/,
		retried: 'never',
		cause: 'quota-exhausted',
		explain: (d) => ({
			message: 'The Wolkvox token’s daily quota is used up',
			description: `${said(d)}Wolkvox allows each token 1,000 calls a day for every license of the operation, and counts every call, the credential’s Test button included. The count starts again the next day (Wolkvox server time). Until then use another token; to stay under it, fetch each report at most once every 5 minutes.`,
		}),
	},
	simultaneous: {
		says: /^EXCEEDS THE LIMIT OF SIMULTANEOUS REQUESTS PER TOKEN(?: \(\d+\))?$/,
		retried: 'always',
		cause: 'rate-limited',
		explain: (d) => ({
			message: 'Another request was using this Wolkvox token at the same moment',
			description: d.ownCallMayRun
				? `${said(d)}Wolkvox refuses a call while another one on the same token is running. An earlier call from this n8n on this token timed out, and Wolkvox may still be working on it (it allows a call up to 60 seconds); another workflow, n8n instance or application may also be using the token. Try again in a minute, raise Timeout in the node’s Options if large reports need longer, or give each integration its own token.`
				: `${said(d)}Wolkvox refuses a call while another one on the same token is running. Another workflow, n8n instance or application uses this token: give each integration its own token, or schedule the workflows at different minutes.`,
		}),
	},
	unknownReport: {
		says: /^THE API YOU WANT TO CONSULT DOES NOT EXIST$/,
		retried: 'never',
		cause: 'configuration-invalid',
		explain: (d, c) => ({
			message: `Wolkvox does not know the report “${c.report ?? ''}”`,
			description: `${said(d)}Choose a report from the list, or check the spelling of the custom report name with Wolkvox support. Wolkvox may also refuse reports your operation does not have.`,
		}),
	},
	missingParameters: {
		says: /^SOME PARAMETERS ARE REQUIRED$/,
		retried: 'never',
		cause: 'configuration-invalid',
		explain: (d, c) => ({
			message: 'Wolkvox says a required parameter is missing',
			description: `${said(d)}The node sent api=${c.report ?? ''}. Check that the report name is right; if this report needs more parameters than a report name, it is not one of the billing reports this node supports.`,
		}),
	},
	forbidden: {
		retried: 'always',
		cause: 'temporarily-unavailable',
		explain: (d) =>
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
	},
	apiError: {
		retried: 'never',
		cause: 'temporarily-unavailable',
		explain: (d) => ({
			message: `Wolkvox answered with an error: ${d.wolkvoxText || `code ${d.envelopeCode ?? 'missing'}`}`,
			description: `Wolkvox’s answer carried code ${d.envelopeCode ?? '(none)'} instead of 200${status(d)}. If the text above does not explain it, try again later or ask Wolkvox support what it means.`,
		}),
	},
	badEnvelope: {
		retried: 'never',
		cause: 'temporarily-unavailable',
		explain: (d) => ({
			message: 'Wolkvox’s answer has no list of rows',
			description: `Wolkvox answered code 200 but ${d.shape ?? 'without a data list'}. This is not the documented format; try again later, and if it persists, report it to Wolkvox support.`,
		}),
	},
	htmlBody: {
		retried: 'serverFault',
		cause: 'temporarily-unavailable',
		byStatus: true,
		explain: (d) => ({
			message: `Wolkvox answered with a web page instead of data${status(d)}`,
			description: `A gateway, proxy or maintenance page answered instead of the Wolkvox API. ${CHECK_CONNECTION}`,
		}),
	},
	notJson: {
		retried: 'serverFault',
		cause: 'temporarily-unavailable',
		byStatus: true,
		explain: (d) => ({
			message: `Wolkvox’s answer is not JSON${status(d)}`,
			description: `${
				d.wolkvoxText
					? `It says “${d.wolkvoxText}” instead of the JSON Wolkvox sends.`
					: `The answer (${d.bytes ?? 0} characters) is not the JSON Wolkvox sends; it is not shown, as it could hold anything the server echoed.`
			} ${CHECK_CONNECTION}`,
		}),
	},
	truncatedJson: {
		retried: 'always',
		cause: 'temporarily-unavailable',
		explain: (d) => ({
			message: `Wolkvox’s answer was cut off${status(d)}`,
			description: `The answer (${d.bytes ?? 0} characters) ends in the middle of the JSON: the connection dropped or Wolkvox stopped writing. Try again; very large reports may also hit Wolkvox’s own limits.`,
		}),
	},
	undecodable: {
		retried: 'always',
		cause: 'temporarily-unavailable',
		explain: (d) => ({
			message: `Wolkvox’s answer could not be decompressed${status(d)}`,
			description: `The answer said it was compressed, but its bytes are damaged (${d.cause ?? 'bad data'}): a proxy or the connection changed them on the way. Try again; if it keeps happening, check the proxy or Base URL in the Wolkvox API credential.`,
		}),
	},
	emptyBody: {
		retried: 'serverFault',
		cause: 'temporarily-unavailable',
		byStatus: true,
		explain: (d) => ({
			message: `Wolkvox answered with an empty body${status(d)}`,
			description: CHECK_CONNECTION,
		}),
	},
	httpStatus: {
		retried: 'serverFault',
		cause: 'temporarily-unavailable',
		byStatus: true,
		explain: (d) => ({
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
	},
	tooLarge: {
		retried: 'never',
		cause: 'configuration-invalid',
		explain: (d) =>
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
	},
	redirect: {
		retried: 'never',
		cause: 'configuration-invalid',
		explain: (d) => ({
			message: `Wolkvox redirected the request elsewhere${status(d)}`,
			description: `The answer points to ${d.location ?? 'another address'}. The node does not follow redirects, so that the token only goes to the server in the credential. ${CHECK_CONNECTION}`,
		}),
	},
	timeout: {
		retried: 'always',
		cause: 'temporarily-unavailable',
		explain: (d, c) => ({
			message: `Wolkvox did not answer within ${c.timeoutSeconds} s`,
			description: `${queued(d)}Wolkvox allows a call up to 60 seconds. Try again later, or raise Timeout in the node’s Options if large reports need longer.`,
		}),
	},
	queueTimeout: {
		retried: 'never',
		cause: 'rate-limited',
		explain: (d, c) => ({
			message: `Waited ${c.timeoutSeconds} s for other calls on this Wolkvox token, and the timeout ran out`,
			description: `${queued(d)}The node makes one call at a time per token, because Wolkvox refuses simultaneous calls, and other workflows were using this token all that time. Spread their schedules over different minutes, give busy workflows their own tokens, or raise Timeout in the node’s Options.`,
		}),
	},
	refused: {
		retried: 'always',
		cause: 'temporarily-unavailable',
		explain: (d, c) => ({
			message: `Could not connect to ${c.host}: the connection was refused`,
			description: `Nothing accepts connections there (${d.cause ?? 'refused'}). ${CHECK_CONNECTION}`,
		}),
	},
	hostNotFound: {
		retried: 'never',
		cause: 'temporarily-unavailable',
		explain: (d, c) => ({
			message: `The server ${c.host} does not exist`,
			description: `Its name could not be resolved (${d.cause ?? 'DNS'}). Check the Server number in the Wolkvox API credential: it is the number Wolkvox support gave you, such as 0032 for wv0032.wolkvox.com. If it is right, check this machine’s DNS and internet access.`,
		}),
	},
	reset: {
		retried: 'always',
		cause: 'temporarily-unavailable',
		explain: (d, c) => ({
			message: d.duringBody
				? `The connection to ${c.host} closed while Wolkvox was sending its answer`
				: `The connection to ${c.host} closed before Wolkvox answered`,
			description: `The network or the server dropped the connection (${d.cause ?? 'reset'}). Try again in a few minutes.`,
		}),
	},
	tls: {
		retried: 'never',
		cause: 'configuration-invalid',
		explain: (d, c) => ({
			message: `The secure connection to ${c.host} failed`,
			description: `Its certificate was not accepted (${d.cause ?? 'TLS'}). If you set a Base URL, check that it points to the right server.`,
		}),
	},
	network: {
		retried: 'never',
		cause: 'temporarily-unavailable',
		explain: (d, c) =>
			d.duringBody
				? {
						message: `The answer from ${c.host} could not be read to its end`,
						description: `Wolkvox had begun to answer when reading failed (${d.cause ?? 'network error'}). Try again in a few minutes; if it keeps happening, check the proxy or Base URL in the Wolkvox API credential.`,
					}
				: {
						message: `Could not reach ${c.host}`,
						description: `The request failed before Wolkvox answered (${d.cause ?? 'network error'}). ${CHECK_CONNECTION}`,
					},
	},
	cancelled: {
		retried: 'never',
		cause: 'temporarily-unavailable',
		explain: () => ({
			message: 'The call to Wolkvox was cancelled',
			description: 'The execution was stopped while the node was waiting for Wolkvox.',
		}),
	},
} satisfies Record<string, CallFailure>;

/**
 * Settings refused before any call (WolkvoxSetupError): their message, built where they are
 * found, names the field to fix.
 */
export const SETUP_FAILURES = {
	badServer: { cause: 'configuration-invalid' },
	badBaseUrl: { cause: 'configuration-invalid' },
	foreignHost: { cause: 'configuration-invalid' },
	shortToken: { cause: 'credential-invalid' },
	badToken: { cause: 'credential-invalid' },
	badReportName: { cause: 'configuration-invalid' },
	badOption: { cause: 'configuration-invalid' },
	pollTooOften: { cause: 'configuration-invalid' },
} satisfies Record<string, { cause: FailureCause }>;

export type FailureKind = keyof typeof CALL_FAILURES;
export type SetupKind = keyof typeof SETUP_FAILURES;
/** Every kind of error the package raises, as workflows see it in `kind`. */
export type ErrorKind = FailureKind | SetupKind | 'unexpected';

const isCallKind = (kind: ErrorKind): kind is FailureKind =>
	Object.prototype.hasOwnProperty.call(CALL_FAILURES, kind);
const isSetupKind = (kind: ErrorKind): kind is SetupKind =>
	Object.prototype.hasOwnProperty.call(SETUP_FAILURES, kind);

/** Every kind, for checks of the README's table. */
export const ERROR_KINDS: readonly ErrorKind[] = [
	...(Object.keys(CALL_FAILURES) as FailureKind[]),
	...(Object.keys(SETUP_FAILURES) as SetupKind[]),
	'unexpected',
];

/**
 * The scheduler's cause of an error of this kind and HTTP status. A 429 is a rate limit whatever
 * page it came with; for the kinds read by status, another 4xx (a 404 from a wrong Base URL, 405,
 * 410…) does not pass by itself, and 408 is a timeout.
 */
export function causeOf(kind: ErrorKind, httpCode?: string): FailureCause {
	if (httpCode === '429') return 'rate-limited';
	if (isCallKind(kind)) {
		const row: CallFailure = CALL_FAILURES[kind];
		const code = Number(httpCode);
		if (row.byStatus && code >= 400 && code < 500 && code !== 408) return 'configuration-invalid';
		return row.cause;
	}
	return isSetupKind(kind) ? SETUP_FAILURES[kind].cause : 'node-defect';
}

/** Whether a later run, with nothing changed, may succeed: the public `retryable`. */
export function retryableLater(kind: ErrorKind, httpCode?: string): boolean {
	return TRANSIENT.has(causeOf(kind, httpCode));
}

/** Whether the call tries again after this failure, within its Retries. */
export function retriedInCall(kind: FailureKind, details: FailureDetails): boolean {
	const { retried }: CallFailure = CALL_FAILURES[kind];
	if (retried !== 'serverFault') return retried === 'always';
	const code = details.httpCode ?? 0;
	return code >= 500 || code === 429;
}

/** Longer than any text Wolkvox documents: a longer text is none of them, and is not read. */
const MAX_WOLKVOX_TEXT = 200;

/** The kind a text Wolkvox documents names (matched whole, any case, any spacing). */
export function kindOfWolkvoxText(text: string): FailureKind | undefined {
	if (text.length > MAX_WOLKVOX_TEXT) return undefined;
	const normal = text
		.trim()
		.replace(/\s+/g, ' ')
		.replace(/[.!]+$/, '')
		.toUpperCase();
	for (const kind of Object.keys(CALL_FAILURES) as FailureKind[]) {
		const { says }: CallFailure = CALL_FAILURES[kind];
		if (says?.test(normal)) return kind;
	}
	return undefined;
}

/** What happened and what to do, for a failed call. */
export function explain(
	kind: FailureKind,
	details: FailureDetails,
	context: CallContext,
): Explanation {
	const row: CallFailure = CALL_FAILURES[kind];
	return row.explain(details, context);
}
