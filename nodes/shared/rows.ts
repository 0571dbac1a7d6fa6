/**
 * Turning Wolkvox's rows into items' JSON: every field Wolkvox sent, `items` as a number, and our
 * `report` field, so rows of several reports can share a sheet.
 */
import type { IDataObject, INodeExecutionData, IPairedItemData } from 'n8n-workflow';

/** A whole number or decimal, as Wolkvox writes counts ("12", "3.5"); nothing locale-dependent. */
const NUMERIC = /^-?\d+(?:\.\d+)?$/;

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

/** A count as a number, whether Wolkvox's text or already a number; undefined otherwise. */
export function countOf(items: unknown): number | undefined {
	if (typeof items === 'number') return Number.isFinite(items) ? items : undefined;
	if (typeof items !== 'string') return undefined;
	const digits = digitsValue(items);
	if (digits !== undefined) return digits;
	// Trim only when needed.
	if (NUMERIC.test(items)) return Number(items);
	const text = items.trim();
	return text !== items && NUMERIC.test(text) ? Number(text) : undefined;
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
