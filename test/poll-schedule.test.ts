/** Reading Poll Times as a schedule: the shortest gap between polls (the 5-minute rule). */
import type { IDataObject } from 'n8n-workflow';

import { pollSchedule, readCron } from '../nodes/WolkvoxBillingTrigger/pollInterval';

const schedule = (...item: IDataObject[]) => pollSchedule({ item });
const MIN = 60;
const HOUR = 3600;
const DAY = 24 * HOUR;

test.each([
	[[{ mode: 'everyMinute' }], MIN],
	[[{ mode: 'everyX', value: 5, unit: 'minutes' }], 5 * MIN],
	[[{ mode: 'everyX', value: 2, unit: 'hours' }], 2 * HOUR],
	[[{ mode: 'everyHour', minute: 10 }], HOUR],
	[[{ mode: 'everyDay', hour: 7, minute: 0 }], DAY],
	[[{ mode: 'everyWeek', hour: 7, minute: 0, weekday: '1' }], DAY],
	[[{ mode: 'everyMonth', hour: 7, minute: 0, dayOfMonth: 1 }], DAY],
	[[{ mode: 'custom', cronExpression: '0 */10 8-18 * * 1-5' }], 10 * MIN],
	[[{ mode: 'custom', cronExpression: '*/15 * * * *' }], 15 * MIN],
	[
		[
			{ mode: 'everyDay', hour: 7, minute: 0 },
			{ mode: 'everyDay', hour: 19, minute: 0 },
		],
		12 * HOUR,
	],
	[
		[
			{ mode: 'everyWeek', hour: 7, minute: 0, weekday: '1' },
			{ mode: 'everyDay', hour: 12, minute: 0 },
		],
		5 * HOUR,
	],
])('%j: shortest gap %i s', (item, shortest) => {
	expect(schedule(...item)).toEqual({ shortestGap: shortest });
});

test.each([
	[7, 4 * MIN], // :56, then :00
	[25, 10 * MIN], // :50, then :00
	[45, 15 * MIN],
])('Every X of %i minutes restarts each hour: shortest gap %i s, marked uneven', (value, gap) => {
	expect(schedule({ mode: 'everyX', value, unit: 'minutes' })).toEqual({
		shortestGap: gap,
		unevenMinutes: value,
	});
});

test('the same answer every time, although n8n adds random seconds when it schedules', () => {
	const item = [
		{ mode: 'everyHour', minute: 0 },
		{ mode: 'everyHour', minute: 5 },
	];
	const gaps = new Set(Array.from({ length: 50 }, () => schedule(...item)?.shortestGap));
	expect([...gaps]).toEqual([5 * MIN]);
});

test('expressions it cannot read are not guessed at: they are marked unreadable', () => {
	expect(schedule({ mode: 'custom', cronExpression: '0 0 L * * *' })).toEqual({ unreadable: true });
	expect(schedule({ mode: 'custom', cronExpression: 'every day' })).toEqual({ unreadable: true });
	expect(schedule()).toBeUndefined();
	expect(readCron('0 0 12 ? * MON')).toEqual({ points: [12 * HOUR], everyDay: false });
});

test.each([
	['@minutely', MIN],
	['@MINUTELY', MIN],
	['@secondly', 1],
	['@hourly', HOUR],
	['@daily', DAY],
	['@weekdays', DAY],
	['0 */JAN * * * *', MIN],
	['0 */FEB * * * *', 2 * MIN],
	['*/sun * * * * *', undefined],
	['0 */5 * * * MON-FRI', 5 * MIN],
])('a custom %j is read as n8n’s cron library reads it: shortest gap %j s', (cron, gap) => {
	const read = schedule({ mode: 'custom', cronExpression: cron });
	// `*/sun` is a step of 0 (Sunday): the library refuses it, and so does this check.
	expect(read).toEqual(gap === undefined ? { unreadable: true } : { shortestGap: gap });
});

test('a cron expression longer than anyone writes is not read', () => {
	const long = `0 */5 * * * *${' '.repeat(300)}`;
	expect(readCron(long)).toBeUndefined();
});
