/**
 * Month Closed and Forecast Crossings in n8n's engine, polled as n8n polls an active trigger, at
 * pinned instants: Wolkvox's month and year ends and 29 February, in Bogotá and in the far zones,
 * through restarts (n8n's stored state older than the process's copy), and with an empty first
 * answer of a month.
 */
import type { IDataObject } from 'n8n-workflow';

import { advanceClock, pinClock } from './support/engine/clock';
import { useSimulator } from './support/engine/fixtures';
import { activateTrigger, fetchTestEvent } from './support/engine/harness';
import { queryDate } from './support/simulator/data';

const fx = useSimulator();
const credentials = () => fx.credentials();
const MINUTE = 60 * 1000;
const DAY = 24 * 60 * MINUTE;

/** A Wolkvox wall-clock time (Bogotá, UTC−5 all year) as an instant. */
const bogota = (local: string) => new Date(`${local.replace(' ', 'T')}-05:00`);

/** The report answers these rows, dated now on the test's clock (Wolkvox's time). */
function answer(report: string, ...rows: Array<[string, string]>) {
	fx.sim.setReport(
		report,
		rows.map(([description, items]) => ({
			operation: 'Andina Contact Center',
			description,
			items,
			date: queryDate(() => new Date()),
		})),
	);
}
const jsons = (result: { items: { json: IDataObject }[] | null; error?: unknown }) => {
	expect(result.error).toBeUndefined();
	return (result.items ?? []).map(({ json }) => json);
};

const ZONES = ['America/Bogota', 'Pacific/Kiritimati', 'Pacific/Pago_Pago'];
const EDGES: Array<[string, string, string, string]> = [
	// [label, Wolkvox's last minute of the month, the month, the month's end as Wolkvox writes it]
	['November', '2026-11-30 23:59:00', '2026-11', '2026-12-01T00:00:00-05:00'],
	['the year', '2026-12-31 23:59:00', '2026-12', '2027-01-01T00:00:00-05:00'],
	['29 February', '2028-02-29 23:59:00', '2028-02', '2028-03-01T00:00:00-05:00'],
];

describe.each(ZONES)('Month Closed, a workflow in %s', (timezone) => {
	const activate = (extra: Parameters<typeof activateTrigger>[0] = {}) =>
		activateTrigger({
			credentials: credentials(),
			timezone,
			parameters: { report: 'ivr_minutes', emit: 'monthClosed' },
			...extra,
		});

	describe.each(EDGES)('at the end of %s', (_label, lastMinute, month, monthEnd) => {
		const end = bogota(lastMinute).getTime() + MINUTE;

		test('the first poll of the next month emits the last rows read, once', async () => {
			pinClock(new Date(end - 60 * MINUTE));
			answer('ivr_minutes', ['IVR minutes inbound', '8000'], ['IVR minutes outbound', '1200']);
			const trigger = activate();
			expect(jsons(await trigger.poll())).toEqual([]); // baseline
			pinClock(new Date(end - 5 * MINUTE));
			answer('ivr_minutes', ['IVR minutes inbound', '8731'], ['IVR minutes outbound', '1204']);
			expect(jsons(await trigger.poll())).toEqual([]);

			pinClock(new Date(end + 5 * MINUTE));
			answer('ivr_minutes', ['IVR minutes inbound', '3']);
			const lastReadAt = `${lastMinute.slice(0, 10)}T23:55:00-05:00`;
			expect(jsons(await trigger.poll())).toEqual([
				{
					report: 'ivr_minutes',
					operation: 'Andina Contact Center',
					description: 'IVR minutes inbound',
					items: 8731,
					month,
					lastReadAt,
					monthEnd,
					minutesBeforeMonthEnd: 5,
				},
				expect.objectContaining({ description: 'IVR minutes outbound', items: 1204, month }),
			]);
			advanceClock(5 * MINUTE);
			answer('ivr_minutes', ['IVR minutes inbound', '9']);
			expect(jsons(await trigger.poll())).toEqual([]);
		});

		test('an empty first answer of the month closes it; the rows that follow do not close it again', async () => {
			pinClock(new Date(end - 10 * MINUTE));
			answer('ivr_minutes', ['IVR minutes inbound', '8731']);
			const trigger = activate();
			await trigger.poll();
			pinClock(new Date(end + 2 * MINUTE));
			fx.sim.setReport('ivr_minutes', []);
			expect(jsons(await trigger.poll())).toEqual([
				expect.objectContaining({ items: 8731, month, minutesBeforeMonthEnd: 10 }),
			]);
			advanceClock(5 * MINUTE);
			answer('ivr_minutes', ['IVR minutes inbound', '2']);
			expect(jsons(await trigger.poll())).toEqual([]);
		});
	});
});

