'use strict';
/**
 * Queue mode, as teams that outgrow one n8n process run it: Redis, Postgres, one `n8n start`
 * main (EXECUTIONS_MODE=queue) and two `n8n worker`s, each with its own user folder and the
 * packed package installed in it. Everything on loopback ports chosen at run time, in one temp
 * folder, all stopped and removed at the end, failed tests included.
 *
 * Run: npm run test:e2e (after e2e.test.js). N8N_E2E_QUEUE_VERSION picks the n8n version.
 */
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { after, before, describe, test } = require('node:test');

const { N8nInstance, ensureN8n, packPackage } = require('../support/n8n');
const {
	freePort,
	portOpen,
	startPostgres,
	startProcess,
	startRedis,
} = require('../support/services');
const { waitUntil } = require('../support/wait');
const { WolkvoxSimulator } = require('../support/simulator');
const { billingNode, changeReportingWorkflow } = require('../support/workflows');
const { PRODUCTS } = require('../support/simulator/data');

const VERSION = process.env.N8N_E2E_QUEUE_VERSION || '2.41.1';
const TOKEN = 'QUEUE-E2E-TOKEN-7f3a19c4e2';
const CALLS = 30;

describe(`queue mode on n8n ${VERSION}: a main, two workers, Redis and Postgres`, () => {
	const started = Date.now();
	let tmp;
	let sim;
	let redis;
	let postgres;
	let main;
	let workers = [];
	const ports = [];
	const figures = {};
	/** Every process this suite started, for the report and the cleanup check. */
	const processes = [];
	/** The main's n8n, for its CLI (imports, publishing) in its own user folder. */
	let cli;

	/** Environment every n8n process of this deployment shares. */
	const shared = () => ({
		EXECUTIONS_MODE: 'queue',
		DB_TYPE: 'postgresdb',
		DB_POSTGRESDB_HOST: '127.0.0.1',
		DB_POSTGRESDB_PORT: String(postgres.port),
		DB_POSTGRESDB_DATABASE: 'n8n',
		DB_POSTGRESDB_USER: 'n8n',
		DB_POSTGRESDB_PASSWORD: '',
		QUEUE_BULL_REDIS_HOST: '127.0.0.1',
		QUEUE_BULL_REDIS_PORT: String(redis.port),
		N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '5',
		// n8n removes a finished job from Redis at once by default; the main then learns of the
		// end only from one pub/sub event, and a webhook whose event is missed waits forever
		// (n8n issue #30392; seen once here, a call unanswered after 300 s). Keeping finished jobs
		// lets Bull's 5-second check find them. The README gives users the same setting.
		N8N_EXECUTIONS_QUEUE_KEEP_LAST_COMPLETED: '1000',
		N8N_EXECUTIONS_QUEUE_KEEP_LAST_FAILED: '1000',
	});

	async function startMain() {
		const port = await freePort();
		ports.push(port, cli.brokerPort);
		const env = cli.env({
			...shared(),
			N8N_LOG_LEVEL: 'debug',
			N8N_LISTEN_ADDRESS: '127.0.0.1',
			N8N_HOST: '127.0.0.1',
			N8N_PORT: String(port),
		});
		const proc = startProcess(tmp, 'main', cli.install.bin, ['start'], { env, detached: true });
		processes.push(`n8n start (main, port ${port})`);
		proc.url = `http://127.0.0.1:${port}`;
		await waitUntil(
			'the main',
			async () => {
				if (!proc.alive()) throw new Error(`the main exited:\n${proc.log().slice(-3000)}`);
				return /Editor is now accessible via/.test(proc.log());
			},
			180_000,
		);
		return proc;
	}

	/**
	 * A worker in its own user folder. As root it gets its own host name (n8n names a worker
	 * after its host, and this machine's /.dockerenv makes both "worker-<host>").
	 */
	async function startWorker(name) {
		const instance = await new N8nInstance(cli.install).init();
		instance.installPackage(figures.tarball);
		const health = await freePort();
		ports.push(health, instance.brokerPort);
		const env = instance.env({
			...shared(),
			N8N_LOG_LEVEL: 'debug',
			QUEUE_HEALTH_CHECK_ACTIVE: 'true',
			QUEUE_HEALTH_CHECK_PORT: String(health),
			N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
		});
		const host = `wolkvox-${name}`;
		const [command, args] =
			process.getuid?.() === 0
				? [
						'unshare',
						[
							'--uts',
							'sh',
							'-c',
							'hostname "$0" && exec "$@"',
							host,
							instance.install.bin,
							'worker',
						],
					]
				: [instance.install.bin, ['worker']];
		const proc = startProcess(tmp, name, command, args, { env, detached: true });
		processes.push(`n8n worker (${name}, health port ${health})`);
		proc.instance = instance;
		await waitUntil(
			name,
			async () => {
				if (!proc.alive()) throw new Error(`${name} exited:\n${proc.log().slice(-3000)}`);
				return /n8n worker is now ready/.test(proc.log());
			},
			180_000,
		);
		return proc;
	}

	before(async () => {
		const install = ensureN8n(VERSION);
		tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'wolkvox-queue-'));
		const pg = require(
			require.resolve('pg', { paths: [path.join(install.folder, 'node_modules')] }),
		);
		redis = await startRedis(tmp);
		processes.push(`redis-server (port ${redis.port})`);
		postgres = await startPostgres(tmp, pg);
		processes.push(`postgres ${postgres.version} (port ${postgres.port})`);
		ports.push(redis.port, postgres.port);
		sim = new WolkvoxSimulator({ tokens: { [TOKEN]: { limit: 100_000 } } });
		const simUrl = await sim.start();

		figures.tarball = packPackage(tmp);
		cli = await new N8nInstance(install, { logFormat: 'json' }).init();
		cli.installPackage(figures.tarball);
		const credential = { id: 'queueWolkvox', name: 'Wolkvox simulator', type: 'wolkvoxApi' };
		const shell = { env: shared() };
		const cliIn = async (args) => {
			const result = await cli.cli(args, shell);
			assert.equal(result.code, 0, `n8n ${args.join(' ')}:\n${result.stdout}${result.stderr}`);
		};
		const file = (name, data) => {
			fs.writeFileSync(path.join(tmp, name), JSON.stringify(data));
			return path.join(tmp, name);
		};
		await cliIn([
			'import:credentials',
			`--input=${file('credentials.json', [{ ...credential, data: { server: '0032', token: TOKEN, baseUrl: simUrl } }])}`,
		]);
		fs.mkdirSync(path.join(tmp, 'workflows'));
		fs.writeFileSync(
			path.join(tmp, 'workflows', 'burst.json'),
			JSON.stringify(burstWorkflow(credential)),
		);
		fs.writeFileSync(
			path.join(tmp, 'workflows', 'trigger.json'),
			JSON.stringify(
				changeReportingWorkflow({
					id: 'queueTrigger',
					name: 'Queue mode: an active trigger',
					credential,
					simUrl,
				}),
			),
		);
		await cliIn(['import:workflow', '--separate', `--input=${path.join(tmp, 'workflows')}`]);
		await cliIn(['publish:workflow', '--id=queueBurst']);
		await cliIn(['publish:workflow', '--id=queueTrigger']);

		const t = Date.now();
		[main, ...workers] = await Promise.all([
			startMain(),
			startWorker('worker1'),
			startWorker('worker2'),
		]);
		figures.startSeconds = Math.round((Date.now() - t) / 1000);
		// Activation registers the webhook and runs the trigger's first poll, on the main.
		await waitUntil(
			'the webhook and the activation poll',
			async () =>
				(await postgres.query(`select 1 from webhook_entity where "workflowId" = 'queueBurst'`))
					.length > 0 && sim.billingRequests('agent_script').length > 0,
			120_000,
		);
	});

	after(async () => {
		for (const proc of [main, ...workers]) await proc?.stop();
		await postgres?.stop();
		await redis?.stop();
		await sim?.stop();
		const logs = [main, ...workers]
			.filter(Boolean)
			.map((proc) => proc.log())
			.join('\n');
		for (const worker of workers) worker.instance?.cleanup();
		cli?.cleanup();
		if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
		// Nothing is left behind: no process, no port, no folder.
		const open = [];
		for (const port of ports) if (await portOpen(port)) open.push(port);
		console.log(`# queue mode: processes started: ${processes.join('; ')}`);
		console.log(
			`# queue mode: took ${Math.round((Date.now() - started) / 1000)} s; main and workers ready in ${figures.startSeconds} s; ports still open after: ${open.length}; temp folder left: ${fs.existsSync(tmp)}`,
		);
		assert.deepEqual(open, [], 'every port is closed');
		assert.equal(fs.existsSync(tmp), false, 'the temp folder is gone');
		assert.ok(!logs.includes(TOKEN), 'no log of the main or the workers holds the token');
	});

	/** Fires CALLS webhook calls at once; returns what each answered and which worker ran it. */
	async function burst() {
		sim.clearRecords();
		const [{ last }] = await postgres.query(
			'select coalesce(max(id::int), 0) as last from execution_entity',
		);
		const reports = Object.keys(PRODUCTS);
		const t = Date.now();
		const answers = await Promise.all(
			Array.from({ length: CALLS }, async (_, i) => {
				const report = reports[i % reports.length];
				let response;
				try {
					// Bounded: a webhook that never answers fails in 2 minutes, with what the
					// processes logged, instead of at undici's 5-minute limit with nothing.
					response = await fetch(`${main.url}/webhook/wolkvox-queue?report=${report}`, {
						signal: AbortSignal.timeout(120_000),
					});
				} catch (error) {
					return { report, status: `no answer (${error.cause?.code ?? error.name})`, rows: [] };
				}
				const text = await response.text();
				const ms = Date.now() - t;
				let rows;
				try {
					rows = [JSON.parse(text)].flat();
				} catch {
					rows = text;
				}
				return { report, status: response.status, rows, ms };
			}),
		);
		const wallMs = Date.now() - t;
		// An answer after 5 s or more would be Bull's check rescuing a missed event.
		console.log(
			`# queue mode: burst of ${CALLS} answered in ${wallMs} ms, slowest call ${Math.max(...answers.map((answer) => answer.ms ?? Infinity))} ms`,
		);
		if (answers.some((answer) => answer.status !== 200)) await explain(Number(last), answers);
		const executions = await waitForExecutions(Number(last), CALLS);
		return { answers, executions, wallMs, ranBy: await ranBy(Number(last), executions) };
	}

	/** What the executions and the processes say, for a burst where some call went wrong. */
	async function explain(after, answers) {
		console.log(`# queue mode: answers ${JSON.stringify(answers.map((answer) => answer.status))}`);
		const rows = await postgres.query(
			`select id, status, mode, "startedAt", "stoppedAt" from execution_entity where id::int > ${after} order by id::int`,
		);
		console.log(`# queue mode: executions ${JSON.stringify(rows)}`);
		for (const proc of [main, ...workers]) {
			const lines = proc
				.log()
				.split('\n')
				.filter((line) => !/Wolkvox|poll/i.test(line) || /fail|error/i.test(line));
			console.log(
				`# queue mode: the last lines of ${proc.name ?? 'main'}:\n${lines.slice(-60).join('\n')}`,
			);
		}
	}

	async function waitForExecutions(after, count) {
		let rows = [];
		await waitUntil(
			`${count} finished executions`,
			async () => {
				rows = await postgres.query(
					`select id, status, mode from execution_entity where id::int > ${after} and status not in ('new', 'running', 'waiting') order by id::int`,
				);
				return rows.length >= count;
			},
			60_000,
		);
		return rows;
	}

	/**
	 * Which worker ran each execution after `after`: each worker's own log names the executions
	 * it ran, and the main's log names the worker that finished each. A worker stores an execution
	 * as finished before it writes that line (a CI run read the log in between), so this waits up
	 * to 15 s for every one of `executions` to be named; one never named stays unnamed.
	 */
	async function ranBy(after, executions) {
		let names;
		const named = () => {
			names = namesIn(after);
			return executions.every((row) => names.byWorkerLog[row.id]);
		};
		await waitUntil('the workers to log their executions', named, 15_000).catch(() => {});
		return names;
	}

	function namesIn(after) {
		const byWorkerLog = {};
		for (const worker of workers) {
			for (const match of worker.log().matchAll(/Worker finished execution (\d+)/g)) {
				if (Number(match[1]) > after) byWorkerLog[match[1]] = worker.name;
			}
		}
		const byMain = {};
		for (const line of main.log().split('\n')) {
			if (!line.startsWith('{')) continue;
			try {
				const { message, metadata } = JSON.parse(line);
				const match = /^Execution (\d+) \(job \d+\) finished/.exec(message ?? '');
				if (match && Number(match[1]) > after) byMain[match[1]] = metadata?.workerId;
			} catch {
				// not a JSON line
			}
		}
		return { byWorkerLog, byMain };
	}

	function expectedRows(report) {
		return PRODUCTS[report].map(([description, items]) => [report, description, Number(items)]);
	}

	test(`${CALLS} webhook calls at once: every execution succeeds with its rows, on the workers`, async () => {
		sim.concurrentLimit = 1000;
		const { answers, executions, ranBy: ran } = await burst();
		for (const { report, status, rows } of answers) {
			assert.equal(status, 200, `${report}: ${JSON.stringify(rows).slice(0, 300)}`);
			assert.deepEqual(
				rows.map((row) => [row.report, row.description, row.items]),
				expectedRows(report),
			);
		}
		assert.equal(executions.length, CALLS);
		assert.ok(executions.every((row) => row.status === 'success' && row.mode === 'webhook'));
		const names = executions.map((row) => ran.byWorkerLog[row.id]);
		const perWorker = Object.fromEntries(
			workers.map((worker) => [worker.name, names.filter((n) => n === worker.name).length]),
		);
		console.log(`# queue mode: executions per worker: ${JSON.stringify(perWorker)}`);
		assert.equal(perWorker.worker1 + perWorker.worker2, CALLS, 'every execution ran on a worker');
		assert.ok(perWorker.worker1 > 0 && perWorker.worker2 > 0, 'both workers took executions');
		if (process.getuid?.() === 0) {
			for (const row of executions) {
				assert.equal(ran.byMain[row.id], `worker-wolkvox-${ran.byWorkerLog[row.id]}`);
			}
		}
		// Our node's own debug line for a report only the webhook asks for: workers, never the main.
		const fetched = /Wolkvox \/api\/v2\/billing\.php\?api=ivr_calls answered HTTP 200/;
		assert.ok(workers.some((worker) => fetched.test(worker.log())));
		assert.ok(!fetched.test(main.log()), 'the main ran no Wolkvox Billing node');
	});

	test('with one call per token at a time, the workers collide at Wolkvox and the retries absorb it', async () => {
		sim.concurrentLimit = 1;
		sim.latencyMs = 50;
		const { answers, executions, wallMs } = await burst();
		sim.latencyMs = 0;
		for (const { report, status, rows } of answers) {
			assert.equal(status, 200, `${report}: ${JSON.stringify(rows).slice(0, 300)}`);
			assert.deepEqual(
				rows.map((row) => [row.report, row.description, row.items]),
				expectedRows(report),
			);
		}
		assert.ok(executions.every((row) => row.status === 'success'));
		const requests = sim.billingRequests();
		const refused = requests.filter((r) => r.status === 403).length;
		const maxInFlight = sim.maxInFlight.get(TOKEN);
		console.log(
			`# queue mode, one call per token: ${CALLS} executions in ${(wallMs / 1000).toFixed(1)} s; most calls in flight at Wolkvox: ${maxInFlight}; calls refused as simultaneous and retried: ${refused}; calls in all: ${requests.length}`,
		);
		// Each worker queues its own calls: only the two workers' calls can meet.
		assert.ok(maxInFlight <= 2, `at most one call per worker in flight (${maxInFlight})`);
		assert.equal(requests.length - refused, CALLS, 'one successful call per execution');
	});

	test('the trigger polls on the main, its executions run on a worker, and its state survives a restart of the main', async () => {
		// The activation poll stored a baseline of 42 in Postgres.
		const [workflow] = await postgres.query(
			`select "staticData" from workflow_entity where id = 'queueTrigger'`,
		);
		const staticData =
			typeof workflow.staticData === 'string'
				? JSON.parse(workflow.staticData)
				: workflow.staticData;
		const state = staticData?.['node:Wolkvox Billing Trigger'];
		assert.deepEqual(
			Object.values(state?.rows ?? {}).map((row) => row.items),
			[42],
		);
		const pollsOnWorkers = workers.filter((w) =>
			/Wolkvox Billing Trigger: agent_script/.test(w.log()),
		);
		assert.deepEqual(pollsOnWorkers, [], 'workers do not poll');
		assert.match(main.log(), /Wolkvox Billing Trigger: agent_script, 1 rows, baseline recorded/);

		await main.stop();
		sim.clearRecords();
		sim.setReport('agent_script', [{ ...sim.reports.agent_script.rows()[0], items: '45' }]);
		const [{ last }] = await postgres.query(
			'select coalesce(max(id::int), 0) as last from execution_entity',
		);
		main = await startMain();
		const collected = () => sim.requests.filter((r) => r.path === '/collect');
		await waitUntil('the emitted change', () => collected().length > 0, 120_000);
		const [execution] = await waitForExecutions(Number(last), 1);
		assert.equal(execution.status, 'success');
		const { byWorkerLog } = await ranBy(Number(last), [execution]);
		assert.ok(byWorkerLog[execution.id], `execution ${execution.id} ran on a worker`);
		console.log(
			`# queue mode: the trigger's execution ${execution.id} ran on ${byWorkerLog[execution.id]}`,
		);
		// Once, not once per process.
		await new Promise((resolve) => setTimeout(resolve, 3000));
		assert.deepEqual(
			collected().map((r) => r.query),
			[{ change: 'changed', items: '45', previousItems: '42', difference: '3' }],
		);
	});

	test('no execution data in Postgres holds the token', async () => {
		const [{ leaks }] = await postgres.query(
			`select count(*)::int as leaks from execution_data where data like '%${TOKEN}%'`,
		);
		assert.equal(leaks, 0);
	});
});

/** Webhook (GET ?report=) → Wolkvox Billing, answering with the rows. */
function burstWorkflow(credential) {
	return {
		id: 'queueBurst',
		name: 'Queue mode: a report per webhook call',
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: [
			{
				id: 'q1',
				name: 'Webhook',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, 0],
				webhookId: 'c7a1e0b2-3d4f-4a5b-9c6d-7e8f9a0b1c2d',
				parameters: {
					httpMethod: 'GET',
					path: 'wolkvox-queue',
					responseMode: 'lastNode',
					responseData: 'allEntries',
					options: {},
				},
			},
			billingNode({
				id: 'q2',
				position: [240, 0],
				parameters: { report: '={{ $json.query.report }}' },
				credential,
			}),
		],
		connections: { Webhook: { main: [[{ node: 'Wolkvox Billing', type: 'main', index: 0 }]] } },
	};
}
