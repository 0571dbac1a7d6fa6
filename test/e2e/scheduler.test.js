'use strict';
/**
 * n8n 2.41's durable poll scheduler and the trigger's errors. With the scheduler on, a failed
 * poll goes to n8n's PollBackoffService, which reads `failure.cause` on the error (or on an error
 * it wraps), classes it transient (rate-limited, quota-exhausted, temporarily-unavailable) or
 * permanent (credential-invalid, configuration-invalid, node-defect), logs "Poll failed; backing
 * off" with the class, and writes how long to skip the node's polls into the poller_state table:
 * a transient failure waits by the backoff curve (5 s after the first failure), or until the
 * declared reset (`resetsAtEpochMs`, at most an hour); a permanent one waits 30 minutes.
 *
 * Four active Wolkvox Billing Triggers, each with its own token, poll once at a fixed second a
 * minute or so after n8n starts. Their activation polls succeed; then the simulator turns on each
 * token's trouble: its quota used up, the token busy elsewhere, the token deleted, the report
 * gone. The test reads what the scheduler made of each poll, in its log and in its table.
 *
 * Only n8n 2.41.1: older versions have no durable scheduler (e2e.test.js proves the trigger
 * there). N8N_E2E_SCHEDULER_VERSION picks another 2.41+ version.
 *
 * Run: node --test test/e2e/scheduler.test.js (about two minutes).
 */
const assert = require('node:assert/strict');
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { after, before, describe, test } = require('node:test');

const { N8nInstance, ensureN8n, packPackage, tearDown } = require('../support/n8n');
const { WolkvoxSimulator } = require('../support/simulator');
const { waitUntil } = require('../support/wait');

const VERSION = process.env.N8N_E2E_SCHEDULER_VERSION || '2.41.1';
/** How long after n8n's start the scheduled poll comes: enough for n8n to start and activate. */
const FIRST_POLL_AFTER_MS = Number(process.env.N8N_E2E_SCHEDULER_DELAY_MS || 80_000);

/** n8n's own figures (n8n/dist/workflows/triggers/poll-backoff-policy.js, @n8n/scheduler backoff). */
const FIRST_CURVE_MS = 5_000;
const PERMANENT_MS = 30 * 60_000;
const RETRY_AFTER_MAX_MS = 60 * 60_000;

/** The durable scheduler, for poll triggers, with durable cursors (where the backoff is kept). */
const SCHEDULER_ENV = {
	N8N_SCHEDULER_ENABLED: 'true',
	N8N_SCHEDULER_POLL_TRIGGERS_ENABLED: 'true',
	N8N_POLLER_DURABLE_CURSORS_ENABLED: 'true',
	N8N_USE_WORKFLOW_PUBLICATION_SERVICE: 'true',
	GENERIC_TIMEZONE: 'UTC',
};

/** One trigger per case: its token, its report, and what the simulator does after activation. */
const CASES = {
	quota: {
		token: 'SCHED-QUOTA-TOKEN-41c2e9',
		report: 'agent_script',
		spoil: (sim, c) => sim.setQuota(c.token, { used: 1000 }),
	},
	busy: {
		token: 'SCHED-BUSY-TOKEN-8a03d6',
		report: 'agent_script',
		// As if another application held the token: every call meanwhile gets SIMULTANEOUS.
		spoil: (sim, c) => sim.holdToken(c.token, 10 * 60_000),
		// No retries of its own, so the failure reaches n8n at once.
		options: { retries: 0 },
	},
	rejected: {
		token: 'SCHED-REJECTED-TOKEN-f7b512',
		report: 'agent_script',
		// Deleted in Wolkvox Manager: PLEASE VALIDATE TOKEN.
		spoil: (sim, c) => sim.tokens.delete(c.token),
	},
	unknownReport: {
		token: 'SCHED-REPORT-TOKEN-2d9e70',
		report: 'intelligent_dial',
		// Wolkvox no longer offers the report: THE API YOU WANT TO CONSULT DOES NOT EXIST.
		spoil: (sim, c) => sim.removeReport(c.report),
	},
};

/** `S M H * * *` in UTC for that instant (whole seconds). */
function dailyCronAt(date) {
	return `${date.getUTCSeconds()} ${date.getUTCMinutes()} ${date.getUTCHours()} * * *`;
}

