/**
 * Reading Wolkvox's answer: the envelope `{ code, error, msg, data }` and the rows of `data`.
 * Everything that is not a usable list of rows becomes a WolkvoxFailure with the reason.
 *
 * An answer's body is untrusted: a proxy may echo the request, token included. Nothing of it is
 * quoted in a failure but Wolkvox's own short texts, and only when they cannot hold a secret.
 */
import type { IDataObject } from 'n8n-workflow';

import { WolkvoxFailure } from './errors';
import { kindOfWolkvoxText } from './failures';
import { MAX_ROWS } from './limits';
import type { SecretGuard } from './secret';

export interface HttpAnswer {
	statusCode: number;
	body: string;
	/** The Location header of a redirect. */
	location?: string;
}

/** Words and plain punctuation, as Wolkvox writes its messages; no markup, no paths, no keys. */
const PLAIN_TEXT = /^[\p{L}\p{N} .,;:!?'’()-]{1,100}$/u;

/** Wolkvox's text, for a message: a documented one always; another only if plainly harmless. */
function shownText(text: string | undefined, guard: SecretGuard): string | undefined {
	if (text === undefined || text.length > 200) return undefined;
	if (kindOfWolkvoxText(text)) return text;
	return PLAIN_TEXT.test(text) && !guard.mayReveal(text) ? text : undefined;
}

/** Where a redirect points, for a message: its host, unless the host may hold a secret. */
function redirectHost(location: string | undefined, guard: SecretGuard): string | undefined {
	if (!location) return undefined;
	let host: string;
	try {
		host = new URL(location).host;
	} catch {
		return 'a relative address';
	}
	return host.length <= 60 && !guard.mayReveal(host) ? host : undefined;
}

/**
 * A bare reason phrase, as Wolkvox's error table puts in `error` beside its sentence in `msg`
 * (FORBIDDEN, BAD REQUEST): a sentence, when there is one, says more.
 */
const REASON_PHRASE = /^[A-Z_]+(?: [A-Z_]+){0,2}$/;

/**
 * Wolkvox puts its text in `error` or `msg` (the docs do not say which; its error table suggests
 * a reason in `error` and a sentence in `msg`): a text Wolkvox documents wins, wherever it is;
 * then the first text that is more than a reason phrase; then the first text given.
 */
function wolkvoxTextOf(envelope: IDataObject): string | undefined {
	const texts: string[] = [];
	for (const key of ['error', 'msg', 'message']) {
		const value = envelope[key];
		if (typeof value === 'string' && value.trim() !== '' && value !== 'null') {
			texts.push(value.trim());
		}
	}
	return (
		texts.find((text) => kindOfWolkvoxText(text) !== undefined) ??
		texts.find((text) => text.length > 40 || !REASON_PHRASE.test(text)) ??
		texts[0]
	);
}

function isSuccessCode(code: unknown): boolean {
	return code === 200 || (typeof code === 'string' && code.trim() === '200');
}

function failureForNonJson(answer: HttpAnswer, guard: SecretGuard): WolkvoxFailure {
	const { statusCode: httpCode, body } = answer;
	const ok = httpCode >= 200 && httpCode < 300;
	// A proxy or an older endpoint may send Wolkvox's text as plain text (a long body is none).
	const known = kindOfWolkvoxText(body);
	if (known) return new WolkvoxFailure(known, { httpCode, wolkvoxText: body.trim() });
	const bytes = body.length;
	if (/^\s*</.test(body)) {
		return new WolkvoxFailure(httpCode === 403 ? 'forbidden' : 'htmlBody', { httpCode, bytes });
	}
	if (ok && /^\s*[[{]/.test(body)) return new WolkvoxFailure('truncatedJson', { httpCode, bytes });
	// A short plain text ("Service Unavailable") is worth showing; anything else is not shown.
	const wolkvoxText = shownText(body.trim(), guard);
	const kind = httpCode === 403 ? 'forbidden' : ok ? 'notJson' : 'httpStatus';
	return new WolkvoxFailure(kind, wolkvoxText ? { httpCode, wolkvoxText } : { httpCode, bytes });
}

function describeValue(value: unknown): string {
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'a list';
	return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/**
 * Returns the `data` array of a successful answer, or throws a WolkvoxFailure saying why there
 * is none. An empty `data` is a normal answer (nothing used this month). A successful answer is
 * HTTP 2xx with code 200 and a list in `data`, whatever its texts say; Wolkvox's error texts are
 * read only from other answers. `guard` keeps secrets out of what the failure quotes.
 */
export function readAnswer(answer: HttpAnswer, guard: SecretGuard): unknown[] {
	const { statusCode: httpCode, body } = answer;
	if (httpCode >= 300 && httpCode < 400) {
		throw new WolkvoxFailure('redirect', {
			httpCode,
			location: redirectHost(answer.location, guard),
		});
	}
	if (body.trim() === '') {
		throw new WolkvoxFailure(httpCode === 403 ? 'forbidden' : 'emptyBody', { httpCode });
	}
	let parsed: unknown;
	try {
		// A byte-order mark before the JSON (PHP files saved with one send it) is not part of it.
		parsed = JSON.parse(body.charCodeAt(0) === 0xfeff ? body.slice(1) : body);
	} catch {
		throw failureForNonJson(answer, guard);
	}
	const ok = httpCode >= 200 && httpCode < 300;
	if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
		if (!ok) throw new WolkvoxFailure('httpStatus', { httpCode, bytes: body.length });
		throw new WolkvoxFailure('badEnvelope', {
			httpCode,
			shape: `the answer is ${describeValue(parsed)} instead of an object with code and data`,
		});
	}
	const envelope = parsed as IDataObject;
	if (ok && isSuccessCode(envelope.code) && Array.isArray(envelope.data)) {
		return checkedRows(envelope.data, httpCode);
	}
	throw failureOfEnvelope(envelope, httpCode, guard);
}

/** The rows of a successful answer, bounded and each an object. */
function checkedRows(data: unknown[], httpCode: number): unknown[] {
	if (data.length > MAX_ROWS) {
		throw new WolkvoxFailure('tooLarge', { httpCode, rows: data.length, rowLimit: MAX_ROWS });
	}
	for (const row of data) {
		if (typeof row !== 'object' || row === null || Array.isArray(row)) {
			throw new WolkvoxFailure('badEnvelope', {
				httpCode,
				shape: `a row of \`data\` is ${describeValue(row)} instead of an object`,
			});
		}
	}
	return data;
}

/** Why an envelope that is not a success is not: Wolkvox's text, its status, or its shape. */
function failureOfEnvelope(
	envelope: IDataObject,
	httpCode: number,
	guard: SecretGuard,
): WolkvoxFailure {
	const text = wolkvoxTextOf(envelope);
	const known = text === undefined ? undefined : kindOfWolkvoxText(text);
	if (known) return new WolkvoxFailure(known, { httpCode, wolkvoxText: text });
	const wolkvoxText = shownText(text, guard);
	if (httpCode < 200 || httpCode >= 300) {
		const kind = httpCode === 403 ? 'forbidden' : 'httpStatus';
		return new WolkvoxFailure(kind, { httpCode, wolkvoxText });
	}
	if (!isSuccessCode(envelope.code)) {
		// Only a number or a text is a code: an object's String() may throw (its toString can be
		// anything JSON can write, `false` say).
		const raw = envelope.code;
		const code = typeof raw === 'number' || typeof raw === 'string' ? String(raw) : undefined;
		return new WolkvoxFailure('apiError', {
			httpCode,
			wolkvoxText,
			envelopeCode: code !== undefined && /^-?\d{1,6}$/.test(code) ? code : undefined,
		});
	}
	const { data } = envelope;
	return new WolkvoxFailure('badEnvelope', {
		httpCode,
		shape:
			data === undefined
				? '`data` is missing'
				: `\`data\` is ${describeValue(data)}, not a list of rows`,
	});
}
