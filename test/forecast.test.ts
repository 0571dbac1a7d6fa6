/**
 * The forecast of a month-end count, on synthetic months run poll by poll through the pure
 * decide(): flat, steady growth, weekday-only traffic, a spike, a month that starts late; at
 * Wolkvox's month edges, on leap day. No clock is read: every instant is given.
 */
import type { IDataObject } from 'n8n-workflow';

import { monthBounds, wolkvoxIso } from '../nodes/shared/calendar';
import { decide, signatureOf, type DecideSettings } from '../nodes/WolkvoxBillingTrigger/decide';
import {
	FORECAST_WINDOW_MS,
	forecastOf,
	MAX_SAMPLES,
	withSample,
} from '../nodes/WolkvoxBillingTrigger/forecast';
import type { TriggerState } from '../nodes/WolkvoxBillingTrigger/state';

const DAY = 24 * 60 * 60 * 1000;
const HOUR = 60 * 60 * 1000;

const settings = (threshold: number, api = 'ivr_minutes'): DecideSettings => ({
	api,
	emit: 'forecast',
	threshold,
	direction: 'up',
	kind: api === 'ivr_minutes' ? 'consumption' : 'level',
	source: 'test',
});

/** Wolkvox's `date` text for an instant (Bogotá, UTC−5). */
const dateOf = (instant: number) => wolkvoxIso(instant).slice(0, 19).replace('T', ' ');

interface Day {
	day: number;
	value: number;
	forecast: number | null;
	emitted: boolean;
}

/**
 * One poll a day at `hour` o'clock in Bogotá through Wolkvox's month `month`, the count on day d
 * being `valueOn(d)` (the total so far). Returns each day's forecast (from a Fetch-like look at
 * the decision) and whether the poll emitted.
 */
function runMonth(
	month: string,
	valueOn: (day: number) => number,
	threshold: number,
	hour = 18,
	api = 'ivr_minutes',
): Day[] {
	const { start, end } = monthBounds(month);
	let state: TriggerState = {};
	const days: Day[] = [];
	for (let day = 1; start + (day - 1) * DAY < end; day++) {
		const now = start + (day - 1) * DAY + hour * HOUR;
		const value = valueOn(day);
		const rows: IDataObject[] = [
			{
				operation: 'O',
				description: 'IVR minutes inbound',
				items: value,
				date: dateOf(now),
				report: api,
			},
		];
		// What the forecast is this poll, whatever the threshold: a threshold no value is below.
		const look = decide({
			// The same state, as if its settings had the look's threshold.
			state: { ...state, signature: signatureOf(settings(-Infinity, api)), warned: [] },
			rows,
			settings: settings(-Infinity, api),
			now,
			firstAfterActivation: day === 1,
		});
		const decision = decide({
			state,
			rows,
			settings: settings(threshold, api),
			now,
			firstAfterActivation: day === 1,
		});
		days.push({
			day,
			value,
			forecast: (look.emit[0]?.forecast as number | undefined) ?? null,
			emitted: decision.emit.length > 0,
		});
		state = decision.next ?? state;
	}
	return days;
}

const finalValue = (days: Day[]) => days[days.length - 1].value;
const within = (actual: number, expected: number, share: number) =>
	Math.abs(actual - expected) <= Math.abs(expected) * share;

describe('synthetic months', () => {
	test('flat: nothing used after day 3; the forecast is the count itself', () => {
		const days = runMonth('2026-11', (d) => (d <= 3 ? d * 100 : 300), 1000);
		// Less than 7 days of the month: no forecast yet.
		expect(days.slice(0, 7).every((d) => d.forecast === null)).toBe(true);
		// Once the last 7 days are flat, the forecast is the count.
		for (const d of days.slice(10)) expect(d.forecast).toBe(300);
		expect(days.some((d) => d.emitted)).toBe(false);
	});

	test('steady growth: the forecast is the month’s end, and one warning comes when it reaches the threshold', () => {
		const perDay = 400;
		const days = runMonth('2026-11', (d) => Math.round(perDay * (d - 1 + 18 / 24)), 10_000);
		const end = perDay * 30;
		for (const d of days.slice(8)) expect(within(d.forecast as number, end, 0.01)).toBe(true);
		const warned = days.filter((d) => d.emitted).map((d) => d.day);
		// 12,000 projected from day 8 on: warned on the first day a forecast is made, and only then.
		expect(warned).toEqual([8]);
	});

	test('weekday-only traffic: a 7-day window averages the weekend in', () => {
		// 1 November 2026 is a Sunday: traffic Monday to Friday, 600 a day.
		const weekday = (d: number) => {
			const weekdayOf = (d - 1) % 7; // 0 = Sunday
			return weekdayOf >= 1 && weekdayOf <= 5;
		};
		const valueOn = (d: number) => {
			let total = 0;
			for (let i = 1; i <= d; i++) if (weekday(i)) total += 600;
			return total;
		};
		const days = runMonth('2026-11', valueOn, 1_000_000);
		const end = finalValue(days);
		for (const d of days.slice(13)) expect(within(d.forecast as number, end, 0.1)).toBe(true);
		// Projecting weekdays alone (600 a day for 30 days) would have said 18,000.
		expect(end).toBe(600 * 21);
	});

	test('a spike: the forecast jumps for the 7 days it stays in the window, and one warning is given', () => {
		const valueOn = (d: number) => 100 * d + (d >= 12 ? 5000 : 0);
		const days = runMonth('2026-11', valueOn, 8000);
		const byDay = (n: number) => days[n - 1].forecast as number;
		expect(byDay(11)).toBeLessThan(4000);
		expect(byDay(12)).toBeGreaterThan(8000);
		// Seven days on, the spike has left the window: back to the steady rate plus its size.
		expect(within(byDay(20), 100 * 30 + 5000, 0.02)).toBe(true);
		expect(days.filter((d) => d.emitted).map((d) => d.day)).toEqual([12]);
	});

	test('a month that starts late: projected from the recent rate once the idle days have left the window', () => {
		const valueOn = (d: number) => (d < 10 ? 0 : 500 * (d - 9));
		const days = runMonth('2026-11', valueOn, 1_000_000);
		const end = finalValue(days);
		// Month to date (day 8, 9) is 0; from day 17 the last 7 days are all traffic.
		expect(days[7].forecast).toBe(0);
		for (const d of days.slice(17)) expect(within(d.forecast as number, end, 0.05)).toBe(true);
	});

	test('a level (licenses) is its current value from the first poll, warned once a month', () => {
		const days = runMonth('2026-11', (d) => (d < 5 ? 38 : 41), 40, 18, 'agent_script');
		expect(days[0].forecast).toBe(38);
		expect(days.filter((d) => d.emitted).map((d) => d.day)).toEqual([5]);
	});
});

