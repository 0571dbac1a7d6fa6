'use strict';
/**
 * End-to-end: the packed package inside a real n8n, on the oldest and newest n8n we support
 * (N8N_E2E_VERSIONS picks; default both). Workflows from examples/ are imported and run with
 * `n8n execute`; the credential Test button and the trigger's Fetch Test Event go through the
 * REST API of a started n8n. Everything talks to the Wolkvox simulator over HTTP.
 *
 * Run: npm run test:e2e (node's built-in test runner).
 */
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { after, before, describe, test } = require('node:test');

const { WolkvoxSimulator } = require('../support/simulator');
const { waitUntil } = require('../support/wait');
const { billingNode, changeReportingWorkflow } = require('../support/workflows');
const {
	N8nInstance,
	outputOf,
	tearDown,
	ensureN8n,
	packPackage,
	readExample,
	useCredential,
	versions,
	withManualTrigger,
} = require('../support/n8n');

// Distinctive tokens: any of them in an output or a log line is a leak.
const TOKENS = {
	good: 'E2E-GOOD-TOKEN-6c1f93a7d2',
	rejected: 'E2E-REJECTED-TOKEN-0b8e44',
	quota: 'E2E-QUOTA-TOKEN-5d2a77c1',
	malformed: 'E2E-MALFORMED-TOKEN-93fe20',
};

const packDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wolkvox-pack-'));
let tarball;
before(() => {
	tarball = packPackage(packDir);
});
after(() => fs.rmSync(packDir, { recursive: true, force: true }));

function assertNoToken(text, where) {
	for (const token of Object.values(TOKENS)) {
		assert.ok(!text.includes(token), `a token appears in ${where}`);
	}
}

