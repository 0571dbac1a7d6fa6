/**
 * What the trigger emits, poll after poll: rows that are new, changed or gone, or rows whose
 * count crossed a threshold. Pure functions over the previous snapshot and the current rows.
 */
import type { IDataObject } from 'n8n-workflow';

import { countOf } from '../shared/rows';

/** What the trigger remembers of one row between polls. */
export interface TrackedRow {
	operation: unknown;
	description: unknown;
	items: unknown;
}

export type Snapshot = Record<string, TrackedRow>;

/** Rows are the same row from poll to poll when operation and description match. */
export function rowKeys(rows: IDataObject[]): string[] {
	const seen = new Map<string, number>();
	return rows.map((row) => {
		const base = JSON.stringify([row.operation ?? null, row.description ?? null]);
		const count = (seen.get(base) ?? 0) + 1;
		seen.set(base, count);
		return count === 1 ? base : `${base}#${count}`;
	});
}

export function snapshot(rows: IDataObject[], keys: string[]): Snapshot {
	const result: Snapshot = {};
	rows.forEach((row, i) => {
		result[keys[i]] = { operation: row.operation, description: row.description, items: row.items };
	});
	return result;
}

function sameCount(a: unknown, b: unknown): boolean {
	const [x, y] = [countOf(a), countOf(b)];
	return x !== undefined && y !== undefined ? x === y : String(a) === String(b);
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
			const [now, then] = [countOf(row.items), countOf(before.items)];
			out.push({
				...row,
				change: 'changed',
				previousItems: before.items as IDataObject[string],
				difference: now !== undefined && then !== undefined ? now - then : null,
			});
		}
	});
	const current = new Set(keys);
	for (const [key, before] of Object.entries(previous)) {
		if (current.has(key)) continue;
		out.push({
			report,
			operation: before.operation as IDataObject[string],
			description: before.description as IDataObject[string],
			items: null,
			change: 'removed',
			previousItems: before.items as IDataObject[string],
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
		const now = countOf(row.items);
		const before = previous[keys[i]];
		const then = before ? countOf(before.items) : 0;
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
				previousItems: before ? (before.items as IDataObject[string]) : null,
			});
		}
	});
	return out;
}
