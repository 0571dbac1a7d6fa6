/**
 * The Wolkvox Billing Trigger, polled the way n8n-core drives an activated polling trigger
 * (one poll context per activation, TriggersAndPollers.runPoll), against the simulator, whose
 * data changes between polls.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { activateTrigger, fetchTestEvent, logLines } from './support/engine/harness';
import { advanceClock, pinClock } from './support/engine/clock';
import { TOKEN, useSimulator } from './support/engine/fixtures';
import { WolkvoxSimulator } from './support/simulator';
import { queryDate } from './support/simulator/data';

const fx = useSimulator();

const credentials = () => fx.credentials();
/** A row as Wolkvox sends it; dated now on the test's clock unless a date is given. */
const row = (description: string, items: string, date = queryDate(() => new Date())) => ({
	operation: 'Andina Contact Center',
	description,
	items,
	date,
});
const jsons = (items: { json: IDataObject }[] | null) => items?.map((i) => i.json) ?? null;

describe('Fetch Test Event (manual mode)', () => {
	test('returns the current rows with the fields the mode adds, whatever the Poll Times', async () => {
		const result = await fetchTestEvent({
			credentials: credentials(),
			parameters: { pollTimes: { item: [{ mode: 'everyMinute' }] }, report: 'ivr_minutes' },
		});
		expect(result.error).toBeUndefined();
		expect(result.items.map((i) => i.json)).toEqual([
			expect.objectContaining({
				report: 'ivr_minutes',
				description: 'IVR minutes inbound',
				items: 8731,
				change: 'current',
				previousItems: null,
				difference: null,
			}),
			expect.objectContaining({
				report: 'ivr_minutes',
				description: 'IVR minutes outbound',
				items: 1204,
				change: 'current',
			}),
		]);
		expect(fx.sim.billingRequests('ivr_minutes')).toHaveLength(1);
	});

	test('threshold mode shows its fields too', async () => {
		const result = await fetchTestEvent({
			credentials: credentials(),
			parameters: { report: 'agent_script', emit: 'threshold', threshold: 40 },
		});
		expect(result.items.map((i) => i.json)).toEqual([
			expect.objectContaining({ items: 42, crossed: null, threshold: 40, previousItems: null }),
		]);
	});

	test('errors follow the action node’s rules', async () => {
		const result = await fetchTestEvent({
			credentials: { ...credentials(), token: 'wrong-token-0000' },
		});
		expect(result.error).toMatchObject({
			name: 'NodeApiError',
			message: 'Wolkvox rejected the token',
		});
	});
});

