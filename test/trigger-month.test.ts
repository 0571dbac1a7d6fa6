/**
 * The trigger at the edges of Wolkvox's month, at pinned instants: the last minute of a month and
 * of a year, 29 February, daylight-saving changes, and workflows whose time zone is far ahead of
 * or behind Wolkvox's (UTC+14, UTC−11) or the same (America/Bogota). Wolkvox's month wins: the
 * rows' `date` (Wolkvox's own time) says which month they are for, and an empty answer is read in
 * Wolkvox's zone, never in the workflow's or the machine's.
 */
import type { IDataObject } from 'n8n-workflow';

import { advanceClock, pinClock } from './support/engine/clock';
import { useSimulator } from './support/engine/fixtures';
import { activateTrigger } from './support/engine/harness';
import { queryDate } from './support/simulator/data';

const fx = useSimulator();
const credentials = () => fx.credentials();
const MINUTE = 60 * 1000;

/** A Wolkvox wall-clock time (Bogotá, UTC−5 all year) as an instant. */
const bogota = (local: string) => new Date(`${local.replace(' ', 'T')}-05:00`);

/** Sets the report to one row with this count, dated now on the test's clock (Wolkvox's time). */
function answer(items: string, date = queryDate(() => new Date())) {
	fx.sim.setReport('agent_script', [
		{ operation: 'Andina Contact Center', description: 'Agent Script', items, date },
	]);
}
const empty = () => fx.sim.setReport('agent_script', []);
const changes = (result: { items: { json: IDataObject }[] | null; error?: unknown }) => {
	expect(result.error).toBeUndefined();
	return (result.items ?? []).map(({ json }) => [json.change, json.previousItems, json.items]);
};

/** The last minute of a Wolkvox month, at 23:59:00 in Bogotá. */
const EDGES: Array<[string, string]> = [
	['the last minute of November', '2026-11-30 23:59:00'],
	['the last minute of the year', '2026-12-31 23:59:00'],
	['the last minute of 29 February', '2028-02-29 23:59:00'],
	// New York is on daylight time here (UTC−4), an hour ahead of Bogotá: already in April.
	['the last minute of a month New York spends on daylight time', '2027-03-31 23:59:00'],
];

const ZONES = [
	'Pacific/Kiritimati', // UTC+14: a whole day into the next month before Wolkvox's ends
	'Pacific/Pago_Pago', // UTC−11: still in the old month hours after Wolkvox's has ended
	'America/Bogota', // Wolkvox's own
	'America/New_York',
	'Asia/Kolkata',
];

describe.each(ZONES)('a workflow in %s', (timezone) => {
	const activate = () => activateTrigger({ credentials: credentials(), timezone });

	describe.each(EDGES)('at %s', (_label, lastMinute) => {
		const end = bogota(lastMinute);

		test('a change in the last minute is emitted, with or without an empty answer before it', async () => {
			for (const emptyBefore of [false, true]) {
				pinClock(new Date(end.getTime() - 10 * MINUTE));
				answer('42');
				const trigger = activate();
				expect(changes(await trigger.poll())).toEqual([]); // baseline
				if (emptyBefore) {
					advanceClock(5 * MINUTE);
					empty();
					expect(changes(await trigger.poll())).toEqual([]);
				}
				pinClock(new Date(end.getTime() + 30 * 1000)); // 23:59:30 at Wolkvox
				answer('45');
				expect(changes(await trigger.poll())).toEqual([['changed', 42, 45]]);
			}
		});

		test('the next month starts with a silent baseline, then its changes are emitted', async () => {
			pinClock(new Date(end.getTime() - 10 * MINUTE));
			answer('42');
			const trigger = activate();
			await trigger.poll();
			pinClock(new Date(end.getTime() + 1.5 * MINUTE)); // 00:00:30 at Wolkvox, a new month
			answer('3');
			expect(changes(await trigger.poll())).toEqual([]);
			advanceClock(5 * MINUTE);
			answer('5');
			expect(changes(await trigger.poll())).toEqual([['changed', 3, 5]]);
		});

		test('a month that starts empty: its first usage is new; rows still dated in the old month compare with the old month', async () => {
			pinClock(new Date(end.getTime() - 10 * MINUTE));
			answer('42');
			const oldMonthDate = queryDate(() => new Date());
			const trigger = activate();
			await trigger.poll();
			pinClock(new Date(end.getTime() + 1.5 * MINUTE));
			empty(); // nothing used yet in the new month
			expect(changes(await trigger.poll())).toEqual([]);
			// Wolkvox's clock a little behind ours: one more answer dated in the old month.
			answer('45', oldMonthDate);
			expect(changes(await trigger.poll())).toEqual([['changed', 42, 45]]);
			advanceClock(5 * MINUTE);
			answer('2');
			expect(changes(await trigger.poll())).toEqual([['new', null, 2]]);
		});
	});
});

describe('daylight-saving changes of the workflow’s zone are not month edges', () => {
	test.each([
		['New York springs forward', '2027-03-14T06:55:00Z', 'America/New_York'],
		['New York falls back', '2027-11-07T05:55:00Z', 'America/New_York'],
		['Chile falls back at midnight', '2027-04-04T02:55:00Z', 'America/Santiago'],
	])('%s: changes across it are emitted', async (_label, before, timezone) => {
		pinClock(before);
		answer('42');
		const trigger = activateTrigger({ credentials: credentials(), timezone });
		await trigger.poll();
		advanceClock(5 * MINUTE);
		empty();
		expect(changes(await trigger.poll())).toEqual([]);
		advanceClock(5 * MINUTE);
		answer('43');
		expect(changes(await trigger.poll())).toEqual([['changed', 42, 43]]);
	});
});

describe('the machine’s time zone does not matter', () => {
	const machineZone = process.env.TZ;
	afterEach(() => {
		if (machineZone === undefined) delete process.env.TZ;
		else process.env.TZ = machineZone;
	});

	test.each(['Pacific/Kiritimati', 'Pacific/Pago_Pago', 'Asia/Kolkata', 'UTC'])(
		'%s: an empty answer in Wolkvox’s last minute is still Wolkvox’s old month',
		async (zone) => {
			process.env.TZ = zone;
			const end = bogota('2026-12-31 23:59:00');
			pinClock(new Date(end.getTime() - 10 * MINUTE));
			answer('42');
			expect(queryDate(() => new Date())).toBe('2026-12-31 23:49:00');
			const trigger = activateTrigger({ credentials: credentials() });
			await trigger.poll();
			advanceClock(10 * MINUTE);
			empty();
			await trigger.poll();
			advanceClock(30 * 1000);
			answer('45');
			expect(changes(await trigger.poll())).toEqual([['changed', 42, 45]]);
			expect(trigger.state.month).toBe('2026-12');
		},
	);
});
