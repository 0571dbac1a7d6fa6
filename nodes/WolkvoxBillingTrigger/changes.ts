/**
 * What the trigger emits, poll after poll: rows that are new, changed or gone, or rows whose
 * count crossed a threshold. Pure functions over the previous snapshot and the current rows.
 */
import { createHash } from 'crypto';
import type { IDataObject } from 'n8n-workflow';

import { measureOf } from '../shared/rows';

/** What the trigger remembers of one row between polls: bounded texts, numbers, or null. */
export interface TrackedRow {
	operation: string | number | null;
	description: string | number | null;
	items: string | number | null;
}

export type Snapshot = Record<string, TrackedRow>;

/**
 * The longest text the trigger keeps of one field (and the longest row key). The state is stored
 * after polls, in n8n's database: a proxy's megabyte-long field must not be stored, nor compared
 * character by character at every poll.
 */
export const MAX_TRACKED_TEXT = 200;

/**
 * The most rows the trigger compares and keeps. Wolkvox's billing reports have a row per product,
 * a handful to a hundred; 5,000 rows of bounded fields keep the stored state under a few MB.
 */
export const MAX_TRACKED_ROWS = 5000;

/** A long text, shortened, with a digest of the whole so that a change anywhere in it shows. */
function shortened(text: string): string {
	if (text.length <= MAX_TRACKED_TEXT) return text;
	const digest = createHash('sha256').update(text).digest('hex').slice(0, 16);
	return `${text.slice(0, MAX_TRACKED_TEXT - 20)}… #${digest}`;
}

/**
 * A field's value as the trigger keeps it: JSON numbers, texts (shortened) and null stay what
 * they are; anything else Wolkvox or a proxy may write (true, false, a list, an object, a
 * number too large for JSON) becomes its text, so it is kept and compared like a text.
 */
export function trackedValue(value: unknown): string | number | null {
	if (value === null || value === undefined) return null;
	if (typeof value === 'number' && Number.isFinite(value)) return value;
	if (typeof value === 'string') return shortened(value);
	if (typeof value === 'object') {
		let text: string | undefined;
		try {
			text = JSON.stringify(value);
		} catch {
			text = undefined;
		}
		return shortened(text ?? typeof value);
	}
	return shortened(String(value));
}

/** Rows are the same row from poll to poll when operation and description match. */
export function rowKeys(rows: IDataObject[]): string[] {
	const seen = new Map<string, number>();
	return rows.map((row) => {
		const base = shortened(
			JSON.stringify([trackedValue(row.operation), trackedValue(row.description)]),
		);
		const count = (seen.get(base) ?? 0) + 1;
		seen.set(base, count);
		return count === 1 ? base : `${base}#${count}`;
	});
}

export function snapshot(rows: IDataObject[], keys: string[]): Snapshot {
	const result: Snapshot = {};
	rows.forEach((row, i) => {
		result[keys[i]] = {
			operation: trackedValue(row.operation),
			description: trackedValue(row.description),
			items: trackedValue(row.items),
		};
	});
	return result;
}

function sameCount(a: unknown, b: unknown): boolean {
	const [x, y] = [measureOf(a), measureOf(b)];
	return x !== undefined && y !== undefined ? x === y : trackedValue(a) === trackedValue(b);
}

/** New rows, rows whose items changed (with the previous value and the difference), rows gone. */
export function detectChanges(
	report: string,
	previous: Snapshot,
	rows: IDataObject[],
	keys: string[],
): IDataObject[] {
	const out: IDataObject[] = [];
	rows.forEach((row, i) => {
		const before = previous[keys[i]];
		if (!before) {
			out.push({ ...row, change: 'new', previousItems: null, difference: null });
		} else if (!sameCount(before.items, row.items)) {
			const [now, then] = [measureOf(row.items), measureOf(before.items)];
			out.push({
				...row,
				change: 'changed',
				previousItems: before.items,
				difference: now !== undefined && then !== undefined ? now - then : null,
			});
		}
	});
	const current = new Set(keys);
	for (const [key, before] of Object.entries(previous)) {
		if (current.has(key)) continue;
		out.push({
			report,
			operation: before.operation,
			description: before.description,
			items: null,
			change: 'removed',
			previousItems: before.items,
			difference: null,
		});
	}
	return out;
}

export type Direction = 'up' | 'down' | 'both';

/**
 * Rows whose count crossed the threshold since the last poll: upwards when it was below and is
 * now at or above it, downwards the other way. A row new since the last poll counts as coming
 * from 0. Each crossing is reported once: the next poll compares with the new value.
 */
export function detectCrossings(
	previous: Snapshot,
	rows: IDataObject[],
	keys: string[],
	threshold: number,
	direction: Direction,
): IDataObject[] {
	const out: IDataObject[] = [];
	rows.forEach((row, i) => {
		const now = measureOf(row.items);
		const before = previous[keys[i]];
		const then = before ? measureOf(before.items) : 0;
		if (now === undefined || then === undefined) return;
		const crossed =
			then < threshold && now >= threshold
				? 'up'
				: then >= threshold && now < threshold
					? 'down'
					: undefined;
		if (crossed && (direction === 'both' || direction === crossed)) {
			out.push({
				...row,
				crossed,
				threshold,
				previousItems: before ? before.items : null,
			});
		}
	});
	return out;
}