describe('Changes (the default)', () => {
	test('baseline first, then new, changed and removed rows; nothing when nothing changed', async () => {
		fx.sim.setReport('agent_script', [
			row('Agent Script', '42'),
			row('Agent Script supervisors', '5'),
		]);
		const trigger = activateTrigger({ credentials: credentials() });

		expect(await trigger.poll()).toEqual({ items: null }); // baseline

		fx.sim.setReport('agent_script', [
			row('Agent Script', '45'),
			row('Agent Script supervisors', '5'),
			row('Agent Script trainees', '3'),
		]);
		expect(jsons((await trigger.poll()).items)).toEqual([
			{
				report: 'agent_script',
				...row('Agent Script', '45'),
				items: 45,
				change: 'changed',
				previousItems: 42,
				difference: 3,
			},
			{
				report: 'agent_script',
				...row('Agent Script trainees', '3'),
				items: 3,
				change: 'new',
				previousItems: null,
				difference: null,
			},
		]);

		expect(await trigger.poll()).toEqual({ items: null });

		fx.sim.setReport('agent_script', [
			row('Agent Script', '45'),
			row('Agent Script trainees', '3'),
		]);
		expect(jsons((await trigger.poll()).items)).toEqual([
			{
				report: 'agent_script',
				operation: 'Andina Contact Center',
				description: 'Agent Script supervisors',
				items: null,
				change: 'removed',
				previousItems: 5,
				difference: null,
			},
		]);
		expect(fx.sim.billingRequests()).toHaveLength(4);
	});

	test('after a restart of n8n it compares with what n8n stored: a change made meanwhile is emitted', async () => {
		const trigger = activateTrigger({ credentials: credentials() });
		expect(await trigger.poll()).toEqual({ items: null }); // baseline, stored at activation
		expect(await trigger.poll()).toEqual({ items: null });
		expect(await trigger.poll()).toEqual({ items: null });
		fx.sim.setReport('agent_script', [row('Agent Script', '50')]);
		// n8n was down for a day: how long does not matter, the stored rows are still this month's.
		advanceClock(24 * 60 * 60 * 1000);
		trigger.restart();
		expect(jsons((await trigger.poll()).items)).toEqual([
			expect.objectContaining({ change: 'changed', items: 50, previousItems: 42, difference: 8 }),
		]);
	});

	test('saving the active workflow keeps comparing too', async () => {
		const trigger = activateTrigger({ credentials: credentials() });
		await trigger.poll();
		fx.sim.setReport('agent_script', [row('Agent Script', '50')]);
		trigger.saveActive();
		expect(jsons((await trigger.poll()).items)).toEqual([
			expect.objectContaining({ change: 'changed', items: 50, previousItems: 42 }),
		]);
	});

	test('the user activating the workflow again records a new baseline, even if that first poll failed', async () => {
		const trigger = activateTrigger({
			credentials: credentials(),
			parameters: { options: { retries: 0 } },
		});
		await trigger.poll();
		fx.sim.setReport('agent_script', [row('Agent Script', '50')]);
		trigger.reactivate();
		fx.sim.fail('html502', { times: 1 });
		expect((await trigger.poll()).error).toMatchObject({ name: 'NodeApiError' });
		expect(await trigger.poll()).toEqual({ items: null }); // the baseline
		fx.sim.setReport('agent_script', [row('Agent Script', '51')]);
		expect(jsons((await trigger.poll()).items)).toEqual([
			expect.objectContaining({ change: 'changed', items: 51, previousItems: 50 }),
		]);
	});

	test.each([
		['with durable cursors', true],
		['without durable cursors (n8n stores only what emits)', false],
	])(
		'n8n 2.41’s durable scheduler, %s: a new context per poll, nothing lost',
		async (_label, durableCursors) => {
			const trigger = activateTrigger({
				credentials: credentials(),
				durableScheduler: true,
				durableCursors,
			});
			expect(await trigger.poll()).toEqual({ items: null }); // baseline, at activation
			for (let i = 0; i < 3; i++) expect(await trigger.poll()).toEqual({ items: null });
			fx.sim.setReport('agent_script', [row('Agent Script', '43')]);
			expect(jsons((await trigger.poll()).items)).toEqual([
				expect.objectContaining({ change: 'changed', items: 43, previousItems: 42 }),
			]);
			// A new month's baseline emits nothing, so without cursors n8n never stores it: the
			// trigger must still compare the next polls with it, not start over at every poll.
			pinClock('2026-12-01T05:05:00Z'); // 00:05 in Bogotá: Wolkvox's new month
			fx.sim.setReport('agent_script', () => [row('Agent Script', '40')]);
			expect(await trigger.poll()).toEqual({ items: null });
			expect(trigger.storedState.month).toBe(durableCursors ? '2026-12' : '2026-11');
			advanceClock(5 * 60 * 1000);
			fx.sim.setReport('agent_script', () => [row('Agent Script', '41')]);
			expect(jsons((await trigger.poll()).items)).toEqual([
				expect.objectContaining({ change: 'changed', items: 41, previousItems: 40 }),
			]);
			expect(trigger.storedState.month).toBe('2026-12');
		},
	);

	test('an empty answer on the first poll after activation keeps the last rows as the baseline', async () => {
		const trigger = activateTrigger({ credentials: credentials() });
		await trigger.poll();
		trigger.reactivate();
		fx.sim.setReport('agent_script', []);
		expect(await trigger.poll()).toEqual({ items: null });
		fx.sim.reset();
		expect(await trigger.poll()).toEqual({ items: null }); // not every row "new"
		fx.sim.setReport('agent_script', [row('Agent Script', '44')]);
		expect(jsons((await trigger.poll()).items)).toEqual([
			expect.objectContaining({ change: 'changed', items: 44, previousItems: 42 }),
		]);
	});

	test('when n8n fails to store an emitting poll, the change is emitted again, not lost', async () => {
		const trigger = activateTrigger({
			credentials: credentials(),
			durableScheduler: true,
			durableCursors: true,
		});
		await trigger.poll();
		fx.sim.setReport('agent_script', [row('Agent Script', '43')]);
		trigger.loseNextStore();
		expect(jsons((await trigger.poll()).items)).toHaveLength(1);
		expect(jsons((await trigger.poll()).items)).toEqual([
			expect.objectContaining({ change: 'changed', items: 43, previousItems: 42 }),
		]);
		expect(await trigger.poll()).toEqual({ items: null });
	});

	test('an empty answer mid-month is ignored, not every row removed and then new again', async () => {
		const trigger = activateTrigger({
			credentials: credentials(),
			parameters: { report: 'ivr_minutes' },
		});
		await trigger.poll();
		fx.sim.setReport('ivr_minutes', []);
		expect(await trigger.poll()).toEqual({ items: null });
		fx.sim.reset();
		expect(await trigger.poll()).toEqual({ items: null });
	});

	test('a month that starts with empty answers: its first usage is emitted as new', async () => {
		pinClock('2026-11-15T12:00:00Z');
		fx.sim.setReport('ivr_minutes', [row('IVR minutes inbound', '98000', '2026-10-31 23:50:00')]);
		const trigger = activateTrigger({
			credentials: credentials(),
			parameters: { report: 'ivr_minutes' },
		});
		await trigger.poll();
		fx.sim.setReport('ivr_minutes', []); // nothing used yet this month
		expect(await trigger.poll()).toEqual({ items: null });
		fx.sim.setReport('ivr_minutes', [row('IVR minutes inbound', '3', '2026-11-15 06:55:00')]);
		expect(jsons((await trigger.poll()).items)).toEqual([
			expect.objectContaining({ change: 'new', items: 3, previousItems: null }),
		]);
	});

	test('changing the report starts a new baseline instead of reporting the old rows as removed', async () => {
		const trigger = activateTrigger({ credentials: credentials() });
		await trigger.poll();
		trigger.setParameters({ report: 'chat_licenses' });
		expect(await trigger.poll()).toEqual({ items: null });
		expect(fx.sim.billingRequests().map((r) => r.query.api)).toEqual([
			'agent_script',
			'chat_licenses',
		]);
	});

	test('a new month starts a new baseline rather than reporting every row as removed or changed', async () => {
		fx.sim.setReport('ivr_minutes', [row('IVR minutes inbound', '98000', '2026-11-30 23:55:00')]);
		const trigger = activateTrigger({
			credentials: credentials(),
			parameters: { report: 'ivr_minutes' },
		});
		await trigger.poll();
		fx.sim.setReport('ivr_minutes', [
			row('IVR minutes (new product)', '12', '2026-12-01 00:05:00'),
		]);
		expect(await trigger.poll()).toEqual({ items: null });
		expect(trigger.state.month).toBe('2026-12');
		fx.sim.setReport('ivr_minutes', [
			row('IVR minutes (new product)', '40', '2026-12-01 00:10:00'),
		]);
		expect(jsons((await trigger.poll()).items)).toEqual([
			expect.objectContaining({ change: 'changed', items: 40, previousItems: 12, difference: 28 }),
		]);
	});
});

