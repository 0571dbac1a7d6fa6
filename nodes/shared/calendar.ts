/**
 * Wolkvox's calendar, the only place the nodes read the date. Wolkvox resets its counts when its
 * own month ends and its quotas when its own day ends, in its own time zone, whatever the
 * workflow's time zone says: Wolkvox's month wins.
 *
 * - An answer with rows is for the month of the rows' `date`, which Wolkvox writes in its time.
 * - An answer without rows carries no date: it is for the month in Wolkvox's zone now.
 */
import type { IDataObject } from 'n8n-workflow';

/** Wolkvox runs on Colombian time (UTC−5 all year, no daylight saving). */
const WOLKVOX_UTC_OFFSET_MS = -5 * 60 * 60 * 1000;
const WOLKVOX_OFFSET_TEXT = '-05:00';
export const DAY_MS = 24 * 60 * 60 * 1000;

/** Wolkvox's `date`: YYYY-MM-DD HH:mm:ss, its own wall-clock time. */
const WOLKVOX_DATE = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})/;

/** A row's `date` when it is a text (anything else, from a proxy, is no date). */
const dateOf = (row: IDataObject) => (typeof row.date === 'string' ? row.date.slice(0, 32) : '');

/** YYYY-MM of the first row whose `date` starts with a date; undefined when none does. */
export function monthOfRows(rows: IDataObject[]): string | undefined {
	for (const row of rows) {
		const match = /^(\d{4})-(\d{2})/.exec(dateOf(row));
		if (match) return `${match[1]}-${match[2]}`;
	}
	return undefined;
}

/** The instant of the first row's `date` (Wolkvox's time of the query); undefined if none reads. */
export function instantOfRows(rows: IDataObject[]): number | undefined {
	for (const row of rows) {
		const match = WOLKVOX_DATE.exec(dateOf(row));
		if (!match) continue;
		const [, y, mo, d, h, mi, s] = match.map(Number);
		const instant = Date.UTC(y, mo - 1, d, h, mi, s) - WOLKVOX_UTC_OFFSET_MS;
		if (Number.isFinite(instant)) return instant;
	}
	return undefined;
}

/** Wolkvox's wall-clock fields at an instant. */
function wolkvoxClock(instant: number): Date {
	return new Date(instant + WOLKVOX_UTC_OFFSET_MS);
}

const pad = (value: number, length = 2) => String(value).padStart(length, '0');

/** YYYY-MM in Wolkvox's time zone at an instant. */
export function wolkvoxMonthAt(instant: number): string {
	const clock = wolkvoxClock(instant);
	return `${pad(clock.getUTCFullYear(), 4)}-${pad(clock.getUTCMonth() + 1)}`;
}

/** YYYY-MM in Wolkvox's time zone at this instant. */
export function wolkvoxMonthNow(): string {
	return wolkvoxMonthAt(Date.now());
}

/** YYYY-MM-DD in Wolkvox's time zone at an instant. */
export function wolkvoxDayAt(instant: number): string {
	const clock = wolkvoxClock(instant);
	return `${wolkvoxMonthAt(instant)}-${pad(clock.getUTCDate())}`;
}

/** The instants Wolkvox's month YYYY-MM starts and ends (its next month's first midnight). */
export function monthBounds(month: string): { start: number; end: number } {
	const [year, number] = month.split('-').map(Number);
	const start = Date.UTC(year, number - 1, 1) - WOLKVOX_UTC_OFFSET_MS;
	const end = Date.UTC(year, number, 1) - WOLKVOX_UTC_OFFSET_MS;
	return { start, end };
}

/** An instant in ISO 8601 with Wolkvox's offset: 2026-11-30T23:55:02-05:00. */
export function wolkvoxIso(instant: number): string {
	const clock = wolkvoxClock(instant);
	return (
		`${wolkvoxDayAt(instant)}T${pad(clock.getUTCHours())}:${pad(clock.getUTCMinutes())}:` +
		`${pad(clock.getUTCSeconds())}${WOLKVOX_OFFSET_TEXT}`
	);
}

/** The instant of an ISO 8601 text, or undefined. */
export function instantOfIso(text: unknown): number | undefined {
	if (typeof text !== 'string' || text.length > 40) return undefined;
	const instant = Date.parse(text);
	return Number.isFinite(instant) ? instant : undefined;
}

/** Milliseconds until Wolkvox's next midnight, when daily quotas start again. */
export function msUntilWolkvoxMidnight(): number {
	const local = Date.now() + WOLKVOX_UTC_OFFSET_MS;
	return DAY_MS - (((local % DAY_MS) + DAY_MS) % DAY_MS);
}
