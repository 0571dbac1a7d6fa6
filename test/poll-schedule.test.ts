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

test('expressions it cannot read are not guessed at', () => {
	expect(schedule({ mode: 'custom', cronExpression: '0 0 L * * *' })).toBeUndefined();
	expect(schedule({ mode: 'custom', cronExpression: 'every day' })).toBeUndefined();
	expect(schedule()).toBeUndefined();
	expect(readCron('0 0 12 ? * MON')).toEqual({ points: [12 * HOUR], everyDay: false });
});