describe('Threshold Crossings', () => {
	const poll = async (trigger: ReturnType<typeof activateTrigger>, items: string) => {
		fx.sim.setReport('ivr_minutes', [row('IVR minutes inbound', items)]);
		return jsons((await trigger.poll()).items);
	};

	test('upwards: once per crossing, not at every poll above the threshold', async () => {
		const trigger = activateTrigger({
			credentials: credentials(),
			parameters: { report: 'ivr_minutes', emit: 'threshold', threshold: 10000, direction: 'up' },
		});
		expect(await poll(trigger, '8731')).toBeNull();
		expect(await poll(trigger, '9500')).toBeNull();
		expect(await poll(trigger, '10200')).toEqual([
			expect.objectContaining({
				items: 10200,
				crossed: 'up',
				threshold: 10000,
				previousItems: 9500,
			}),
		]);
		expect(await poll(trigger, '10500')).toBeNull();
		expect(await poll(trigger, '9000')).toBeNull(); // downwards: not watched
		expect(await poll(trigger, '10000')).toEqual([
			expect.objectContaining({ items: 10000, crossed: 'up' }),
		]);
	});

	test('downwards and both ways', async () => {
		const down = activateTrigger({
			credentials: credentials(),
			parameters: { report: 'ivr_minutes', emit: 'threshold', threshold: 100, direction: 'down' },
		});
		expect(await poll(down, '150')).toBeNull();
		expect(await poll(down, '99')).toEqual([
			expect.objectContaining({ crossed: 'down', previousItems: 150 }),
		]);
		expect(await poll(down, '200')).toBeNull();

		const both = activateTrigger({
			credentials: credentials(),
			parameters: { report: 'ivr_minutes', emit: 'threshold', threshold: 100, direction: 'both' },
		});
		expect(await poll(both, '50')).toBeNull();
		expect(await poll(both, '100')).toEqual([expect.objectContaining({ crossed: 'up' })]);
		expect(await poll(both, '20')).toEqual([expect.objectContaining({ crossed: 'down' })]);
	});

	test('a crossing while n8n was restarting is emitted once, from the last count n8n stored', async () => {
		const trigger = activateTrigger({
			credentials: credentials(),
			parameters: { report: 'ivr_minutes', emit: 'threshold', threshold: 10000 },
		});
		expect(await poll(trigger, '9000')).toBeNull(); // stored at activation
		expect(await poll(trigger, '9500')).toBeNull(); // not stored: nothing emitted
		trigger.restart();
		expect(await poll(trigger, '10200')).toEqual([
			expect.objectContaining({ crossed: 'up', items: 10200, previousItems: 9000 }),
		]);
		trigger.restart();
		expect(await poll(trigger, '10300')).toBeNull();
	});

	test('saving the active workflow keeps a count n8n never stored: the crossing back is caught', async () => {
		const trigger = activateTrigger({
			credentials: credentials(),
			parameters: { report: 'ivr_minutes', emit: 'threshold', threshold: 10000, direction: 'up' },
		});
		expect(await poll(trigger, '11000')).toBeNull(); // stored at activation
		expect(await poll(trigger, '9000')).toBeNull(); // downwards, not watched: not stored
		const storedCounts = Object.values(trigger.storedState.rows as Record<string, IDataObject>);
		expect(storedCounts.map((stored) => stored.items)).toEqual([11000]);
		trigger.saveActive(); // n8n reloads the workflow from its database
		expect(await poll(trigger, '10500')).toEqual([
			expect.objectContaining({ crossed: 'up', items: 10500, previousItems: 9000 }),
		]);
	});

	test('a row missing from one answer keeps its count: its return is not a second crossing', async () => {
		const trigger = activateTrigger({
			credentials: credentials(),
			parameters: { report: 'ivr_minutes', emit: 'threshold', threshold: 10000 },
		});
		const two = (a: string, b: string) =>
			fx.sim.setReport('ivr_minutes', [
				row('IVR minutes inbound', a),
				row('IVR minutes outbound', b),
			]);
		two('9000', '500');
		await trigger.poll();
		two('10100', '500');
		expect(jsons((await trigger.poll()).items)).toEqual([
			expect.objectContaining({ description: 'IVR minutes inbound', crossed: 'up' }),
		]);
		fx.sim.setReport('ivr_minutes', [row('IVR minutes outbound', '600')]);
		expect(await trigger.poll()).toEqual({ items: null });
		two('10200', '600');
		expect(await trigger.poll()).toEqual({ items: null });
	});

	test('a row that appears above the threshold counts as crossing from 0', async () => {
		const trigger = activateTrigger({
			credentials: credentials(),
			parameters: { report: 'ivr_minutes', emit: 'threshold', threshold: 10 },
		});
		fx.sim.setReport('ivr_minutes', []);
		expect(await trigger.poll()).toEqual({ items: null });
		expect(await poll(trigger, '25')).toEqual([
			expect.objectContaining({ crossed: 'up', previousItems: null }),
		]);
	});
});

