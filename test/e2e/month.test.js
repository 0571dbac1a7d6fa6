'use strict';
/**
 * Month Closed and Forecast Crossings in a real n8n: two active triggers whose emitted rows an
 * HTTP Request reports to the simulator. n8n polls an active trigger when it starts, so each
 * restart is one poll; between them the simulator's clock (Wolkvox's time, which dates the rows)
 * moves on: 20, 22 and 23 November, then the first minutes of December.
 *
 * Run: npm run test:e2e. N8N_E2E_MONTH_VERSION picks the n8n version (default 2.8.4).
 */
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { after, before, describe, test } = require('node:test');

const { N8nInstance, ensureN8n, packPackage, tearDown } = require('../support/n8n');
const { WolkvoxSimulator } = require('../support/simulator');
const { waitUntil } = require('../support/wait');
const { reportingWorkflow } = require('../support/workflows');
const { OPERATION, queryDate } = require('../support/simulator/data');

const VERSION = process.env.N8N_E2E_MONTH_VERSION || '2.8.4';
const TOKEN = 'MONTH-E2E-TOKEN-2b7c4e90';
const CREDENTIAL = { id: 'wolkvoxMonth', name: 'Wolkvox (month e2e)' };

describe(`Month Closed and Forecast Crossings in n8n ${VERSION}`, () => {
	let sim;
	let n8n;
	let tmp;
	let wolkvoxNow;

	/** Wolkvox's clock at this Bogotá wall-clock time, and IVR calls at `calls` from then on. */
	function setWolkvox(local, calls) {
		wolkvoxNow = new Date(`${local.replace(' ', 'T')}-05:00`);
		sim.setReport('ivr_calls', () => [
			{
				operation: OPERATION,
				description: 'IVR calls',
				items: String(calls),
				date: queryDate(() => wolkvoxNow),
			},
		]);
	}

	const collected = (emit) =>
		sim.requests.filter((r) => r.path === '/collect' && r.query.emit === emit).map((r) => r.query);

	const reportedRows = () => sim.requests.filter((r) => r.path === '/collect').length;

	/** Each trigger's debug line of what its poll decided, since n8n started (not its warnings). */
	const DECISION = /Wolkvox Billing Trigger: \w+(?:, \d+ rows, | answered no rows|: \S+ closed)/;
	const decisions = () => n8n.serverLog.split('\n').filter((line) => DECISION.test(line));

	/** How many rows those polls emitted ("…, 1 to emit", "… closed, its 2 last rows emitted"). */
	const emittedRows = () =>
		decisions()
			.map((line) => Number(/(\d+) (?:to emit|last rows emitted)/.exec(line)?.[1] ?? 0))
			.reduce((sum, rows) => sum + rows, 0);

	/**
	 * One poll of each active trigger (n8n polls them when it starts), and every row it emitted
	 * reported by the workflow's HTTP Request: a slow machine waits longer, and no check of what
	 * was not emitted passes because n8n stopped too early.
	 */
	async function pollOnce() {
		const before = reportedRows();
		await n8n.start();
		await waitUntil('both triggers to decide', () => decisions().length >= 2);
		const emitted = emittedRows();
		await waitUntil(`${emitted} emitted rows reported`, () => reportedRows() >= before + emitted);
		assert.equal(reportedRows(), before + emitted, decisions().join('\n'));
		await n8n.stop();
	}

	before(async () => {
		tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'wolkvox-month-'));
		sim = new WolkvoxSimulator({ now: () => wolkvoxNow, tokens: { [TOKEN]: {} } });
		const simUrl = await sim.start();
		n8n = await new N8nInstance(ensureN8n(VERSION), { logLevel: 'debug' }).init();
		n8n.installPackage(packPackage(tmp));
		await n8n.importCredentials([
			{
				...CREDENTIAL,
				type: 'wolkvoxApi',
				data: { server: '0032', token: TOKEN, baseUrl: simUrl },
			},
		]);
		await n8n.importWorkflows([
			// Ids of at most 16 characters: n8n 1.x stores no static data for longer ones.
			reportingWorkflow({
				id: 'e2eMonthClosed',
				name: 'E2E: Month Closed',
				credential: CREDENTIAL,
				simUrl,
				parameters: { report: 'ivr_minutes', emit: 'monthClosed' },
				fields: [
					'description',
					'items',
					'month',
					'lastReadAt',
					'monthEnd',
					'minutesBeforeMonthEnd',
				],
				tagged: true,
			}),
			reportingWorkflow({
				id: 'e2eForecast',
				name: 'E2E: Forecast Crossings',
				credential: CREDENTIAL,
				simUrl,
				parameters: { report: 'ivr_calls', emit: 'forecast', threshold: 10000 },
				fields: ['description', 'items', 'forecast', 'basedOn', 'monthEnd'],
				tagged: true,
			}),
		]);
		await n8n.activateWorkflow('e2eMonthClosed');
		await n8n.activateWorkflow('e2eForecast');
	});

	after(async () => {
		const logs = await tearDown({ n8n, servers: [sim], tmp });
		assert.ok(!logs.includes(TOKEN), 'no n8n log line holds the token');
	});

	test('a growing count is forecast to cross once, not twice', async () => {
		setWolkvox('2026-11-20 18:00:00', 5120); // 7,700 by the month's end: below
		await pollOnce();
		setWolkvox('2026-11-22 18:00:00', 7400); // 10,100 by the month's end: a warning
		await pollOnce();
		setWolkvox('2026-11-23 18:00:00', 7800); // still above, already warned this month
		await pollOnce();
		const forecasts = collected('forecast');
		console.log(`# n8n ${VERSION}: forecast emitted ${JSON.stringify(forecasts)}`);
		assert.equal(forecasts.length, 1);
		assert.equal(forecasts[0].items, '7400');
		assert.ok(Number(forecasts[0].forecast) >= 10000, forecasts[0].forecast);
		assert.equal(forecasts[0].basedOn, 'monthToDate');
		assert.equal(forecasts[0].monthEnd, '2026-12-01T00:00:00-05:00');
		assert.deepEqual(collected('monthClosed'), [], 'no month closed within November');
	});

	test('the first poll of December emits November’s last rows, as n8n last stored them', async () => {
		setWolkvox('2026-12-01 00:05:00', 40);
		await pollOnce();
		const closed = collected('monthClosed');
		assert.deepEqual(
			closed.map((q) => [q.description, q.items, q.month, q.monthEnd]),
			[
				['IVR minutes inbound', '8731', '2026-11', '2026-12-01T00:00:00-05:00'],
				['IVR minutes outbound', '1204', '2026-11', '2026-12-01T00:00:00-05:00'],
			],
		);
		// Read at the last poll of November, which n8n stored when it activated the workflow.
		assert.equal(closed[0].lastReadAt, '2026-11-23T18:00:00-05:00');
		assert.equal(closed[0].minutesBeforeMonthEnd, String(7 * 24 * 60 + 6 * 60));
		setWolkvox('2026-12-01 00:35:00', 41);
		await pollOnce();
		assert.equal(collected('monthClosed').length, 2, 'closed once');
		assert.equal(collected('forecast').length, 1, 'no forecast on the first days of a month');
	});
});
