'use strict';
/**
 * A real n8n for the end-to-end suite, the demo, the scanner script and the benchmark: installed
 * once per version into a cache outside the clone (install-n8n.sh), a fresh user folder per run,
 * our packed package installed the way n8n installs community packages, and helpers for the CLI
 * (import, execute) and the REST API of a started n8n. Why each step is as it is: CONTRIBUTING.md,
 * "Real n8n on a test machine".
 */
const { spawn, spawnSync, execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { freePort } = require('./services');
const { waitUntil } = require('./wait');

const ROOT = path.resolve(__dirname, '..', '..');
const CACHE = process.env.N8N_E2E_CACHE || path.join(os.homedir(), '.cache', 'n8n-nodes-wolkvox');
/**
 * The versions the e2e suite proves the package on: the 1.x line's newest patch (Node 22), the
 * oldest 2.x we support (Node 20), and the newest 2.x that installs from the registry (Node 24;
 * 2.41.3 does not: twenty of its @n8n/* pins are missing there).
 */
const DEFAULT_VERSIONS = ['1.123.81', '2.8.4', '2.41.1'];
const ENCRYPTION_KEY = 'n8n-nodes-wolkvox-e2e-key';
/** The owner account of every n8n these scripts start (the demo prints it for the editor). */
const OWNER = {
	email: 'demo@example.com',
	firstName: 'Demo',
	lastName: 'User',
	password: 'Wolkvox-demo-1',
};

/** The n8n versions to run: N8N_E2E_VERSIONS (comma-separated), else DEFAULT_VERSIONS. */
function versions() {
	const wanted = (process.env.N8N_E2E_VERSIONS || '')
		.split(',')
		.map((v) => v.trim())
		.filter(Boolean);
	return wanted.length ? wanted : DEFAULT_VERSIONS;
}

/** The script that installs one n8n version into CACHE (with the Node it needs). */
const INSTALL_N8N = path.join(__dirname, 'install-n8n.sh');

/** Installs n8n `version` into the cache if needed (minutes, the first time); returns its paths. */
function ensureN8n(version, { quiet = false } = {}) {
	const folder = path.join(CACHE, `n8n-${version}`);
	if (!fs.existsSync(path.join(folder, '.complete'))) {
		const result = spawnSync(INSTALL_N8N, [version], {
			stdio: ['ignore', 'pipe', quiet ? 'pipe' : 'inherit'],
			env: { ...process.env, N8N_E2E_CACHE: CACHE },
		});
		if (result.status !== 0) {
			throw new Error(`installing n8n ${version} failed:\n${result.stderr ?? ''}`);
		}
	}
	const nodeBinFile = path.join(folder, '.node-bin');
	const nodeBin = fs.existsSync(nodeBinFile)
		? fs.readFileSync(nodeBinFile, 'utf8').trim()
		: undefined;
	return { version, folder, bin: path.join(folder, 'node_modules', '.bin', 'n8n'), nodeBin };
}

/** Builds the package and packs it into `dir`; returns the tarball's path. */
function packPackage(dir) {
	execFileSync('npm', ['run', 'build', '--silent'], {
		cwd: ROOT,
		stdio: ['ignore', 'ignore', 'inherit'],
	});
	return packFolder(ROOT, dir);
}

/** `npm pack` of the package in `folder` into `dir`; returns the tarball's path. */
function packFolder(folder, dir) {
	const name = execFileSync('npm', ['pack', '--silent', '--pack-destination', dir], {
		cwd: folder,
		encoding: 'utf8',
		stdio: ['ignore', 'pipe', 'inherit'],
	})
		.trim()
		.split('\n')
		.pop();
	return path.join(dir, name);
}

/**
 * The run printed by `n8n execute --rawOutput`. With N8N_LOG_FORMAT=json (as this suite runs)
 * it is the message of one JSON log line; with the text format it is the last line that is just
 * "{" to the end of the output.
 */
function parseRawOutput(stdout) {
	const isRun = (value) =>
		value && typeof value === 'object' && value.data?.resultData !== undefined;
	const lines = stdout.split('\n');
	for (let i = lines.length - 1; i >= 0; i--) {
		if (!lines[i].startsWith('{"level":')) continue;
		try {
			const { message } = JSON.parse(lines[i]);
			const run =
				typeof message === 'string' && message.startsWith('{') ? JSON.parse(message) : undefined;
			if (isRun(run)) return run;
		} catch {
			// an ordinary log line
		}
	}
	const start = lines.lastIndexOf('{');
	if (start < 0) return undefined;
	try {
		const run = JSON.parse(lines.slice(start).join('\n'));
		return isRun(run) ? run : undefined;
	} catch {
		return undefined;
	}
}

/**
 * One n8n user folder with our package installed in `.n8n/nodes`, as Settings > Community Nodes
 * does it (npm install of the tarball, --omit=peer --ignore-scripts).
 */
class N8nInstance {
	/**
	 * @param {{ version: string, folder: string, bin: string, nodeBin?: string }} install
	 * @param {{ userFolder?: string, logLevel?: string, logFormat?: string }} [options]
	 */
	constructor(install, { userFolder, logLevel = 'info', logFormat = 'text' } = {}) {
		this.install = install;
		this.userFolder =
			userFolder ?? fs.mkdtempSync(path.join(os.tmpdir(), `wolkvox-n8n-${install.version}-`));
		this.logLevel = logLevel;
		this.logFormat = logFormat;
		this.logs = [];
		this.server = undefined;
	}

	async init() {
		this.brokerPort = await freePort();
		return this;
	}

	/** @param {Record<string, string>} [extra] @returns {NodeJS.ProcessEnv} */
	env(extra = {}) {
		/** @type {NodeJS.ProcessEnv} */
		const env = {
			...process.env,
			N8N_USER_FOLDER: this.userFolder,
			N8N_ENCRYPTION_KEY: ENCRYPTION_KEY,
			N8N_DIAGNOSTICS_ENABLED: 'false',
			N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
			N8N_PERSONALIZATION_ENABLED: 'false',
			N8N_TEMPLATES_ENABLED: 'false',
			N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
			N8N_RUNNERS_BROKER_PORT: String(this.brokerPort),
			N8N_LOG_LEVEL: this.logLevel,
			N8N_LOG_FORMAT: this.logFormat,
			N8N_SECURE_COOKIE: 'false',
			// Keep binary data (the CSV files) inline in the run data, where the suite reads it.
			N8N_DEFAULT_BINARY_DATA_MODE: 'default',
			...extra,
		};
		if (this.install.nodeBin) env.PATH = `${this.install.nodeBin}:${env.PATH}`;
		return env;
	}

	/** Installs our tarball (and, for the benchmark, its baseline package) in one npm run. */
	installPackage(...tarballs) {
		const nodes = path.join(this.userFolder, '.n8n', 'nodes');
		fs.mkdirSync(nodes, { recursive: true });
		fs.writeFileSync(
			path.join(nodes, 'package.json'),
			JSON.stringify({ name: 'installed-nodes', private: true }),
		);
		execFileSync(
			'npm',
			[
				'install',
				...tarballs,
				'--omit=peer',
				'--ignore-scripts',
				'--no-audit',
				'--no-fund',
				'--prefer-offline',
				'--loglevel=error',
			],
			{ cwd: nodes, stdio: ['ignore', 'ignore', 'inherit'] },
		);
	}

	/** Runs an n8n CLI command; resolves to { code, stdout, stderr } (never rejects on exit code). */
	async cli(args, { env = {} } = {}) {
		return await new Promise((resolve, reject) => {
			const child = spawn(this.install.bin, args, {
				env: this.env(env),
				stdio: ['ignore', 'pipe', 'pipe'],
			});
			let stdout = '';
			let stderr = '';
			child.stdout.on('data', (chunk) => (stdout += chunk));
			child.stderr.on('data', (chunk) => (stderr += chunk));
			child.once('error', reject);
			child.once('close', (code) => {
				this.logs.push(stdout, stderr);
				resolve({ code, stdout, stderr });
			});
		});
	}

	async importCredentials(credentials) {
		const file = path.join(this.userFolder, 'credentials.json');
		fs.writeFileSync(file, JSON.stringify(credentials));
		const result = await this.cli(['import:credentials', `--input=${file}`]);
		fs.rmSync(file);
		if (result.code !== 0)
			throw new Error(`import:credentials failed:\n${result.stdout}${result.stderr}`);
	}

	/** Imports workflows (objects with fixed ids) in one CLI run. */
	async importWorkflows(workflows) {
		const dir = fs.mkdtempSync(path.join(this.userFolder, 'workflows-'));
		workflows.forEach((workflow, i) =>
			fs.writeFileSync(path.join(dir, `${i}.json`), JSON.stringify(workflow)),
		);
		const result = await this.cli(['import:workflow', '--separate', `--input=${dir}`]);
		if (result.code !== 0)
			throw new Error(`import:workflow failed:\n${result.stdout}${result.stderr}`);
	}

	/**
	 * Marks a workflow active, so that `n8n start` activates it: `publish:workflow` on 2.x, which
	 * 1.x lacks; there `update:workflow --active=true` does the same. Returns what was run.
	 */
	async activateWorkflow(id) {
		const args = this.install.version.startsWith('1.')
			? ['update:workflow', `--id=${id}`, '--active=true']
			: ['publish:workflow', `--id=${id}`];
		const result = await this.cli(args);
		if (result.code !== 0)
			throw new Error(`n8n ${args.join(' ')} failed:\n${result.stdout}${result.stderr}`);
		return args.join(' ');
	}

	/**
	 * `n8n execute --id --rawOutput`; returns the exit code, the output and the parsed run.
	 * @param {string} id @param {{ env?: Record<string, string> }} [options]
	 */
	async execute(id, { env = {} } = {}) {
		const result = await this.cli(['execute', `--id=${id}`, '--rawOutput'], { env });
		return { ...result, run: parseRawOutput(result.stdout) };
	}

	/**
	 * Starts `n8n start` on 127.0.0.1 and waits until its REST API answers. `env` adds to (or
	 * overrides) its environment;
	 * `prefix` is a command that runs n8n (its arguments end with n8n's path and `start`).
	 */
	/** @param {{ port?: number, env?: Record<string, string>, prefix?: string[] }} [options] */
	async start({ port, env = {}, prefix = [] } = {}) {
		this.port = port ?? (await freePort());
		this.baseUrl = `http://127.0.0.1:${this.port}`;
		const command = [...prefix, this.install.bin, 'start'];
		const child = spawn(command[0], command.slice(1), {
			env: this.env({
				N8N_LISTEN_ADDRESS: '127.0.0.1',
				N8N_PORT: String(this.port),
				N8N_HOST: '127.0.0.1',
				...env,
			}),
			stdio: ['ignore', 'pipe', 'pipe'],
			detached: true,
		});
		this.server = child;
		this.serverLog = '';
		child.stdout.on('data', (chunk) => (this.serverLog += chunk));
		child.stderr.on('data', (chunk) => (this.serverLog += chunk));
		try {
			await waitUntil(
				'n8n to start',
				async () => {
					if (child.exitCode !== null) throw new Error(`n8n start exited:\n${this.serverLog}`);
					// n8n listens, and answers some routes, long before it has registered all of them
					// and released the node types (a CI run on 2.41 met 404s and the editor's HTML
					// there). Both versions print this line last, after everything is in place.
					if (!this.serverLog.includes('Editor is now accessible via')) return false;
					try {
						return (await fetch(`${this.baseUrl}/rest/settings`)).ok;
					} catch {
						return false; // not listening yet
					}
				},
				120_000,
				500,
			);
		} catch (error) {
			// A start that timed out says what n8n printed (one that exited already does).
			if (child.exitCode !== null) throw error;
			throw new Error(`n8n did not start within 120 s:\n${this.serverLog}`);
		}
		return this;
	}

	async stop() {
		if (this.server && this.server.exitCode === null) {
			const exited = new Promise((resolve) => this.server.once('exit', resolve));
			try {
				process.kill(-this.server.pid, 'SIGTERM');
			} catch {
				// already gone
			}
			const timer = setTimeout(() => {
				try {
					process.kill(-this.server.pid, 'SIGKILL');
				} catch {
					// already gone
				}
			}, 15_000);
			await exited;
			clearTimeout(timer);
			this.logs.push(this.serverLog);
		}
		this.server = undefined;
	}

	/** A REST call with the session cookie from setupOwner(). */
	async rest(method, route, body) {
		const response = await fetch(`${this.baseUrl}/rest${route}`, {
			method,
			headers: {
				'content-type': 'application/json',
				...(this.cookie ? { cookie: this.cookie } : {}),
			},
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const text = await response.text();
		let json;
		try {
			json = JSON.parse(text);
		} catch {
			json = undefined;
		}
		if (!response.ok || (text !== '' && json === undefined))
			throw new Error(`${method} ${route}: HTTP ${response.status} ${text.slice(0, 300)}`);
		const setCookie = response.headers.get('set-cookie');
		if (setCookie) this.cookie = setCookie.split(';')[0];
		return json?.data;
	}

	async setupOwner(owner = OWNER) {
		return await this.rest('POST', '/owner/setup', owner);
	}

	/** `n8n start`, then the owner account, so the REST API (and the editor) can be used. */
	/** @param {{ port?: number, owner?: typeof OWNER }} [options] */
	async startWithOwner({ port, owner = OWNER } = {}) {
		await this.start({ port });
		await this.setupOwner(owner);
		return this;
	}

	/** The credential's Test button: POST /rest/credentials/test, as the editor sends it. */
	async testCredential(credential) {
		return await this.rest('POST', '/credentials/test', { credentials: credential });
	}

	/**
	 * A manual run from one trigger, as the editor starts it; resolves to the run data. By default
	 * only the trigger runs (the editor's "Fetch Test Event"); `{ wholeWorkflow: true }` runs on
	 * from it ("Execute workflow").
	 */
	async runManually(workflowId, triggerName, { wholeWorkflow = false } = {}) {
		const workflowData = await this.rest('GET', `/workflows/${workflowId}`);
		const { executionId } = await this.rest('POST', `/workflows/${workflowId}/run`, {
			workflowData,
			triggerToStartFrom: { name: triggerName },
			...(wholeWorkflow ? {} : { destinationNode: { nodeName: triggerName, mode: 'inclusive' } }),
		});
		const flatted = require(path.join(this.install.folder, 'node_modules', 'flatted'));
		const execution = await waitUntil(
			`execution ${executionId} to finish`,
			async () => {
				const found = await this.rest('GET', `/executions/${executionId}`);
				const done =
					found &&
					found.finished !== undefined &&
					found.status !== 'running' &&
					found.status !== 'new';
				return done ? found : undefined;
			},
			300_000,
			300,
		);
		return { status: execution.status, data: flatted.parse(execution.data) };
	}

	cleanup() {
		fs.rmSync(this.userFolder, { recursive: true, force: true });
	}
}

/**
 * A copy of a workflow whose Schedule Trigger is replaced by a Manual Trigger of the same name:
 * `n8n execute` cannot start a schedule ("Missing node to start execution").
 */
function withManualTrigger(workflow, id) {
	const copy = JSON.parse(JSON.stringify(workflow));
	copy.id = id;
	copy.name = `${workflow.name} (manual twin)`;
	for (const node of copy.nodes) {
		if (node.type === 'n8n-nodes-base.scheduleTrigger') {
			node.type = 'n8n-nodes-base.manualTrigger';
			node.typeVersion = 1;
			node.parameters = {};
		}
	}
	return copy;
}

function readExample(name) {
	return JSON.parse(fs.readFileSync(path.join(ROOT, 'examples', name), 'utf8'));
}

/** Points every Wolkvox credential reference of a workflow at `credential`. */
function useCredential(workflow, credential) {
	for (const node of workflow.nodes) {
		if (node.credentials?.wolkvoxApi)
			node.credentials.wolkvoxApi = { id: credential.id, name: credential.name };
	}
	return workflow;
}

/**
 * The end of a suite: n8n stopped and its user folder removed, the servers stopped, the temporary
 * folder removed; returns everything n8n logged, for the suite's check that no token is in it.
 */
async function tearDown({ n8n, servers = [], tmp }) {
	await n8n?.stop();
	for (const server of servers) await server?.stop();
	const logs = n8n ? n8n.logs.join('\n') : '';
	n8n?.cleanup();
	if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
	return logs;
}

/** The items a node produced in a run (`n8n execute`'s output, or an execution's data). */
function outputOf(run, nodeName) {
	const task = run?.data?.resultData?.runData?.[nodeName]?.[0];
	if (!task) throw new Error(`node "${nodeName}" did not run`);
	return task.data?.main?.[0] ?? [];
}

module.exports = {
	CACHE,
	outputOf,
	tearDown,
	OWNER,
	ROOT,
	N8nInstance,
	ensureN8n,
	freePort,
	INSTALL_N8N,
	packFolder,
	packPackage,
	parseRawOutput,
	readExample,
	useCredential,
	versions,
	withManualTrigger,
};