describe('Every Poll', () => {
	test('emits all rows at every poll, the first included', async () => {
		const trigger = activateTrigger({
			credentials: credentials(),
			parameters: { report: 'interactions', emit: 'everyPoll' },
		});
		for (let i = 0; i < 2; i++) {
			expect(jsons((await trigger.poll()).items)?.map((r) => r.description)).toEqual([
				'Mail interactions',
				'Facebook interactions',
				'Twitter interactions',
			]);
		}
	});
});

describe('errors', () => {
	test('a failed poll reports a clear error and leaves the stored state as it was', async () => {
		fx.sim.setReport('agent_script', [row('Agent Script', '42')]);
		const trigger = activateTrigger({
			credentials: credentials(),
			parameters: { options: { retries: 0 } },
		});
		await trigger.poll();
		const before = JSON.stringify(trigger.state);

		fx.sim.fail('html502', { times: 1 });
		const failed = await trigger.poll();
		expect(failed.error).toMatchObject({
			name: 'NodeApiError',
			message: 'Wolkvox answered with a web page instead of data (HTTP 502)',
		});
		expect(JSON.stringify(trigger.state)).toBe(before);
		expect(JSON.stringify(trigger.state)).not.toContain(TOKEN);

		fx.sim.setReport('agent_script', [row('Agent Script', '44')]);
		expect(jsons((await trigger.poll()).items)).toEqual([
			expect.objectContaining({ change: 'changed', items: 44, previousItems: 42 }),
		]);
	});

	test('with a poll budget (n8n 2.41), the call and its retries fit into it', async () => {
		fx.sim.fail('hang', { times: Infinity });
		const trigger = activateTrigger({
			credentials: credentials(),
			durableScheduler: true,
			pollBudgetMs: 1500,
			parameters: { options: { timeout: 60, retries: 3 } },
		});
		const { error } = await trigger.poll();
		// One try, cut to the budget: no retry could have started with a second left.
		expect(error).toMatchObject({ message: 'Wolkvox did not answer within 1.5 s' });
		expect(fx.sim.billingRequests()).toHaveLength(1);
	});

	test('a rejected token on the first poll fails the activation with the clear message', async () => {
		const trigger = activateTrigger({
			credentials: { ...credentials(), token: 'wrong-token-0000' },
		});
		expect((await trigger.poll()).error).toMatchObject({ message: 'Wolkvox rejected the token' });
		expect(trigger.state).toEqual({});
	});
});