describe('at the month’s edges', () => {
	test.each([
		['the end of November', '2026-11', 30],
		['the end of the year', '2026-12', 31],
		['29 February', '2028-02', 29],
		['28 February', '2027-02', 28],
	])('%s: the projection ends at Wolkvox’s midnight', (_label, month, length) => {
		const { start, end } = monthBounds(month);
		expect((end - start) / DAY).toBe(length);
		// Steady 100 a day, read one minute before the month ends: the forecast is the count.
		const now = end - 60_000;
		const value = 100 * ((now - start) / DAY);
		const projected = forecastOf('consumption', value, now, month, []);
		expect(projected?.basedOn).toBe('monthToDate');
		expect(within(projected?.forecast as number, 100 * length, 0.001)).toBe(true);
	});

	test('a new month starts afresh: its samples and warnings are its own', () => {
		const november = monthBounds('2026-11');
		const lastPoll = november.end - HOUR;
		const state: TriggerState = {
			signature: JSON.stringify(['ivr_minutes', 'forecast', 100, 'up']),
			source: 'test',
			month: '2026-11',
			rows: {},
			samples: { k: [[lastPoll, 5000]] },
			warned: ['["O","IVR minutes inbound"]'],
		};
		const now = november.end + 8 * DAY;
		const decision = decide({
			state,
			rows: [{ operation: 'O', description: 'IVR minutes inbound', items: 900, date: dateOf(now) }],
			settings: settings(100),
			now,
			firstAfterActivation: false,
		});
		expect(decision.next?.month).toBe('2026-12');
		expect(decision.next?.warned).toEqual(['["O","IVR minutes inbound"]']);
		expect(decision.emit).toHaveLength(1);
		expect(decision.next?.samples).toEqual({ '["O","IVR minutes inbound"]': [[now, 900]] });
	});
});

describe('what the forecast keeps', () => {
	test('one sample a day, this month’s only, at most 31', () => {
		const { start } = monthBounds('2027-01');
		let samples: Array<[number, number]> = [[start - HOUR, 1]];
		for (let i = 0; i < 40 * 4; i++) {
			samples = withSample(samples, [start + i * 6 * HOUR, i], '2027-01');
		}
		expect(samples.length).toBeLessThanOrEqual(MAX_SAMPLES);
		expect(samples[0][0]).toBeGreaterThanOrEqual(start);
		const days = samples.map(([at]) => wolkvoxIso(at).slice(0, 10));
		expect(new Set(days).size).toBe(days.length);
	});

	test('the window is 7 days, and less than 7 days of the month gives no forecast', () => {
		expect(FORECAST_WINDOW_MS).toBe(7 * DAY);
		const { start } = monthBounds('2026-11');
		expect(forecastOf('consumption', 100, start + 7 * DAY - 1, '2026-11', [])).toBeUndefined();
		expect(forecastOf('consumption', 100, start + 7 * DAY, '2026-11', [])).toBeDefined();
	});

	test('the emitted row says what the forecast rests on', () => {
		const { start, end } = monthBounds('2026-11');
		const now = start + 10 * DAY;
		const decision = decide({
			state: {},
			rows: [
				{ operation: 'O', description: 'IVR minutes inbound', items: '1,000', date: dateOf(now) },
			],
			settings: settings(2000),
			now,
			firstAfterActivation: true,
		});
		expect(decision.emit).toEqual([
			expect.objectContaining({
				items: '1,000',
				forecast: 3000,
				threshold: 2000,
				monthEnd: wolkvoxIso(end),
				basedOn: 'monthToDate',
				basedOnSince: '2026-11-01T00:00:00-05:00',
				growthPerDay: 100,
			}),
		]);
	});
});
