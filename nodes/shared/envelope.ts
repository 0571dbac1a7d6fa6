/**
 * Reading Wolkvox's answer: the envelope `{ code, error, msg, data }` and the rows of `data`.
 * Everything that is not a usable list of rows becomes a WolkvoxFailure with the reason.
 */
import type { IDataObject } from 'n8n-workflow';

import { kindOfWolkvoxText, WolkvoxFailure } from './errors';

export interface HttpAnswer {
	statusCode: number;
	body: string;
	/** The Location header of a redirect. */
	location?: string;
}

const SNIPPET_LENGTH = 80;

function snippetOf(body: string): string {
	const flat = body.replace(/\s+/g, ' ').trim();
	return `“${flat.length > SNIPPET_LENGTH ? `${flat.slice(0, SNIPPET_LENGTH)}…` : flat}”`;
}

function hostOf(location: string | undefined): string | undefined {
	if (!location) return undefined;
	try {
		return new URL(location).host;
	} catch {
		return 'a relative address';
	}
}

/**
 * Wolkvox puts its text in `error` or `msg` (the docs do not say which): a text Wolkvox documents
 * wins, wherever it is; otherwise the first text given.
 */
function wolkvoxTextOf(envelope: IDataObject): string | undefined {
	const texts: string[] = [];
	for (const key of ['error', 'msg', 'message']) {
		const value = envelope[key];
		if (typeof value === 'string' && value.trim() !== '') texts.push(value.trim());
	}
	return texts.find((text) => kindOfWolkvoxText(text) !== undefined) ?? texts[0];
}

function isSuccessCode(code: unknown): boolean {
	return code === 200 || (typeof code === 'string' && code.trim() === '200');
}

function failureForNonJson(answer: HttpAnswer, body: string): WolkvoxFailure {
	const { statusCode: httpCode } = answer;
	const ok = httpCode >= 200 && httpCode < 300;
	// A proxy or an older endpoint may send Wolkvox's text as plain text.
	const known = body.length <= 500 ? kindOfWolkvoxText(body) : undefined;
	if (known) return new WolkvoxFailure(known, { httpCode, wolkvoxText: body.trim() });
	const isHtml = /^\s*</.test(body);
	if (httpCode === 403) return new WolkvoxFailure('forbidden', { httpCode });
	if (isHtml) return new WolkvoxFailure('htmlBody', { httpCode });
	if (ok && /^\s*[[{]/.test(body)) {
		return new WolkvoxFailure('truncatedJson', { httpCode, bytes: body.length });
	}
	if (!ok) return new WolkvoxFailure('httpStatus', { httpCode, snippet: snippetOf(body) });
	return new WolkvoxFailure('notJson', { httpCode, snippet: snippetOf(body) });
}

/**
 * Returns the `data` array of a successful answer, or throws a WolkvoxFailure saying why there
 * is none. An empty `data` is a normal answer (nothing used this month).
 */
export function readEnvelope(answer: HttpAnswer): unknown[] {
	const { statusCode: httpCode, body } = answer;
	if (httpCode >= 300 && httpCode < 400) {
		throw new WolkvoxFailure('redirect', { httpCode, location: hostOf(answer.location) });
	}
	if (body.trim() === '') {
		throw new WolkvoxFailure(httpCode === 403 ? 'forbidden' : 'emptyBody', { httpCode });
	}
	let parsed: unknown;
	try {
		parsed = JSON.parse(body);
	} catch {
		throw failureForNonJson(answer, body);
	}
	const ok = httpCode >= 200 && httpCode < 300;
	if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
		if (!ok) throw new WolkvoxFailure('httpStatus', { httpCode, snippet: snippetOf(body) });
		throw new WolkvoxFailure('badEnvelope', {
			httpCode,
			snippet: `the answer is ${Array.isArray(parsed) ? 'a bare list' : `the value ${snippetOf(body)}`} instead of an object with code and data`,
		});
	}
	const envelope = parsed as IDataObject;
	const wolkvoxText = wolkvoxTextOf(envelope);
	const known = wolkvoxText === undefined ? undefined : kindOfWolkvoxText(wolkvoxText);
	if (known) throw new WolkvoxFailure(known, { httpCode, wolkvoxText });
	if (!ok) {
		throw new WolkvoxFailure(httpCode === 403 ? 'forbidden' : 'httpStatus', {
			httpCode,
			wolkvoxText,
		});
	}
	if (!isSuccessCode(envelope.code)) {
		throw new WolkvoxFailure('apiError', {
			httpCode,
			wolkvoxText,
			envelopeCode: envelope.code === undefined ? undefined : String(envelope.code),
		});
	}
	const { data } = envelope;
	if (!Array.isArray(data)) {
		throw new WolkvoxFailure('badEnvelope', {
			httpCode,
			snippet:
				data === undefined
					? '`data` is missing'
					: `\`data\` is ${describeValue(data)}, not a list of rows`,
		});
	}
	for (const row of data) {
		if (typeof row !== 'object' || row === null || Array.isArray(row)) {
			throw new WolkvoxFailure('badEnvelope', {
				httpCode,
				snippet: `a row of \`data\` is ${describeValue(row)} instead of an object`,
			});
		}
	}
	return data;
}

function describeValue(value: unknown): string {
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'a list';
	return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** A whole number or decimal, as Wolkvox writes counts ("12", "3.5"); nothing locale-dependent. */
const NUMERIC = /^-?\d+(?:\.\d+)?$/;

/** A count as a number, whether Wolkvox's text or already a number; undefined otherwise. */
export function countOf(items: unknown): number | undefined {
	if (typeof items === 'number') return Number.isFinite(items) ? items : undefined;
	if (typeof items !== 'string') return undefined;
	// Trim only when needed: this runs once per row, up to 60,000 times per answer.
	if (NUMERIC.test(items)) return Number(items);
	const text = items.trim();
	return text !== items && NUMERIC.test(text) ? Number(text) : undefined;
}

/**
 * Turns one row (an object, as readEnvelope checked) into an item's JSON: every field Wolkvox
 * sent, with `items` as a number unless the user keeps Wolkvox's text, and our `report`, so rows
 * of several reports can share a sheet.
 *
 * With `reuse`, the parsed row itself becomes the item's JSON: no copy per row, which matters at
 * Wolkvox's 60,000 rows. Only the last user of an answer may reuse it; others get copies.
 */
export function shapeRow(
	report: string,
	raw: unknown,
	keepItemsAsText: boolean,
	reuse = false,
): IDataObject {
	// Spread, not Object.assign: a "__proto__" key from JSON stays a plain field.
	const row: IDataObject = reuse ? (raw as IDataObject) : { ...(raw as IDataObject) };
	row.report = report;
	if (!keepItemsAsText && typeof row.items === 'string') {
		const count = countOf(row.items);
		if (count !== undefined) row.items = count;
	}
	return row;
}