describe('where the rows come from', () => {
	const other = new WolkvoxSimulator({ tokens: { [TOKEN]: {} } });
	let otherUrl = '';
	beforeAll(async () => {
		otherUrl = await other.start();
	});
	afterAll(async () => await other.stop());
	const otherRow = (items: string) => ({ ...row('Other Agent Script', items), operation: 'Other' });

	test('the credential moved to another server: a silent new baseline, then its changes', async () => {
		other.setReport('agent_script', [otherRow('7')]);
		const trigger = activateTrigger({ credentials: credentials() });
		expect(await trigger.poll()).toEqual({ items: null }); // baseline of this server
		trigger.editCredential({ server: '0068', token: TOKEN, baseUrl: otherUrl });
		trigger.saveActive();
		expect(await trigger.poll()).toEqual({ items: null }); // another operation's baseline
		other.setReport('agent_script', [otherRow('8')]);
		expect(jsons((await trigger.poll()).items)).toEqual([
			expect.objectContaining({ change: 'changed', operation: 'Other', previousItems: 7 }),
		]);
	});

	test('a state stored before the source was recorded is kept, and compared with', async () => {
		const trigger = activateTrigger({ credentials: credentials() });
		await trigger.poll();
		const { source: _source, ...older } = trigger.storedState;
		expect(_source).toEqual(expect.any(String));
		trigger.replaceStored(older);
		fx.sim.setReport('agent_script', [row('Agent Script', '43')]);
		expect(jsons((await trigger.poll()).items)).toEqual([
			expect.objectContaining({ change: 'changed', items: 43, previousItems: 42 }),
		]);
	});
});

