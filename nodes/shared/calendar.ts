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
const WOLKVOX_TIME_ZONE = 'America/Bogota';
const WOLKVOX_UTC_OFFSET_MS = -5 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

const MONTH_FORMAT = new Intl.DateTimeFormat('en-CA', {
	timeZone: WOLKVOX_TIME_ZONE,
	year: 'numeric',
	month: '2-digit',
});

/** YYYY-MM of the first row whose `date` starts with a date; undefined when none does. */
export function monthOfRows(rows: IDataObject[]): string | undefined {
	for (const row of rows) {
		const match = /^(\d{4})-(\d{2})/.exec(String(row.date ?? ''));
		if (match) return `${match[1]}-${match[2]}`;
	}
	return undefined;
}

/** YYYY-MM in Wolkvox's time zone at this instant. */
export function wolkvoxMonthNow(): string {
	const parts = MONTH_FORMAT.formatToParts(new Date());
	const part = (type: string) => parts.find((p) => p.type === type)?.value;
	return `${part('year')}-${part('month')}`;
}

/** Milliseconds until Wolkvox's next midnight, when daily quotas start again. */
export function msUntilWolkvoxMidnight(): number {
	const local = Date.now() + WOLKVOX_UTC_OFFSET_MS;
	return DAY_MS - (((local % DAY_MS) + DAY_MS) % DAY_MS);
}
