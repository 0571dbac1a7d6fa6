#!/usr/bin/env node
'use strict';
/**
 * npm run demo           builds the package, runs the daily-report example in a real n8n 2.8.4
 *                        against the Wolkvox simulator, prints the rows, exits.
 * npm run demo -- --ui   also leaves n8n's editor running on http://127.0.0.1:5678 with the
 *                        package, the examples and a credential ready, until Ctrl-C.
 * With WOLKVOX_SERVER and WOLKVOX_TOKEN set, it uses the real Wolkvox instead of the simulator.
 */
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { WolkvoxSimulator } = require('../test/support/simulator');
const {
	CACHE,
	INSTALL_N8N,
	OWNER,
	N8nInstance,
	ensureN8n,
	packPackage,
	readExample,
	useCredential,
	withManualTrigger,
} = require('../test/support/n8n');

const VERSION = '2.8.4';
const UI_PORT = 5678;
const ui = process.argv.includes('--ui');

const say = (text) => console.log(text);

async function installN8nWithProgress() {
	if (fs.existsSync(path.join(CACHE, `n8n-${VERSION}`, '.complete'))) return ensureN8n(VERSION);
	say(`n8n ${VERSION} is not installed yet: installing it once into ${CACHE}.`);
	say('This takes about 6 minutes and 2.3 GB; later runs reuse it.');
	const started = Date.now();
	const ticker = setInterval(() => {
		const seconds = Math.round((Date.now() - started) / 1000);
		say(`  ... still installing n8n (${Math.floor(seconds / 60)} min ${seconds % 60} s)`);
	}, 30_000);
	try {
		await new Promise((resolve, reject) => {
			const child = spawn(INSTALL_N8N, [VERSION], {
				stdio: ['ignore', 'ignore', 'inherit'],
				env: { ...process.env, N8N_E2E_CACHE: CACHE },
			});
			child.once('error', reject);
			child.once('close', (code) =>
				code === 0 ? resolve() : reject(new Error(`n8n install failed (exit ${code})`)),
			);
		});
	} finally {
		clearInterval(ticker);
	}
	say(`n8n ${VERSION} installed in ${Math.round((Date.now() - started) / 1000)} s.`);
	return ensureN8n(VERSION);
}

function printTable(rows) {
	const columns = ['report', 'operation', 'description', 'items', 'date'];
	const cell = (row, column) => String(row[column] ?? '');
	const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => cell(r, c).length)));
	const line = (values) =>
		values.map((v, i) => (i === 3 ? v.padStart(widths[i]) : v.padEnd(widths[i]))).join('  ');
	say(line(columns));
	say(widths.map((w) => '-'.repeat(w)).join('  '));
	for (const row of rows) say(line(columns.map((c) => cell(row, c))));
}

async function main() {
	const real = process.env.WOLKVOX_SERVER && process.env.WOLKVOX_TOKEN;
	const started = Date.now();

	say('Building and packing n8n-nodes-wolkvox...');
	const packDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wolkvox-demo-pack-'));
	const tarball = packPackage(packDir);

	const install = await installN8nWithProgress();

	let simulator;
	let data;
	if (real) {
		say(`Using the real Wolkvox server ${process.env.WOLKVOX_SERVER}.`);
		data = { server: process.env.WOLKVOX_SERVER, token: process.env.WOLKVOX_TOKEN, baseUrl: '' };
	} else {
		simulator = new WolkvoxSimulator({ tokens: { 'demo-token-0032': { limit: 1000 } } });
		const url = await simulator.start();
		say(`Wolkvox simulator running on ${url} (realistic data for every billing report).`);
		data = { server: '0032', token: 'demo-token-0032', baseUrl: url };
	}
	const credential = {
		id: 'wolkvoxDemoCredential',
		name: real ? 'Wolkvox account' : 'Wolkvox simulator (demo)',
		type: 'wolkvoxApi',
		data,
	};

	const userFolder = path.join(CACHE, 'demo-user');
	fs.rmSync(userFolder, { recursive: true, force: true });
	fs.mkdirSync(userFolder, { recursive: true });
	const n8n = await new N8nInstance(install, { userFolder, logLevel: 'info' }).init();
	say(`Installing the package into a fresh n8n user folder (${userFolder})...`);
	n8n.installPackage(tarball);
	fs.rmSync(packDir, { recursive: true, force: true });
	await n8n.importCredentials([credential]);

	const examples = fs
		.readdirSync(path.join(__dirname, '..', 'examples'))
		.filter((file) => file.endsWith('.json'))
		.map((file, i) => ({
			...useCredential(readExample(file), credential),
			id: `wolkvoxExample${i + 1}`,
		}));
	const daily = withManualTrigger(
		useCredential(readExample('daily-report-csv.json'), credential),
		'wolkvoxDemoDaily',
	);
	daily.name = 'Demo: the daily report with a Manual Trigger (what npm run demo runs)';
	await n8n.importWorkflows([daily, ...examples]);

	say(
		'Running the daily report example (Schedule Trigger -> Wolkvox Billing -> Convert to CSV) in n8n...',
	);
	const result = await n8n.execute('wolkvoxDemoDaily');
	const rows = result.run?.data?.resultData?.runData?.[
		'Wolkvox Billing'
	]?.[0]?.data?.main?.[0]?.map((i) => i.json);
	if (result.code !== 0 || !rows) {
		say(result.stdout);
		throw new Error('the demo workflow failed: see the n8n output above');
	}
	say('');
	printTable(rows);
	say('');
	say(
		`${rows.length} row(s) from a real n8n ${VERSION} run, in ${Math.round((Date.now() - started) / 1000)} s.`,
	);

	if (!ui) {
		await simulator?.stop();
		return;
	}

	say('');
	say('Starting the n8n editor...');
	await n8n.startWithOwner({ port: UI_PORT });
	say('');
	say(`  n8n editor: http://127.0.0.1:${UI_PORT}`);
	say(`  log in as:  ${OWNER.email} / ${OWNER.password}`);
	say(`  imported:   the "${credential.name}" credential and the workflows from examples/`);
	say('');
	say('Press Ctrl-C to stop n8n and the simulator.');
	await new Promise((resolve) => {
		process.once('SIGINT', resolve);
		process.once('SIGTERM', resolve);
	});
	say('Stopping...');
	await n8n.stop();
	await simulator?.stop();
	say('Stopped.');
}

main().then(
	() => process.exit(0),
	(error) => {
		console.error(`demo failed: ${error.message}`);
		process.exit(1);
	},
);