describe('what n8n stored', () => {
	test.each([
		['a row that is null', { rows: { x: null } }],
		['rows that are text', { rows: 'abc' }],
		['a generation that is text', { generation: '7' }],
		['a month that is not a month', { month: 'November' }],
	])(
		'a state that does not validate (%s) counts as none: a new baseline, and a debug line says so',
		async (_label, corrupt) => {
			const trigger = activateTrigger({ credentials: credentials() });
			await trigger.poll();
			trigger.replaceStored(corrupt);
			logLines.length = 0;
			expect(await trigger.poll()).toEqual({ items: null });
			expect(logLines.map((line) => line.message)).toContain(
				'Wolkvox Billing Trigger: the stored state is not in the expected shape; starting a new baseline',
			);
			expect(trigger.state.generation).toBe(1);
			fx.sim.setReport('agent_script', [row('Agent Script', '43')]);
			expect(jsons((await trigger.poll()).items)).toEqual([
				expect.objectContaining({ change: 'changed', items: 43, previousItems: 42 }),
			]);
			expect(trigger.storedState.generation).toBe(2);
		},
	);

	test('the process keeps its own copy for at most 500 triggers: beyond that, what n8n stored decides', async () => {
		// The durable scheduler loads what n8n stored for every poll: only the copy carries 9000.
		const first = activateTrigger({
			credentials: credentials(),
			durableScheduler: true,
			parameters: { report: 'ivr_minutes', emit: 'threshold', threshold: 10000 },
		});
		const poll = async (trigger: ReturnType<typeof activateTrigger>, items: string) => {
			fx.sim.setReport('ivr_minutes', [row('IVR minutes inbound', items)]);
			return jsons((await trigger.poll()).items);
		};
		expect(await poll(first, '11000')).toBeNull(); // stored at activation
		expect(await poll(first, '9000')).toBeNull(); // only in this process's copy
		for (let i = 0; i < 500; i++) await activateTrigger({ credentials: credentials() }).poll();
		// The copy (9000) is gone: the poll compares with 11000, so this is no crossing.
		expect(await poll(first, '10500')).toBeNull();
	});
});