describe('Month Closed across restarts', () => {
	const end = bogota('2026-11-30 23:59:00').getTime() + MINUTE;

	test('after a restart, the last rows n8n stored are closed: as read at activation', async () => {
		pinClock(new Date(end - 60 * MINUTE));
		answer('agent_script', ['Agent Script', '40']);
		const trigger = activateTrigger({
			credentials: credentials(),
			parameters: { emit: 'monthClosed' },
		});
		await trigger.poll(); // stored at activation: 40, read at 23:00
		pinClock(new Date(end - 5 * MINUTE));
		answer('agent_script', ['Agent Script', '42']);
		await trigger.poll(); // this process remembers 42; n8n does not store a poll that emits nothing
		trigger.restart();
		pinClock(new Date(end + 5 * MINUTE));
		answer('agent_script', ['Agent Script', '1']);
		expect(jsons(await trigger.poll())).toEqual([
			expect.objectContaining({
				items: 40,
				lastReadAt: '2026-11-30T23:00:00-05:00',
				minutesBeforeMonthEnd: 60,
			}),
		]);
	});

	test('without a restart, this process’s later copy is closed', async () => {
		pinClock(new Date(end - 60 * MINUTE));
		answer('agent_script', ['Agent Script', '40']);
		const trigger = activateTrigger({
			credentials: credentials(),
			parameters: { emit: 'monthClosed' },
		});
		await trigger.poll();
		pinClock(new Date(end - 5 * MINUTE));
		answer('agent_script', ['Agent Script', '42']);
		await trigger.poll();
		pinClock(new Date(end + 5 * MINUTE));
		answer('agent_script', ['Agent Script', '1']);
		expect(jsons(await trigger.poll())).toEqual([
			expect.objectContaining({ items: 42, lastReadAt: '2026-11-30T23:55:00-05:00' }),
		]);
	});

	test('n8n 2.41’s durable cursors store every poll: a restart closes the latest rows', async () => {
		pinClock(new Date(end - 60 * MINUTE));
		answer('agent_script', ['Agent Script', '40']);
		const trigger = activateTrigger({
			credentials: credentials(),
			parameters: { emit: 'monthClosed' },
			durableScheduler: true,
			durableCursors: true,
		});
		await trigger.poll();
		pinClock(new Date(end - 5 * MINUTE));
		answer('agent_script', ['Agent Script', '42']);
		await trigger.poll();
		trigger.restart();
		pinClock(new Date(end + 5 * MINUTE));
		answer('agent_script', ['Agent Script', '1']);
		expect(jsons(await trigger.poll())).toEqual([expect.objectContaining({ items: 42 })]);
	});

	test('activating in a new month records it; an older stored month is not closed', async () => {
		pinClock(new Date(end - 5 * MINUTE));
		answer('agent_script', ['Agent Script', '42']);
		const trigger = activateTrigger({
			credentials: credentials(),
			parameters: { emit: 'monthClosed' },
		});
		await trigger.poll();
		pinClock(new Date(end + 3 * DAY));
		answer('agent_script', ['Agent Script', '7']);
		trigger.reactivate();
		expect(jsons(await trigger.poll())).toEqual([]);
	});
});

