/** Reading Poll Times as a schedule: shortest gap (the 5-minute rule) and longest gap (pauses). */
import type { IDataObject } from 'n8n-workflow';

import { pollSchedule, readCron } from '../nodes/WolkvoxBillingTrigger/pollInterval';

const schedule = (...item: IDataObject[]) => pollSchedule({ item });
const MIN = 60;
const HOUR = 3600;
const DAY = 24 * HOUR;

test.each([
	[[{ mode: 'everyMinute' }], MIN, MIN],
	[[{ mode: 'everyX', value: 5, unit: 'minutes' }], 5 * MIN, 5 * MIN],
	[[{ mode: 'everyX', value: 7, unit: 'minutes' }], 4 * MIN, 7 * MIN], // :56 then :00
	[[{ mode: 'everyX', value: 2, unit: 'hours' }], 2 * HOUR, 2 * HOUR],
	[[{ mode: 'everyHour', minute: 10 }], HOUR, HOUR],
	[[{ mode: 'everyDay', hour: 7, minute: 0 }], DAY, DAY],
	[[{ mode: 'everyWeek', hour: 7, minute: 0, weekday: '1' }], DAY, 7 * DAY],
	[[{ mode: 'everyMonth', hour: 7, minute: 0, dayOfMonth: 1 }], DAY, 31 * DAY],
	[[{ mode: 'custom', cronExpression: '0 */10 8-18 * * 1-5' }], 10 * MIN, 31 * DAY],
	[[{ mode: 'custom', cronExpression: '*/15 * * * *' }], 15 * MIN, 15 * MIN],
	[
		[
			{ mode: 'everyDay', hour: 7, minute: 0 },
			{ mode: 'everyDay', hour: 19, minute: 0 },
		],
		12 * HOUR,
		12 * HOUR,
	],
	[
		[
			{ mode: 'everyWeek', hour: 7, minute: 0, weekday: '1' },
			{ mode: 'everyDay', hour: 12, minute: 0 },
		],
		5 * HOUR,
		DAY,
	],
])('%j: shortest %i s, longest %i s', (item, shortest, longest) => {
	expect(schedule(...item)).toEqual({ shortestGap: shortest, longestGap: longest });
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