describe('the 5-minute guard', () => {
	const refusedWith = async (pollTimes: INodeParameters) => {
		const trigger = activateTrigger({ credentials: credentials(), parameters: { pollTimes } });
		const result = await trigger.poll();
		return result.error?.message;
	};

	test.each([
		[[{ mode: 'everyMinute' }], /every 1 minute; Wolkvox allows one call every 5 minutes at most$/],
		[[{ mode: 'everyX', value: 2, unit: 'minutes' }], /every 2 minutes;/],
		[[{ mode: 'custom', cronExpression: '0 */3 * * * *' }], /every 3 minutes;/],
		[[{ mode: 'custom', cronExpression: '*/30 * * * * *' }], /every 30 seconds;/],
		[
			[
				{ mode: 'everyHour', minute: 0 },
				{ mode: 'everyHour', minute: 3 },
			],
			/every 3 minutes;/,
		],
		[
			[
				{ mode: 'everyDay', hour: 23, minute: 58 },
				{ mode: 'everyDay', hour: 0, minute: 1 },
			],
			/every 3 minutes;/,
		],
	])('refuses %j before calling Wolkvox', async (item, message) => {
		expect(await refusedWith({ item })).toMatch(message);
		expect(fx.sim.requests).toHaveLength(0);
	});

	test.each([
		[[{ mode: 'everyX', value: 5, unit: 'minutes' }]],
		[[{ mode: 'everyX', value: 1, unit: 'hours' }]],
		[[{ mode: 'everyHour', minute: 15 }]],
		// Exactly 5 minutes apart, whatever random second n8n adds to each when it schedules them.
		[
			[
				{ mode: 'everyHour', minute: 0 },
				{ mode: 'everyHour', minute: 5 },
			],
		],
		[[{ mode: 'everyDay', hour: 8, minute: 0 }]],
		[[{ mode: 'everyWeek', hour: 8, minute: 0, weekday: '1' }]],
		[[{ mode: 'custom', cronExpression: '0 */10 8-18 * * 1-5' }]],
		[
			[
				{ mode: 'everyHour', minute: 0 },
				{ mode: 'everyHour', minute: 30 },
			],
		],
	])('accepts %j', async (item) => {
		expect(await refusedWith({ item })).toBeUndefined();
		expect(fx.sim.requests).toHaveLength(1);
	});

	test.each([
		['@minutely', '@minutely', /every 1 minute;/],
		['@MINUTELY', '@MINUTELY', /every 1 minute;/],
		['@secondly', '@secondly', /every 1 seconds;/],
		// n8n's cron library reads any three letters as a month or weekday name: JAN is 1.
		['0 */JAN * * * *', '0 */JAN * * * *', /every 1 minute;/],
		['0 */jan * * * *', '0 */jan * * * *', /every 1 minute;/],
		['0 0 L * * *', '0 0 L * * *', /^The Poll Times hold a cron expression this node cannot read/],
		['in words', 'every five minutes', /^The Poll Times hold a cron expression this node/],
		['of 100,000 characters', `0 */5 * * * * ${'*'.repeat(100_000)}`, /^The Poll Times hold/],
	])(
		'refuses the custom cron %s before calling Wolkvox',
		async (_label, cronExpression, message) => {
			expect(await refusedWith({ item: [{ mode: 'custom', cronExpression }] })).toMatch(message);
			expect(fx.sim.requests).toHaveLength(0);
		},
	);

	test.each(['@hourly', '@daily', '@weekdays', '0 */5 * * * MON-FRI', '0 0 9 * JAN-DEC *'])(
		'accepts the custom cron %j',
		async (cronExpression) => {
			expect(await refusedWith({ item: [{ mode: 'custom', cronExpression }] })).toBeUndefined();
			expect(fx.sim.requests).toHaveLength(1);
		},
	);

	test('the message says what to choose instead', async () => {
		const trigger = activateTrigger({
			credentials: credentials(),
			parameters: { pollTimes: { item: [{ mode: 'everyMinute' }] } },
		});
		const { error } = await trigger.poll();
		expect(error).toMatchObject({ name: 'NodeOperationError' });
		expect(error?.description).toMatch(/Every X with 5, 6, 10, 12, 15, 20 or 30 minutes/);
	});

	test('Every X of 7 minutes: the message says why it is refused', async () => {
		const message = await refusedWith({ item: [{ mode: 'everyX', value: 7, unit: 'minutes' }] });
		expect(message).toBe(
			'The Poll Times would call Wolkvox every 4 minutes (Every X of 7 minutes starts again at each full hour, so the last poll of each hour comes closer to the next); Wolkvox allows one call every 5 minutes at most',
		);
	});
});
