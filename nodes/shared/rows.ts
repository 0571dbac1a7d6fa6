/**
 * Turning Wolkvox's rows into items' JSON: every field Wolkvox sent, `items` as a number, and our
 * `report` field, so rows of several reports can share a sheet.
 */
import type { IDataObject, INodeExecutionData, IPairedItemData } from 'n8n-workflow';

/**
 * The longest text read as a count. Counts are short; a longer text is not one, and is not
 * looked into (it may come from a proxy, and be megabytes long).
 */
const MAX_COUNT_TEXT = 40;

/** A whole number or decimal, as Wolkvox writes counts ("12", "3.5"). */
const PLAIN_NUMBER = /^-?\d+(?:\.\d+)?$/;
/** Thousands in groups of three with commas, decimals after a point: "9,990", "1,204.5". */
const COMMA_GROUPS = /^-?\d{1,3}(?:,\d{3})+(?:\.\d+)?$/;
/**
 * Thousands in groups with points and decimals after a comma, as Colombia writes them, only
 * where that cannot be read the other way: "1.234.567", "1.234,5". A lone "1.234" stays 1.234.
 */
const POINT_GROUPS = /^-?\d{1,3}(?:(?:\.\d{3}){2,}(?:,\d+)?|\.\d{3},\d+)$/;
/** A percentage, as some Wolkvox reports write a share: "34.64 %". */
const PERCENT = /^(.*?)\s?%$/;

/**
 * Digits only, as Wolkvox writes nearly every count, read without a regular expression: this runs
 * once per row, up to 60,000 times per answer, and a regular expression costs several times more
 * (most of all in a fresh n8n process, before V8 has compiled it).
 */
function digitsValue(text: string): number | undefined {
	const length = text.length;
	if (length === 0 || length > 15) return undefined;
	let value = 0;
	for (let i = 0; i < length; i++) {
		const digit = text.charCodeAt(i) - 48;
		if (digit < 0 || digit > 9) return undefined;
		value = value * 10 + digit;
	}
	return value;
}

/** A number that stands for the text exactly enough to count with: finite, whole part safe. */
const usable = (value: number) =>
	Number.isFinite(value) && Math.abs(value) <= Number.MAX_SAFE_INTEGER ? value : undefined;

/**
 * A count as a number, whether Wolkvox's text or already a number; undefined for anything that
 * is not plainly one: blanks and placeholders (" "), words, booleans, objects, non-finite or
 * unsafely large numbers. A blank is never 0. Nothing locale-dependent: "1,234" stays text in the
 * node's output, as Wolkvox wrote it (measureOf reads it for comparisons).
 */
export function countOf(items: unknown): number | undefined {
	if (typeof items === 'number') return usable(items);
	if (typeof items !== 'string') return undefined;
	const digits = digitsValue(items);
	if (digits !== undefined) return digits;
	if (items.length > MAX_COUNT_TEXT) return undefined;
	const text = items.trim();
	return PLAIN_NUMBER.test(text) ? usable(Number(text)) : undefined;
}

/** The number a text with thousands separators writes ("9,990", "1.234.567"). */
function groupedNumber(text: string): number | undefined {
	if (COMMA_GROUPS.test(text)) return usable(Number(text.replace(/,/g, '')));
	if (POINT_GROUPS.test(text)) return usable(Number(text.replace(/\./g, '').replace(',', '.')));
	return undefined;
}

/**
 * A value to compare with a threshold or an earlier value: a count, a count written with
 * thousands separators ("9,990" is 9990), or a percentage's number ("34.64 %" is 34.64). The
 * node's output keeps those as Wolkvox wrote them; the trigger compares their numbers.
 */
export function measureOf(items: unknown): number | undefined {
	const count = countOf(items);
	if (count !== undefined || typeof items !== 'string' || items.length > MAX_COUNT_TEXT) {
		return count;
	}
	const text = items.trim();
	const percent = PERCENT.exec(text);
	const number = percent ? percent[1].trim() : text;
	return countOf(number) ?? groupedNumber(number);
}

export interface ShapeOptions {
	/** Keep `items` as the text Wolkvox sent instead of a number. */
	keepItemsAsText?: boolean;
	/**
	 * Make the parsed row itself the item's JSON: no copy per row, which matters at Wolkvox's
	 * 60,000 rows. Only the last user of an answer may reuse it; others get copies.
	 */
	reuse?: boolean;
}

/** One row (an object, as readAnswer checked) as an item's JSON. */
export function shapeRow(report: string, raw: unknown, options: ShapeOptions = {}): IDataObject {
	// Spread, not Object.assign: a "__proto__" key from JSON stays a plain field.
	const row: IDataObject = options.reuse ? (raw as IDataObject) : { ...(raw as IDataObject) };
	row.report = report;
	if (!options.keepItemsAsText && typeof row.items === 'string') {
		const count = countOf(row.items);
		if (count !== undefined) row.items = count;
	}
	return row;
}

/**
 * A report's rows as items, all paired to one input item: one pass into an array of its final
 * size, since an answer may hold 60,000 rows.
 */
export function itemsOfRows(
	report: string,
	rows: unknown[],
	options: ShapeOptions,
	pairedItem: IPairedItemData,
): INodeExecutionData[] {
	const items = new Array<INodeExecutionData>(rows.length);
	for (let i = 0; i < rows.length; i++) {
		items[i] = { json: shapeRow(report, rows[i], options), pairedItem };
	}
	return items;
}