describe.each(ZONES)('Forecast Crossings, a workflow in %s', (timezone) => {
	test('a growing count is emitted once a month, not twice; the next month warns again', async () => {
		const start = bogota('2026-11-01 00:00:00').getTime();
		const trigger = activateTrigger({
			credentials: credentials(),
			timezone,
			parameters: { report: 'ivr_minutes', emit: 'forecast', threshold: 10_000 },
		});
		const emittedOn: string[] = [];
		for (let day = 1; day <= 30; day++) {
			pinClock(new Date(start + (day - 1) * DAY + 18 * 60 * MINUTE));
			answer('ivr_minutes', ['IVR minutes inbound', String(400 * day)]);
			const emitted = jsons(await trigger.poll());
			if (emitted.length) {
				expect(emitted).toEqual([
					expect.objectContaining({
						description: 'IVR minutes inbound',
						threshold: 10_000,
						monthEnd: '2026-12-01T00:00:00-05:00',
						basedOn: expect.stringMatching(/^(monthToDate|last7Days)$/),
					}),
				]);
				expect(emitted[0].forecast).toBeGreaterThanOrEqual(10_000);
				emittedOn.push(queryDate(() => new Date()).slice(0, 10));
			}
		}
		// 400 a day projects 12,000 from the first forecast, on 8 November.
		expect(emittedOn).toEqual(['2026-11-08']);

		pinClock(bogota('2026-12-09 18:00:00'));
		answer('ivr_minutes', ['IVR minutes inbound', '3600']);
		expect(jsons(await trigger.poll())).toEqual([
			expect.objectContaining({ monthEnd: '2027-01-01T00:00:00-05:00' }),
		]);
	});

	test('a level (licenses) warns when its current value reaches the threshold', async () => {
		pinClock(bogota('2026-11-02 10:00:00'));
		answer('chat_licenses', ['Chat licenses', '24']);
		const trigger = activateTrigger({
			credentials: credentials(),
			timezone,
			parameters: { report: 'chat_licenses', emit: 'forecast', threshold: 25 },
		});
		expect(jsons(await trigger.poll())).toEqual([]);
		advanceClock(10 * MINUTE);
		answer('chat_licenses', ['Chat licenses', '25']);
		expect(jsons(await trigger.poll())).toEqual([
			expect.objectContaining({ items: 25, forecast: 25, basedOn: 'currentValue' }),
		]);
		advanceClock(10 * MINUTE);
		answer('chat_licenses', ['Chat licenses', '26']);
		expect(jsons(await trigger.poll())).toEqual([]);
	});
});

describe('Fetch Test Event shows the fields of the new modes', () => {
	test('Month Closed: the month, when read, the month’s end', async () => {
		pinClock(bogota('2026-11-18 12:00:00'));
		const result = await fetchTestEvent({
			credentials: credentials(),
			parameters: { report: 'agent_script', emit: 'monthClosed' },
		});
		expect(result.items.map((item) => item.json)).toEqual([
			expect.objectContaining({
				items: 42,
				month: '2026-11',
				lastReadAt: '2026-11-18T12:00:00-05:00',
				monthEnd: '2026-12-01T00:00:00-05:00',
				minutesBeforeMonthEnd: 12.5 * 24 * 60,
			}),
		]);
	});

	test('Forecast Crossings: the forecast from the month so far', async () => {
		pinClock(bogota('2026-11-16 00:00:00'));
		const result = await fetchTestEvent({
			credentials: credentials(),
			parameters: { report: 'ivr_calls', emit: 'forecast', threshold: 9000 },
		});
		// 5,120 IVR calls in 15 days: 10,240 by the 1st.
		expect(result.items.map((item) => item.json)).toEqual([
			expect.objectContaining({
				items: 5120,
				forecast: 10240,
				threshold: 9000,
				basedOn: 'monthToDate',
			}),
		]);
	});
});
