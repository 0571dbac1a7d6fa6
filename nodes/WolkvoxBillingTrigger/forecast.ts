/**
 * Where a count will be at the end of Wolkvox's month: pure arithmetic over the month's samples.
 *
 * - A level (licenses, connectors) is what is held: its forecast is its current value.
 * - A consumption (minutes, calls, characters) starts each month at zero and only grows: its
 *   forecast is the current value plus the recent rate of growth times the time left. The rate is
 *   the growth over the last 7 days when a sample that old exists this month; else the average
 *   since the month began (where the count was 0). Seven days hold a whole week, so traffic on
 *   weekdays only is not projected from weekdays alone; fewer than 7 days of the month give no
 *   forecast, as the first days' noise would decide it.
 *
 * A spike counts at its full size for the 7 days it stays in the window; a month whose traffic
 * starts late is projected from its recent rate once the window has passed the idle days.
 */
import type { ReportKind } from '../shared/reports';
import { DAY_MS, monthBounds, wolkvoxDayAt } from '../shared/calendar';

/** The length of history a consumption's forecast rests on, and the least it needs. */
export const FORECAST_WINDOW_MS = 7 * DAY_MS;

/** One reading of a count: [instant (ms), value]. */
export type Sample = [number, number];

/**
 * The most samples kept per row: one per Wolkvox day (the last of each), so a month holds at most
 * 31, and only the current month's are kept.
 */
export const MAX_SAMPLES = 31;

export interface Forecast {
	/** The projected value at the month's end, rounded to two decimals. */
	forecast: number;
	/** What it rests on: the last 7 days' growth, the month so far, or the current value. */
	basedOn: 'last7Days' | 'monthToDate' | 'currentValue';
	/** Since when the growth was measured (ISO is made by the caller); undefined for a level. */
	since?: number;
	/** The growth per day used; 0 for a level. */
	perDay: number;
}

const rounded = (value: number) => Math.round(value * 100) / 100;

/**
 * The samples with this reading added: at most one per Wolkvox day (a later reading of the same
 * day replaces the earlier), only this month's, in time order, at most MAX_SAMPLES.
 */
export function withSample(samples: Sample[], sample: Sample, month: string): Sample[] {
	const { start, end } = monthBounds(month);
	const day = wolkvoxDayAt(sample[0]);
	const kept = samples.filter(
		([at]) => at >= start && at < end && at < sample[0] && wolkvoxDayAt(at) !== day,
	);
	kept.push(sample);
	return kept.slice(-MAX_SAMPLES);
}

/**
 * The forecast of a row at `now` with value `value` in Wolkvox's month `month`, from its earlier
 * samples (this month's, in time order); undefined while it would rest on less than 7 days.
 */
export function forecastOf(
	kind: ReportKind,
	value: number,
	now: number,
	month: string,
	samples: Sample[],
): Forecast | undefined {
	if (kind === 'level') return { forecast: value, basedOn: 'currentValue', perDay: 0 };
	const { start, end } = monthBounds(month);
	const left = Math.max(0, end - now);
	let base: Sample | undefined;
	for (const sample of samples) if (sample[0] <= now - FORECAST_WINDOW_MS) base = sample;
	// The value grown at its rate since `since` (where it was `from`) until the month's end.
	const projected = (basedOn: Forecast['basedOn'], since: number, from: number): Forecast => {
		const perMs = Math.max(0, (value - from) / (now - since));
		return {
			forecast: rounded(value + perMs * left),
			basedOn,
			since,
			perDay: rounded(perMs * DAY_MS),
		};
	};
	if (base) return projected('last7Days', base[0], base[1]);
	if (now - start < FORECAST_WINDOW_MS) return undefined;
	return projected('monthToDate', start, 0);
}