for (const version of versions()) {
	describe(`n8n ${version}`, () => {
		let sim;
		let n8n;
		let started;
		const credentials = {};

		before(async () => {
			started = Date.now();
			const install = ensureN8n(version);
			// Wolkvox's clock stands still for the whole suite: the trigger's month cannot change
			// between its activation and the restart, whatever minute the suite runs at.
			const wolkvoxNow = new Date();
			sim = new WolkvoxSimulator({
				now: () => wolkvoxNow,
				tokens: {
					[TOKENS.good]: { limit: 1000 },
					[TOKENS.quota]: { limit: 0 },
				},
			});
			const simUrl = await sim.start();
			// Debug logs (retries included) in JSON lines: all of it is searched for tokens.
			n8n = await new N8nInstance(install, { logLevel: 'debug', logFormat: 'json' }).init();
			n8n.installPackage(tarball);
			const credential = (id, name, data) => {
				credentials[id] = { id, name, type: 'wolkvoxApi', data };
				return credentials[id];
			};
			await n8n.importCredentials([
				credential('wolkvoxSimulator', 'Wolkvox simulator', {
					server: '0032',
					token: TOKENS.good,
					baseUrl: simUrl,
				}),
				credential('wolkvoxRejected', 'Wolkvox rejected token', {
					server: '0032',
					token: TOKENS.rejected,
					baseUrl: simUrl,
				}),
				credential('wolkvoxQuota', 'Wolkvox quota used up', {
					server: '0032',
					token: TOKENS.quota,
					baseUrl: simUrl,
				}),
				credential('wolkvoxMalformed', 'Wolkvox malformed server', {
					server: 'wv0032.wolkvox.co',
					token: TOKENS.malformed,
					baseUrl: '',
				}),
			]);
			const good = credentials.wolkvoxSimulator;
			const weekly = withManualTrigger(
				useCredential(readExample('weekly-all-reports-csv.json'), good),
				'e2eWeeklyTwin',
			);
			// Ask for two reports twice, so the run shows that identical queries are fetched once.
			const code = weekly.nodes.find((node) => node.type === 'n8n-nodes-base.code');
			code.parameters.jsCode = code.parameters.jsCode.replace(
				"'amd_ai',",
				"'amd_ai',\n  'agent_script',\n  'ivr_minutes',",
			);
			await n8n.importWorkflows([
				withManualTrigger(
					useCredential(readExample('daily-report-csv.json'), good),
					'e2eDailyTwin',
				),
				weekly,
				failuresWorkflow(simUrl),
				collectionWorkflow(good),
				{
					...useCredential(readExample('threshold-alert-email.json'), good),
					id: 'e2eThreshold',
					active: false,
				},
				// Every example as users import it.
				...fs.readdirSync(path.join(__dirname, '..', '..', 'examples')).map((file, i) => ({
					...useCredential(readExample(file), good),
					id: `e2eExample${i}`,
					active: false,
				})),
				changeReportingWorkflow({
					id: 'e2eTrigRestart',
					name: 'E2E: an active trigger across a restart',
					credential: good,
					simUrl,
				}),
				// The error-routing example, as a Manual Trigger twin, once per failing token.
				withManualTrigger(
					useCredential(readExample('route-errors-by-kind.json'), credentials.wolkvoxRejected),
					'e2eRouteRejected',
				),
				withManualTrigger(
					useCredential(readExample('route-errors-by-kind.json'), credentials.wolkvoxQuota),
					'e2eRouteQuota',
				),
				withManualTrigger(
					useCredential(readExample('route-errors-by-kind.json'), good),
					'e2eRouteRows',
				),
			]);
			// Active, so that `n8n start` activates it (the REST suite below starts n8n). Its id has
			// at most 16 characters: n8n 1.x does not store static data for longer ids.
			const how = await n8n.activateWorkflow('e2eTrigRestart');
			console.log(`# n8n ${version}: the trigger workflow is made active with \`n8n ${how}\``);
		});

		after(async () => {
			const logs = await tearDown({ n8n, servers: [sim] });
			console.log(`# n8n ${version}: e2e took ${Math.round((Date.now() - started) / 1000)} s`);
			assertNoToken(logs, `the n8n ${version} logs`);
		});

		test('the package loads: Manual Trigger twin of the daily report returns the Agent Script rows and their CSV', async () => {
			sim.clearRecords();
			const result = await n8n.execute('e2eDailyTwin');
			assert.equal(result.code, 0, result.stdout);
			const rows = outputOf(result.run, 'Wolkvox Billing');
			assert.deepEqual(
				rows.map((item) => item.json),
				[
					{
						report: 'agent_script',
						operation: 'Andina Contact Center',
						description: 'Agent Script',
						items: 42,
						date: rows[0].json.date,
					},
				],
			);
			assert.match(rows[0].json.date, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
			const [file] = outputOf(result.run, 'Convert to CSV');
			const binary = file.binary.data;
			assert.match(binary.fileName, /^wolkvox-agent-script-\d{4}-\d\d-\d\d\.csv$/);
			const csv = Buffer.from(binary.data, 'base64').toString('utf8').trim().split('\n');
			assert.deepEqual(csv, [
				'operation,description,items,date,report',
				`Andina Contact Center,Agent Script,42,${rows[0].json.date},agent_script`,
			]);
			assert.deepEqual(
				sim.billingRequests().map((r) => [r.query.api, r.token]),
				[['agent_script', TOKENS.good]],
			);
		});

		test('a list of reports from a Code node: one call per distinct report, never two at once, each row paired', async () => {
			sim.clearRecords();
			sim.latencyMs = 20;
			const result = await n8n.execute('e2eWeeklyTwin');
			sim.latencyMs = 0;
			assert.equal(result.code, 0, result.stdout);
			const asked = outputOf(result.run, 'Reports to fetch').map((item) => item.json.report);
			// All 27 reports, two of them asked twice.
			assert.equal(asked.length, 29);
			const distinct = [...new Set(asked)];
			assert.deepEqual(
				sim.billingRequests().map((r) => r.query.api),
				distinct,
			);
			assert.equal(sim.maxInFlight.get(TOKENS.good), 1);
			const rows = outputOf(result.run, 'Wolkvox Billing');
			for (const row of rows) assert.equal(row.json.report, asked[row.pairedItem.item]);
			// Every asking item got its rows, duplicates included.
			const pairedTo = new Set(rows.map((row) => row.pairedItem.item));
			assert.deepEqual(
				[...pairedTo].sort((a, b) => a - b),
				asked.map((_, i) => i),
			);
			const [file] = outputOf(result.run, 'Convert to CSV');
			const lines = Buffer.from(file.binary.data.data, 'base64')
				.toString('utf8')
				.trim()
				.split('\n');
			assert.equal(lines.length, rows.length + 1);
		});

		test('nlp_ai, stereo_rec, interactions and Get Token Usage: as Wolkvox answers, and as its collection’s examples', async () => {
			sim.clearRecords();
			const realistic = await n8n.execute('e2eCollection');
			assert.equal(realistic.code, 0, realistic.stdout);
			assert.deepEqual(
				outputOf(realistic.run, 'Wolkvox Billing').map(({ json }) => [
					json.report,
					json.description,
					json.items,
				]),
				[
					['nlp_ai', 'NLP requests', 9312],
					['stereo_rec', 'Stereo recording minutes', 9080],
					['interactions', 'Mail interactions', 2210],
					['interactions', 'Facebook interactions', 418],
					['interactions', 'Twitter interactions', 36],
				],
			);
			const [usage] = outputOf(realistic.run, 'Token usage');
			assert.equal(usage.json.token_limit, 1000);
			assert.equal(typeof usage.json.token_use_today, 'number');
			assert.equal(usage.json.calls_left_today, 1000 - usage.json.token_use_today);
			assert.equal(sim.maxInFlight.get(TOKENS.good), 1);

			// The same, with the example answers of Wolkvox's collection: placeholders stay text.
			sim.useCollectionExamples();
			const examples = await n8n.execute('e2eCollection');
			sim.reset();
			assert.equal(examples.code, 0, examples.stdout);
			assert.deepEqual(
				outputOf(examples.run, 'Wolkvox Billing').map(({ json }) => [json.report, json.items]),
				[
					['nlp_ai', ' '],
					['stereo_rec', ' '],
					['interactions', ''],
				],
			);
			const [placeholder] = outputOf(examples.run, 'Token usage');
			assert.deepEqual(
				[placeholder.json.token_limit, placeholder.json.calls_left_today],
				[' ', null],
			);
			assertNoToken(realistic.stdout + examples.stdout, 'the output of the collection runs');
		});

		test('each failure class, with On Error: Continue, gives a clear error item and no token anywhere', async () => {
			sim.clearRecords();
			sim.fail('html502', { api: 'rec_screen', times: Infinity });
			// HTTP Request with our credential, to our server, answered by a redirect elsewhere.
			sim.fail('redirect', {
				api: 'redirect_me',
				times: Infinity,
				status: 307,
				location: `${sim.url.replace('127.0.0.1', 'localhost')}/collect?via=redirect`,
			});
			const result = await n8n.execute('e2eFailures');
			assert.equal(result.code, 0, result.stdout);
			// The fields a workflow branches on, with the message.
			const errorOf = (name) =>
				outputOf(result.run, name).map(({ json }) => ({
					error: json.error,
					kind: json.kind,
					retryable: json.retryable,
					httpCode: json.httpCode,
				}));
			assert.deepEqual(errorOf('Rejected token'), [
				{
					error: 'Wolkvox rejected the token',
					kind: 'rejectedToken',
					retryable: false,
					httpCode: 403,
				},
			]);
			assert.deepEqual(errorOf('Quota used up'), [
				{
					error: 'The Wolkvox token’s daily quota is used up',
					kind: 'quotaExceeded',
					retryable: true,
					httpCode: 403,
				},
			]);
			assert.deepEqual(errorOf('HTML 502'), [
				{
					error: 'Wolkvox answered with a web page instead of data (HTTP 502) (after 2 attempts)',
					kind: 'htmlBody',
					retryable: true,
					httpCode: 502,
				},
			]);
			assert.deepEqual(errorOf('Unknown report'), [
				{
					error: 'Wolkvox does not know the report “no_such_report”',
					kind: 'unknownReport',
					retryable: false,
					httpCode: 400,
				},
			]);
			assert.deepEqual(errorOf('Malformed server'), [
				{
					error:
						'The Server field of the Wolkvox credential is not a Wolkvox server number: "wv0032.wolkvox.co"',
					kind: 'badServer',
					retryable: false,
					httpCode: undefined,
				},
			]);
			for (const name of ['Rejected token', 'Quota used up', 'Malformed server']) {
				assert.match(outputOf(result.run, name)[0].json.description, /\w+/, `${name}: what to do`);
			}
			assert.deepEqual(sim.billingRequests('rec_screen').length, 2);
			const [elsewhere] = errorOf('HTTP Request elsewhere');
			assert.match(
				JSON.stringify(elsewhere),
				/only sends its token to its own server/,
				'HTTP Request with the Wolkvox credential to another host is refused',
			);
			assert.deepEqual(
				sim.requests.filter((r) => r.path === '/collect'),
				[],
				'nothing reached the other host, directly or through a redirect',
			);
			assert.equal(sim.billingRequests('redirect_me').length, 1, 'the redirect was not followed');
			assert.match(result.stdout, /try 1 of 2 failed \(htmlBody, HTTP 502\); retrying in \d+ ms/);
			assertNoToken(result.stdout + result.stderr, 'the output or logs of the failures run');
			sim.reset();
		});

		test('the error-routing example sends each failure down the branch of its kind', async () => {
			for (const [id, branch, kind] of [
				['e2eRouteRejected', 'Token rejected: alert an admin', 'rejectedToken'],
				['e2eRouteQuota', 'Quota used up: try again tomorrow', 'quotaExceeded'],
			]) {
				const result = await n8n.execute(id);
				assert.equal(result.code, 0, result.stdout);
				const routed = outputOf(result.run, branch).map((item) => item.json);
				assert.deepEqual(
					routed.map((json) => [json.kind, json.retryable]),
					[[kind, kind === 'quotaExceeded']],
				);
				assert.match(routed[0].description, /\w+/);
				assert.equal(result.run.data.resultData.runData['Rows: use them here'], undefined);
			}
			const rows = await n8n.execute('e2eRouteRows');
			assert.equal(rows.code, 0, rows.stdout);
			assert.deepEqual(
				outputOf(rows.run, 'Rows: use them here').map((item) => [
					item.json.report,
					item.json.items,
				]),
				[['agent_script', 42]],
			);
		});

		describe('a started n8n (REST API)', () => {
			before(async () => {
				sim.clearRecords();
				await n8n.startWithOwner();
				// Starting activates the published trigger workflow, whose first poll runs at once
				// (n8n 2.41 activates after the editor is up): let it finish before the tests.
				await waitUntil(
					'the activation poll',
					() => sim.billingRequests('agent_script').length > 0,
				);
			});

			test('the credential Test button: a good token passes, a rejected token reads as rejected', async () => {
				sim.clearRecords();
				const good = await n8n.testCredential(credentials.wolkvoxSimulator);
				assert.deepEqual(good, { status: 'OK', message: 'Connection successful!' });
				const rejected = await n8n.testCredential(credentials.wolkvoxRejected);
				console.log(
					`# n8n ${version}: the Test button says for a rejected token: ${rejected.message}`,
				);
				assert.equal(rejected.status, 'Error');
				assert.match(
					rejected.message,
					/Forbidden - perhaps check your credentials|refused the token/,
				);
				const malformed = await n8n.testCredential(credentials.wolkvoxMalformed);
				assert.equal(malformed.status, 'Error');
				assert.match(
					malformed.message,
					/^The Server field of the Wolkvox credential is not a Wolkvox server number/,
				);
				assert.deepEqual(
					sim.requests.map((r) => [r.path, r.query.api, r.status]),
					[
						['/api/v2/information.php', 'token_info', 200],
						['/api/v2/information.php', 'token_info', 403],
					],
				);
			});

			test('the credential Test button does not follow a redirect: the other origin receives nothing', async () => {
				for (const status of [301, 302, 303, 307, 308]) {
					sim.clearRecords();
					sim.fail('redirect', {
						api: 'token_info',
						status,
						location: `${sim.url.replace('127.0.0.1', 'localhost')}/collect?status=${status}`,
					});
					const result = await n8n.testCredential(credentials.wolkvoxSimulator);
					assert.equal(result.status, 'Error', `${status}: ${result.message}`);
					assert.deepEqual(
						sim.requests.map((r) => [r.path, r.status]),
						[['/api/v2/information.php', status]],
					);
				}
			});

			test('every example imports, and all its nodes exist in this n8n at their type version', async () => {
				const response = await fetch(`${n8n.baseUrl}/types/nodes.json`, {
					headers: { cookie: n8n.cookie },
				});
				const known = new Map();
				for (const type of await response.json()) {
					const versions = Array.isArray(type.version) ? type.version : [type.version];
					known.set(type.name, [...(known.get(type.name) ?? []), ...versions]);
				}
				assert.ok(known.has('n8n-nodes-wolkvox.wolkvoxBilling'), 'the action node is registered');
				assert.ok(
					known.has('n8n-nodes-wolkvox.wolkvoxBillingTrigger'),
					'the trigger is registered',
				);
				for (const file of fs.readdirSync(path.join(__dirname, '..', '..', 'examples'))) {
					for (const node of readExample(file).nodes) {
						assert.ok(
							known.get(node.type)?.includes(node.typeVersion),
							`${file}: ${node.type} v${node.typeVersion}`,
						);
					}
				}
			});

			test('the editor gets each operation’s output schema', async () => {
				for (const [operation, first] of [
					['getReport', 'operation'],
					['getTokenUsage', 'description'],
				]) {
					const response = await fetch(
						`${n8n.baseUrl}/schemas/n8n-nodes-wolkvox.wolkvoxBilling/1.0.0/${operation}.json`,
						{ headers: { cookie: n8n.cookie } },
					);
					console.log(
						`# n8n ${version}: GET /schemas/…wolkvoxBilling/1.0.0/${operation}.json → HTTP ${response.status}`,
					);
					assert.equal(response.status, 200);
					assert.equal(Object.keys((await response.json()).properties)[0], first);
				}
			});

			test('the editor gets the nodes’ output schemas before any run', async () => {
				for (const type of ['wolkvoxBilling', 'wolkvoxBillingTrigger']) {
					const response = await fetch(
						`${n8n.baseUrl}/schemas/n8n-nodes-wolkvox.${type}/1.0.0.json`,
						{ headers: { cookie: n8n.cookie } },
					);
					console.log(
						`# n8n ${version}: GET /schemas/…${type}/1.0.0.json → HTTP ${response.status}`,
					);
					assert.equal(response.status, 200);
					const schema = await response.json();
					assert.deepEqual(Object.keys(schema.properties).slice(0, 5), [
						'operation',
						'description',
						'items',
						'date',
						'report',
					]);
				}
			});

			test('the trigger loads, and Fetch Test Event returns the current rows', async () => {
				sim.clearRecords();
				const { status, data } = await n8n.runManually('e2eThreshold', 'Wolkvox Billing Trigger');
				assert.equal(status, 'success');
				const task = data.resultData.runData['Wolkvox Billing Trigger'][0];
				assert.deepEqual(
					task.data.main[0].map((item) => [
						item.json.report,
						item.json.description,
						item.json.items,
						item.json.crossed,
						item.json.threshold,
					]),
					[
						['ivr_minutes', 'IVR minutes inbound', 8731, null, 10000],
						['ivr_minutes', 'IVR minutes outbound', 1204, null, 10000],
					],
				);
				assert.deepEqual(
					sim.billingRequests().map((r) => r.query.api),
					['ivr_minutes'],
				);
			});
		});

		test('an active trigger: its baseline is stored at activation, and after a restart a change made meanwhile is emitted', async () => {
			// The REST suite's n8n activated the workflow, and with it ran the first poll: what did
			// n8n store in its database?
			const stored = await n8n.rest('GET', '/workflows/e2eTrigRestart');
			const state = stored.staticData['node:Wolkvox Billing Trigger'];
			assert.deepEqual(
				Object.values(state.rows).map((row) => row.items),
				[42],
			);
			assert.match(state.month, /^\d{4}-\d\d$/);
			await n8n.stop();

			sim.clearRecords();
			sim.setReport('agent_script', [{ ...sim.reports.agent_script.rows()[0], items: '45' }]);
			await n8n.start();
			const collected = () => sim.requests.filter((r) => r.path === '/collect');
			await waitUntil('the emitted change', () => collected().length > 0);
			await n8n.stop();
			assert.deepEqual(
				collected().map((r) => r.query),
				[{ change: 'changed', items: '45', previousItems: '42', difference: '3' }],
			);
			sim.reset();
		});
	});
}

/**
 * Manual Trigger -> a Code node asking for three reports whose answers differ in Wolkvox's
 * collection (code "200" as text, another msg) -> Wolkvox Billing; and -> Get Token Usage.
 */
function collectionWorkflow(credential) {
	return {
		id: 'e2eCollection',
		name: 'E2E: reports whose answers differ, and token usage',
		active: false,
		nodes: [
			{
				id: 'c0',
				name: 'Start',
				type: 'n8n-nodes-base.manualTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: {},
			},
			{
				id: 'c1',
				name: 'Reports',
				type: 'n8n-nodes-base.code',
				typeVersion: 2,
				position: [240, 0],
				parameters: {
					jsCode:
						"return ['nlp_ai', 'stereo_rec', 'interactions'].map((report) => ({ json: { report } }));",
				},
			},
			billingNode({
				id: 'c2',
				position: [480, 0],
				parameters: { report: '={{ $json.report }}' },
				credential,
			}),
			billingNode({
				id: 'c3',
				name: 'Token usage',
				position: [240, 200],
				parameters: { operation: 'getTokenUsage' },
				credential,
			}),
		],
		connections: {
			Start: {
				main: [
					[
						{ node: 'Reports', type: 'main', index: 0 },
						{ node: 'Token usage', type: 'main', index: 0 },
					],
				],
			},
			Reports: { main: [[{ node: 'Wolkvox Billing', type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
	};
}

/** Manual Trigger -> one Wolkvox Billing node per failure class, each set to On Error: Continue. */
function failuresWorkflow(simUrl) {
	const cases = [
		['Rejected token', 'wolkvoxRejected', { report: 'agent_script' }],
		['Quota used up', 'wolkvoxQuota', { report: 'agent_script' }],
		['HTML 502', 'wolkvoxSimulator', { report: 'rec_screen', options: { retries: 1 } }],
		['Unknown report', 'wolkvoxSimulator', { report: 'custom', customReport: 'no_such_report' }],
		['Malformed server', 'wolkvoxMalformed', { report: 'agent_script' }],
	];
	const names = {
		wolkvoxRejected: 'Wolkvox rejected token',
		wolkvoxQuota: 'Wolkvox quota used up',
		wolkvoxSimulator: 'Wolkvox simulator',
		wolkvoxMalformed: 'Wolkvox malformed server',
	};
	const nodes = [
		{
			id: 'f0',
			name: 'Start',
			type: 'n8n-nodes-base.manualTrigger',
			typeVersion: 1,
			position: [0, 0],
			parameters: {},
		},
		...cases.map(([name, credential, parameters], i) => ({
			...billingNode({
				id: `f${i + 1}`,
				name,
				position: [260, i * 140],
				parameters,
				credential: { id: credential, name: names[credential] },
			}),
			onError: 'continueRegularOutput',
		})),
		// n8n's HTTP Request node with this credential, to our server, which redirects elsewhere:
		// the credential tells it not to follow.
		{
			id: 'f10',
			name: 'HTTP Request redirected',
			type: 'n8n-nodes-base.httpRequest',
			typeVersion: 4.2,
			position: [260, (cases.length + 1) * 140],
			parameters: {
				url: `${simUrl}/api/v2/billing.php?api=redirect_me`,
				authentication: 'predefinedCredentialType',
				nodeCredentialType: 'wolkvoxApi',
				options: {},
			},
			onError: 'continueRegularOutput',
			credentials: { wolkvoxApi: { id: 'wolkvoxSimulator', name: names.wolkvoxSimulator } },
		},
		// n8n's HTTP Request node with this credential, sent to another host: the credential must
		// refuse to attach the token (localhost is another origin than the 127.0.0.1 base URL).
		{
			id: 'f9',
			name: 'HTTP Request elsewhere',
			type: 'n8n-nodes-base.httpRequest',
			typeVersion: 4.2,
			position: [260, cases.length * 140],
			parameters: {
				url: `${simUrl.replace('127.0.0.1', 'localhost')}/collect`,
				authentication: 'predefinedCredentialType',
				nodeCredentialType: 'wolkvoxApi',
				options: {},
			},
			onError: 'continueRegularOutput',
			credentials: { wolkvoxApi: { id: 'wolkvoxSimulator', name: names.wolkvoxSimulator } },
		},
	];
	return {
		id: 'e2eFailures',
		name: 'E2E: every failure class with On Error: Continue',
		active: false,
		nodes,
		connections: {
			Start: {
				main: [
					[...cases.map(([name]) => name), 'HTTP Request elsewhere', 'HTTP Request redirected'].map(
						(name) => ({
							node: name,
							type: 'main',
							index: 0,
						}),
					),
				],
			},
		},
		settings: { executionOrder: 'v1' },
	};
}