function triggerWorkflow(name, c, cron) {
	return {
		id: `sched${name[0].toUpperCase()}${name.slice(1)}`.slice(0, 16),
		name: `Scheduler: ${name}`,
		active: false,
		settings: { executionOrder: 'v1', timezone: 'UTC' },
		nodes: [
			{
				id: `sched-${name}-trigger`,
				name: 'Wolkvox Billing Trigger',
				type: 'n8n-nodes-wolkvox.wolkvoxBillingTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: {
					// Once a day: the shortest gap the trigger allows is 5 minutes.
					pollTimes: { item: [{ mode: 'custom', cronExpression: cron }] },
					report: c.report,
					...(c.options ? { options: c.options } : {}),
				},
				credentials: { wolkvoxApi: { id: `cred-${name}`, name: `Wolkvox ${name}` } },
			},
		],
		connections: {},
	};
}

/** The JSON log lines of the n8n server with this message. */
function logLines(log, message) {
	const lines = [];
	for (const line of log.split('\n')) {
		if (!line.startsWith('{')) continue;
		try {
			const entry = JSON.parse(line);
			if (entry.message === message) lines.push(entry);
		} catch {
			// not a JSON line
		}
	}
	return lines;
}

/** poller_state rows, read with node:sqlite of n8n's own Node (24). */
function pollerState(install, userFolder) {
	const node = install.nodeBin ? path.join(install.nodeBin, 'node') : process.execPath;
	const script = `
		const { DatabaseSync } = require('node:sqlite');
		const db = new DatabaseSync(process.argv[1], { readOnly: true });
		const rows = db.prepare('select "workflowId", "nodeId", "consecutiveErrors", "backoffUntil" from poller_state').all();
		process.stdout.write(JSON.stringify(rows));
	`;
	const out = execFileSync(
		node,
		['--no-warnings', '-e', script, path.join(userFolder, '.n8n', 'database.sqlite')],
		{ encoding: 'utf8' },
	);
	return JSON.parse(out);
}

/** A date column as SQLite holds it ("YYYY-MM-DD HH:MM:SS.SSS", UTC). */
function sqliteDate(value) {
	if (value === null || value === undefined) return null;
	const text = String(value);
	return new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(text) ? text : `${text.replace(' ', 'T')}Z`);
}

