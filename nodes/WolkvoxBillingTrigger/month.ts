/**
 * Which month a Wolkvox answer is for. Wolkvox resets its counts when its own month ends, in its
 * own time zone, whatever the workflow's time zone says: Wolkvox's month wins.
 *
 * - An answer with rows: the month of the rows' `date`, which Wolkvox writes in its own time.
 * - An answer without rows carries no date: the month in Wolkvox's zone now. This is the only
 *   place the nodes read the calendar.
 */
import type { IDataObject } from 'n8n-workflow';

/** Wolkvox runs on Colombian time (UTC−5 all year, no daylight saving). */
export const WOLKVOX_TIME_ZONE = 'America/Bogota';

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
