#!/usr/bin/env node
'use strict';
/**
 * npm run bench: the node against the JSON floor and against HTTP Request + Split Out, at
 * 1,000, 10,000 and Wolkvox's 60,000-row ceiling. Every figure that matters is a ratio to a
 * baseline measured in the same run (machines here are shared and noisy); nothing asserts time.
 * Prints a table and writes bench/results.md.
 *
 *   BENCH_PEER_RUNS=5   runs of each branch order in the real n8n (default 4)
 *   BENCH_SKIP_PEER=1   skip the real-n8n comparison
 */
const { execFileSync, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { WolkvoxSimulator } = require('../test/simulator');
const { generateRows } = require('../test/simulator/data');
const { N8nInstance, ensureN8n, packPackage, ROOT } = require('../scripts/lib/n8n');

const N8N_VERSION = '2.8.4';
const SIZES = [1_000, 10_000, 60_000];
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const fmt = (n, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');
const log = (text) => process.stderr.write(`${text}\n`);

function runJest(env) {
	const out = path.join(os.tmpdir(), `wolkvox-bench-${process.pid}-${Date.now()}.json`);
	const result = spawnSync(
		process.execPath,
		[
			'--expose-gc',
			require.resolve('jest/bin/jest'),
			'--config',
			'bench/jest.config.js',
			'bench/engine.bench.ts',
			'--silent',
		],
		{ cwd: ROOT, env: { ...process.env, ...env, BENCH_OUT: out }, encoding: 'utf8' },
	);
	if (result.status !== 0)
		throw new Error(`bench/engine.bench.ts failed:\n${result.stdout}${result.stderr}`);
	const data = JSON.parse(fs.readFileSync(out, 'utf8'));
	fs.rmSync(out);
	return data;
}

/** 1. and 5.: floor vs node in n8n's engine, and time per row, in one jest process. */
function engineFigures() {
	log('engine: floor vs node at 1k, 10k, 60k rows...');
	return runJest({});
}

/** 3.: peak RSS growth while the node (and the floor) handle 60,000 rows, each in a fresh process. */
function memoryFigures() {
	log('memory: peak RSS growth at 60k rows (fresh processes)...');
	const of = (which) => {
		const runs = [];
		for (let i = 0; i < 5; i++) {
			runs.push(runJest({ BENCH_MEMORY: '60000', BENCH_MEMORY_OF: which }));
		}
		const growths = runs.map((r) => r.peakGrowth).sort((a, b) => a - b);
		return { ...runs[0], peakGrowth: median(growths), min: growths[0], max: growths.at(-1) };
	};
	return { node: of('node'), floor: of('floor') };
}

/** 4.: tarball size, and cold require time of our modules vs n8n-workflow alone. */
function footprintFigures() {
	log('footprint: npm pack size, cold require times...');
	const [pack] = JSON.parse(
		execFileSync('npm', ['pack', '--dry-run', '--json', '--silent'], {
			cwd: ROOT,
			encoding: 'utf8',
		}),
	);
	const requireTime = (modules) => {
		const code = `const t=process.hrtime.bigint();${modules.map((m) => `require(${JSON.stringify(m)});`).join('')}process.stdout.write(String(Number(process.hrtime.bigint()-t)/1e6));`;
		const times = [];
		for (let i = 0; i < 15; i++) {
			times.push(
				Number(execFileSync(process.execPath, ['-e', code], { cwd: ROOT, encoding: 'utf8' })),
			);
		}
		return median(times);
	};
	const workflow = requireTime(['n8n-workflow']);
	const ours = requireTime([
		'./dist/nodes/WolkvoxBilling/WolkvoxBilling.node.js',
		'./dist/nodes/WolkvoxBillingTrigger/WolkvoxBillingTrigger.node.js',
		'./dist/credentials/WolkvoxApi.credentials.js',
	]);
	return {
		tarballBytes: pack.size,
		unpackedBytes: pack.unpackedSize,
		files: pack.entryCount,
		requireWorkflowMs: workflow,
		requireOursMs: ours,
	};
}

/** 2.: in a real n8n, one workflow, two branches from one trigger: ours vs HTTP Request + Split Out. */
async function peerFigures() {
	const runsPerOrder = Number(process.env.BENCH_PEER_RUNS ?? 4);
	log(`peer: real n8n ${N8N_VERSION}, ${runsPerOrder} runs per branch order at 60k rows...`);
	const install = ensureN8n(N8N_VERSION);
	const packDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wolkvox-bench-pack-'));
	const tarball = packPackage(packDir);
	const token = 'bench-token-0032';
	const sim = new WolkvoxSimulator({ tokens: { [token]: { limit: 1_000_000 } } });
	const url = await sim.start();
	sim.setRawReport(
		'agent_script',
		Buffer.from(
			JSON.stringify({
				code: 200,
				error: null,
				msg: 'Information found for the current month',
				data: generateRows(60_000),
			}),
		),
	);
	const n8n = await new N8nInstance(install, { logLevel: 'info', logFormat: 'json' }).init();
	try {
		n8n.installPackage(tarball);
		await n8n.importCredentials([
			{
				id: 'benchWolkvox',
				name: 'Wolkvox bench',
				type: 'wolkvoxApi',
				data: { server: '0032', token, baseUrl: url },
			},
			{
				id: 'benchHeader',
				name: 'Wolkvox header auth',
				type: 'httpHeaderAuth',
				data: { name: 'wolkvox-token', value: token },
			},
		]);
		await n8n.importWorkflows([
			peerWorkflow('benchOursFirst', url, true),
			peerWorkflow('benchPeerFirst', url, false),
		]);
		// Through a started n8n's REST API, as the editor runs a workflow: `n8n execute
		// --rawOutput` would print 2 × 60,000 rows, more than its output survives.
		await n8n.startWithOwner();
		const runs = [];
		for (let i = 0; i < runsPerOrder * 2; i++) {
			const id = i % 2 === 0 ? 'benchOursFirst' : 'benchPeerFirst';
			const result = await n8n.runManually(id, 'Start', { wholeWorkflow: true });
			const runData = result.data?.resultData?.runData;
			if (result.status !== 'success' || !runData) {
				throw new Error(`peer run ${id} failed: ${result.status}`);
			}
			const time = (name) => runData[name][0].executionTime;
			const items = (name) => runData[name][0].data.main[0].length;
			if (items('Wolkvox Billing') !== 60_000 || items('Split Out') !== 60_000)
				throw new Error('peer run lost rows');
			runs.push({
				order: id,
				ours: time('Wolkvox Billing'),
				http: time('HTTP Request'),
				split: time('Split Out'),
			});
		}
		return {
			runs,
			oursMs: median(runs.map((r) => r.ours)),
			httpMs: median(runs.map((r) => r.http)),
			splitMs: median(runs.map((r) => r.split)),
			ratio: median(runs.map((r) => r.ours / (r.http + r.split))),
		};
	} finally {
		await n8n.stop();
		await sim.stop();
		n8n.cleanup();
		fs.rmSync(packDir, { recursive: true, force: true });
	}
}

function peerWorkflow(id, url, oursFirst) {
	// n8n's v1 order runs branches top to bottom: swapping positions swaps which runs first.
	const [oursY, peerY] = oursFirst ? [0, 300] : [300, 0];
	return {
		id,
		name: `Bench: Wolkvox Billing vs HTTP Request + Split Out (${oursFirst ? 'ours first' : 'peer first'})`,
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: [
			{
				id: 'p0',
				name: 'Start',
				type: 'n8n-nodes-base.manualTrigger',
				typeVersion: 1,
				position: [0, 150],
				parameters: {},
			},
			{
				id: 'p1',
				name: 'Wolkvox Billing',
				type: 'n8n-nodes-wolkvox.wolkvoxBilling',
				typeVersion: 1,
				position: [250, oursY],
				parameters: { report: 'agent_script', options: {} },
				credentials: { wolkvoxApi: { id: 'benchWolkvox', name: 'Wolkvox bench' } },
			},
			{
				id: 'p2',
				name: 'HTTP Request',
				type: 'n8n-nodes-base.httpRequest',
				typeVersion: 4.2,
				position: [250, peerY],
				parameters: {
					url: `${url}/api/v2/billing.php?api=agent_script`,
					authentication: 'genericCredentialType',
					genericAuthType: 'httpHeaderAuth',
					options: {},
				},
				credentials: { httpHeaderAuth: { id: 'benchHeader', name: 'Wolkvox header auth' } },
			},
			{
				id: 'p3',
				name: 'Split Out',
				type: 'n8n-nodes-base.splitOut',
				typeVersion: 1,
				position: [500, peerY],
				parameters: { fieldToSplitOut: 'data', options: {} },
			},
		],
		connections: {
			Start: {
				main: [
					[
						{ node: 'Wolkvox Billing', type: 'main', index: 0 },
						{ node: 'HTTP Request', type: 'main', index: 0 },
					],
				],
			},
			'HTTP Request': { main: [[{ node: 'Split Out', type: 'main', index: 0 }]] },
		},
	};
}

function report({ engine, memory, footprint, peer }) {
	const rows = [];
	const check = (ok) => (ok === undefined ? '' : ok ? 'met' : 'MISSED');
	const at = (n) => engine[n];
	const big = at(60_000);
	const nodeOverFloor = big.nodeMs / big.floorMs;
	rows.push([
		'node / floor at 60k rows (node’s own executionTime)',
		fmt(nodeOverFloor, 2),
		'≤ 1.5',
		check(nodeOverFloor <= 1.5),
	]);
	rows.push([
		'whole workflow run / floor at 60k rows',
		fmt(big.workflowMs / big.floorMs, 2),
		'(context)',
		'',
	]);
	if (peer)
		rows.push([
			'ours / (HTTP Request + Split Out) at 60k rows, real n8n',
			fmt(peer.ratio, 2),
			'≤ 0.5',
			check(peer.ratio <= 0.5),
		]);
	const perByte = memory.node.peakGrowth / memory.node.bodyBytes;
	rows.push([
		'peak RSS growth / body size at 60k rows (node)',
		fmt(perByte, 2),
		'≤ 3',
		check(perByte <= 3),
	]);
	rows.push([
		'peak RSS growth / body size at 60k rows (floor)',
		fmt(memory.floor.peakGrowth / memory.floor.bodyBytes, 2),
		'(context)',
		'',
	]);
	rows.push([
		'tarball size',
		`${fmt(footprint.tarballBytes / 1024)} KB`,
		'≤ 40 KB',
		check(footprint.tarballBytes <= 40 * 1024),
	]);
	const requireRatio = footprint.requireOursMs / footprint.requireWorkflowMs;
	rows.push([
		'cold require: our 3 modules / n8n-workflow alone',
		fmt(requireRatio, 2),
		'(report)',
		'',
	]);
	const perRow = (n) => at(n).nodeMs / n;
	const growth = perRow(60_000) / perRow(1_000);
	rows.push(['time per row: 60k / 1k', fmt(growth, 2), '≤ 1.3', check(growth <= 1.3)]);

	const details = [];
	details.push(
		'| rows | body | floor (fetch + parse + items) | node executionTime | node / floor | whole run | per row (node) |',
	);
	details.push('|---:|---:|---:|---:|---:|---:|---:|');
	for (const n of SIZES) {
		const e = at(n);
		details.push(
			`| ${n.toLocaleString('en-US')} | ${fmt(e.bodyBytes / 1e6, 2)} MB | ${fmt(e.floorMs)} ms | ${fmt(e.nodeMs)} ms | ${fmt(e.nodeMs / e.floorMs, 2)} | ${fmt(e.workflowMs)} ms | ${fmt((e.nodeMs / n) * 1000, 2)} µs |`,
		);
	}
	const lines = [];
	lines.push('| figure | measured | target | |', '|---|---:|---:|---|');
	for (const r of rows) lines.push(`| ${r.join(' | ')} |`);
	lines.push('', '**In-process (n8n-core WorkflowExecute, medians with warm-up)**', '', ...details);
	lines.push(
		'',
		`**Memory at 60k rows** (median of 5 fresh processes, range in brackets: garbage-collection timing makes it vary): node peak growth ${fmt(memory.node.peakGrowth / 1e6)} MB [${fmt(memory.node.min / 1e6)}–${fmt(memory.node.max / 1e6)}], floor ${fmt(memory.floor.peakGrowth / 1e6)} MB [${fmt(memory.floor.min / 1e6)}–${fmt(memory.floor.max / 1e6)}], body ${fmt(memory.node.bodyBytes / 1e6, 2)} MB.`,
	);
	lines.push(
		'',
		`**Footprint**: tarball ${footprint.tarballBytes} bytes (${footprint.files} files, ${footprint.unpackedBytes} unpacked); cold require ${fmt(footprint.requireOursMs)} ms for our modules (n8n-workflow included) vs ${fmt(footprint.requireWorkflowMs)} ms for n8n-workflow alone (medians of 15 fresh processes).`,
	);
	if (peer) {
		lines.push(
			'',
			`**Real n8n ${N8N_VERSION}, 60k rows** (medians of ${peer.runs.length} runs, branch order alternated): Wolkvox Billing ${fmt(peer.oursMs)} ms; HTTP Request ${fmt(peer.httpMs)} ms + Split Out ${fmt(peer.splitMs)} ms.`,
		);
	}
	return lines.join('\n');
}

async function main() {
	execFileSync('npm', ['run', 'build', '--silent'], {
		cwd: ROOT,
		stdio: ['ignore', 'ignore', 'inherit'],
	});
	const engine = engineFigures();
	const memory = memoryFigures();
	const footprint = footprintFigures();
	const peer = process.env.BENCH_SKIP_PEER ? undefined : await peerFigures();
	const table = report({ engine, memory, footprint, peer });
	const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
	const header = [
		'# Benchmark results',
		'',
		`Measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC by \`npm run bench\` on ${os.cpus().length} × ${cpu}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, n8n-core ${require('n8n-core/package.json').version} / n8n-workflow ${require('n8n-workflow/package.json').version} in-process${peer ? `, n8n ${N8N_VERSION} for the peer comparison` : ''}.`,
		"Ratios compare figures measured in the same run; absolute times vary with the machine's load.",
		'',
		'',
	].join('\n');
	const markdown = `${header}${table}\n`;
	fs.writeFileSync(path.join(ROOT, 'bench', 'results.md'), markdown);
	console.log(markdown);
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