describe(`n8n ${VERSION}'s durable poll scheduler classes the trigger's errors`, () => {
	const started = Date.now();
	let tmp;
	let sim;
	let n8n;
	let install;
	const workflows = {};
	/** What n8n logged and stored, per case. */
	const seen = {};
	let pollAt;

	before(async () => {
		install = ensureN8n(VERSION);
		tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'wolkvox-sched-'));
		sim = new WolkvoxSimulator({
			tokens: Object.fromEntries(Object.values(CASES).map((c) => [c.token, { limit: 1000 }])),
		});
		const simUrl = await sim.start();
		const tarball = packPackage(tmp);
		n8n = await new N8nInstance(install, { logLevel: 'debug', logFormat: 'json' }).init();
		n8n.installPackage(tarball);
		await n8n.importCredentials(
			Object.entries(CASES).map(([name, c]) => ({
				id: `cred-${name}`,
				name: `Wolkvox ${name}`,
				type: 'wolkvoxApi',
				data: { server: '0032', token: c.token, baseUrl: simUrl },
			})),
		);
		pollAt = new Date(Math.ceil((Date.now() + FIRST_POLL_AFTER_MS) / 1000) * 1000);
		for (const [name, c] of Object.entries(CASES)) {
			workflows[name] = triggerWorkflow(name, c, dailyCronAt(pollAt));
		}
		await n8n.importWorkflows(Object.values(workflows));
		for (const workflow of Object.values(workflows)) await n8n.activateWorkflow(workflow.id);

		await n8n.start({ env: SCHEDULER_ENV });
		// Each trigger's activation poll succeeds, with its token still good.
		const calls = (c) => sim.billingRequests(c.report).filter((r) => r.token === c.token);
		await waitUntil(
			'the activation polls',
			() => Object.values(CASES).every((c) => calls(c).length > 0),
			60_000,
		);
		const activatedAt = Date.now();
		assert.ok(
			activatedAt < pollAt.getTime() - 5_000,
			`n8n started and activated the triggers ${Math.round((activatedAt - pollAt.getTime()) / 1000)} s after the scheduled poll; raise N8N_E2E_SCHEDULER_DELAY_MS`,
		);
		for (const c of Object.values(CASES)) {
			c.activationCalls = calls(c).length;
			assert.ok(
				calls(c).every((r) => r.status === 200),
				'activation polls are answered',
			);
			c.spoil(sim, c);
		}
		console.log(
			`# scheduler: n8n ${VERSION} up and triggers activated ${Math.round((activatedAt - started) / 1000)} s after the start; scheduled poll at ${pollAt.toISOString()}`,
		);

		// The scheduled poll of each trigger fails, and the scheduler records it.
		const failures = await waitUntil(
			'a "Poll failed; backing off" line for every trigger',
			() => {
				const lines = logLines(n8n.serverLog, 'Poll failed; backing off');
				return lines.length >= Object.keys(CASES).length ? lines : undefined;
			},
			pollAt.getTime() - Date.now() + 60_000,
		);
		const rows = pollerState(install, n8n.userFolder);
		for (const [name, c] of Object.entries(CASES)) {
			const workflowId = workflows[name].id;
			const lines = failures.filter((line) => (line.metadata ?? line).workflowId === workflowId);
			seen[name] = {
				lines: lines.map((line) => ({ ...line, ...(line.metadata ?? {}) })),
				row: rows.find((row) => row.workflowId === workflowId),
				calls: calls(c).slice(c.activationCalls),
			};
		}
	});

	after(async () => {
		const logs = await tearDown({ n8n, servers: [sim], tmp });
		console.log(`# scheduler: took ${Math.round((Date.now() - started) / 1000)} s`);
		for (const c of Object.values(CASES)) {
			assert.ok(!logs.includes(c.token), 'no log line holds a token');
		}
	});

	/** The one failure recorded for a case: its log line, its state row, the call behind it. */
	function recorded(name, wolkvoxSays) {
		const { lines, row, calls } = seen[name];
		assert.equal(lines.length, 1, `one recorded failure for ${name}`);
		const [line] = lines;
		assert.equal(calls.length, 1, `${name}: one call to Wolkvox in the scheduled poll`);
		assert.ok(wolkvoxSays.includes(calls[0].status), `${name}: HTTP ${calls[0].status}`);
		assert.ok(row, `${name}: a poller_state row`);
		assert.equal(row.consecutiveErrors, 1, `${name}: consecutiveErrors in poller_state`);
		assert.equal(line.consecutiveErrors, 1);
		const until = sqliteDate(row.backoffUntil);
		const loggedAt = Date.parse(line.timestamp);
		assert.ok(Number.isFinite(loggedAt), `${name}: the log line has a time`);
		// The row holds n8n's "now + delay": within a few seconds of the log line's time + delay.
		assert.ok(
			Math.abs(until.getTime() - (loggedAt + line.delayMs)) < 10_000,
			`${name}: backoffUntil ${until.toISOString()} is the logged delay after the failure`,
		);
		console.log(
			`# scheduler: ${name} → type ${line.type}, cause ${line.cause}, delay ${line.delayMs / 1000} s, poller_state backoffUntil ${until.toISOString()} (consecutiveErrors ${row.consecutiveErrors})`,
		);
		return line;
	}

	test('used-up quota: transient (quota-exhausted), waits until Wolkvox’s midnight, at most an hour', async () => {
		const line = recorded('quota', [403]);
		assert.equal(line.type, 'transient');
		assert.equal(line.cause, 'quota-exhausted');
		// n8n waits max(curve, min(resetsAtEpochMs - now, 1 h)); Wolkvox's day ends at 05:00 UTC.
		const local = Date.parse(line.timestamp) - 5 * 3600_000;
		const untilMidnight = 86_400_000 - (((local % 86_400_000) + 86_400_000) % 86_400_000);
		const expected = Math.max(FIRST_CURVE_MS, Math.min(untilMidnight, RETRY_AFTER_MAX_MS));
		assert.ok(
			Math.abs(line.delayMs - expected) < 15_000,
			`delay ${line.delayMs} ms, expected about ${expected} ms`,
		);
	});

	test('token busy elsewhere: transient (rate-limited), retried after the first backoff step (5 s)', async () => {
		const line = recorded('busy', [403]);
		assert.equal(line.type, 'transient');
		assert.equal(line.cause, 'rate-limited');
		assert.equal(line.delayMs, FIRST_CURVE_MS);
	});

	test('rejected token: permanent (credential-invalid), polls held back 30 minutes', async () => {
		const line = recorded('rejected', [403]);
		assert.equal(line.type, 'permanent');
		assert.equal(line.cause, 'credential-invalid');
		assert.equal(line.delayMs, PERMANENT_MS);
	});

	test('unknown report: permanent (configuration-invalid), polls held back 30 minutes', async () => {
		const line = recorded('unknownReport', [400]);
		assert.equal(line.type, 'permanent');
		assert.equal(line.cause, 'configuration-invalid');
		assert.equal(line.delayMs, PERMANENT_MS);
	});
});
