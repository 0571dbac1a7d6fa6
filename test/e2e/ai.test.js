'use strict';
/**
 * The node as an AI tool in a real n8n: behind n8n's MCP Server Trigger, reached by the official
 * MCP TypeScript SDK over loopback, and under an AI Agent whose OpenAI Chat Model talks to a
 * stand-in model (test/model-stub). Both workflows are the ones in examples/, with their
 * credentials pointed at the simulator and the stub.
 *
 * Run: npm run test:e2e. N8N_E2E_AI_VERSION picks the n8n version (default the newest 2.x).
 */
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { after, before, describe, test } = require('node:test');

const { Client } = require('@modelcontextprotocol/sdk/client/index.js');
const {
	StreamableHTTPClientTransport,
} = require('@modelcontextprotocol/sdk/client/streamableHttp.js');

const { N8nInstance, ensureN8n, packPackage, readExample, tearDown } = require('../support/n8n');
const { ModelStub } = require('../support/model-stub');
const { WolkvoxSimulator } = require('../support/simulator');

const VERSION = process.env.N8N_E2E_AI_VERSION || '2.41.1';
const TOKEN = 'AI-E2E-WOLKVOX-TOKEN-51c0d9e8';
const MCP_BEARER = 'ai-e2e-mcp-bearer-7d21';

/**
 * What the model is told about our tool, word for word: a change to the description or the
 * parameter is a visible diff here.
 */
const TOOL_AS_THE_MODEL_SEES_IT = {
	type: 'function',
	function: {
		name: 'Wolkvox_Billing',
		description:
			'Wolkvox contact-center billing for the current month (Wolkvox’s month, Colombia time). Give one or more report names, comma-separated; for each, returns its rows: each product ("description") with its amount ("items"). Licenses and connectors held: agent_script, amazon_s3 (S3 storage), chat_licenses, contact_center_licenses, gamification, intelligent_dial, interaction_licenses, pbx_licenses, rsync (rsync storage), video_call, wp_connectors, wp_connectors_official. Usage this month: amd_ai (answering-machine detections), asr_calls (speech recognition), interactions (omnichannel), ivr_calls, ivr_minutes, nlp_ai, rec_minutes (IVR recordings), rec_screen, rec_screen_on_demand, rsync_s3_mp3 (audio copied to S3), sentiment_analysis, speech_analytics, stereo_rec, tts_chars (text-to-speech), vision (AI image reading). token_usage: the token’s daily call limit and the calls left today. Each name uses one call of the token’s daily quota: ask only for what you need.',
		parameters: {
			type: 'object',
			properties: {
				reports: {
					type: 'string',
					description:
						'One or more names, comma-separated: agent_script, amazon_s3, amd_ai, asr_calls, chat_licenses, contact_center_licenses, gamification, intelligent_dial, interaction_licenses, interactions, ivr_calls, ivr_minutes, nlp_ai, pbx_licenses, rec_minutes, rec_screen, rec_screen_on_demand, rsync, rsync_s3_mp3, sentiment_analysis, speech_analytics, stereo_rec, tts_chars, video_call, vision, wp_connectors, wp_connectors_official, token_usage',
				},
			},
			required: ['reports'],
		},
		strict: false,
	},
};

describe(`the node as an AI tool in n8n ${VERSION}`, () => {
	let sim;
	let model;
	let n8n;
	let tmp;
	let mcp;

	before(async () => {
		const install = ensureN8n(VERSION);
		tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'wolkvox-ai-'));
		sim = new WolkvoxSimulator({ tokens: { [TOKEN]: {} } });
		const simUrl = await sim.start();
		model = new ModelStub({ toolArguments: { reports: 'agent_script' } });
		const modelUrl = await model.start();
		n8n = await new N8nInstance(install, { logLevel: 'debug', logFormat: 'json' }).init();
		n8n.installPackage(packPackage(tmp));
		await n8n.importCredentials([
			{
				id: 'wolkvoxCredential',
				name: 'Wolkvox account',
				type: 'wolkvoxApi',
				data: { server: '0032', token: TOKEN, baseUrl: simUrl },
			},
			{
				id: 'openAiCredential',
				name: 'OpenAI account',
				type: 'openAiApi',
				data: { apiKey: 'sk-stub-key', url: modelUrl },
			},
			{
				id: 'mcpBearerCredential',
				name: 'MCP bearer token',
				type: 'httpBearerAuth',
				data: { token: MCP_BEARER },
			},
		]);
		// The examples as users import them: their credential names match the ones above.
		await n8n.importWorkflows([
			{ ...readExample('ai-mcp-server.json'), id: 'aiMcpServer', active: false },
			{ ...readExample('ai-agent.json'), id: 'aiAgent', active: false },
		]);
		await n8n.activateWorkflow('aiMcpServer');
		await n8n.startWithOwner();
		mcp = new Client({ name: 'wolkvox-e2e', version: '1.0.0' });
		await mcp.connect(
			new StreamableHTTPClientTransport(new URL(`${n8n.baseUrl}/mcp/wolkvox-billing`), {
				requestInit: { headers: { Authorization: `Bearer ${MCP_BEARER}` } },
			}),
		);
	});

	after(async () => {
		await mcp?.close();
		const logs = await tearDown({ n8n, servers: [sim, model], tmp });
		assert.ok(!logs.includes(TOKEN), 'no n8n log line holds the token');
	});

	/** One MCP tool call; returns the text n8n sent back and whether it is an error. */
	async function callTool(args) {
		const result = await mcp.callTool({ name: 'Wolkvox_Billing', arguments: args });
		const text = result.content.map((part) => part.text ?? '').join('');
		assert.ok(!text.includes(TOKEN), 'no answer holds the token');
		return { text, isError: result.isError === true };
	}

	test('an MCP client lists our tool, with its description and its one parameter', async () => {
		const { tools } = await mcp.listTools();
		const ours = tools.find((tool) => tool.name === 'Wolkvox_Billing');
		assert.ok(ours, `tools: ${tools.map((tool) => tool.name).join(', ')}`);
		assert.equal(ours.description, TOOL_AS_THE_MODEL_SEES_IT.function.description);
		assert.deepEqual(Object.keys(ours.inputSchema.properties), ['reports']);
		assert.equal(
			ours.inputSchema.properties.reports.description,
			TOOL_AS_THE_MODEL_SEES_IT.function.parameters.properties.reports.description,
		);
		assert.deepEqual(ours.inputSchema.required, ['reports']);
		const told = ours.description.length + ours.inputSchema.properties.reports.description.length;
		console.log(`# n8n ${VERSION}: the model is told ${told} characters about the tool`);
	});

	test('an MCP client gets the rows of agent_script and of ivr_minutes', async () => {
		sim.clearRecords();
		const agentScript = await callTool({ reports: 'agent_script' });
		assert.equal(agentScript.isError, false, agentScript.text);
		assert.deepEqual(
			JSON.parse(agentScript.text).map(({ report, rows }) => ({ report, rows })),
			[{ report: 'agent_script', rows: [{ description: 'Agent Script', items: 42 }] }],
		);
		const ivr = await callTool({ reports: 'ivr_minutes' });
		assert.deepEqual(JSON.parse(ivr.text)[0].rows, [
			{ description: 'IVR minutes inbound', items: 8731 },
			{ description: 'IVR minutes outbound', items: 1204 },
		]);
		assert.deepEqual(
			sim.billingRequests().map((r) => r.query.api),
			['agent_script', 'ivr_minutes'],
		);
	});

	test('token_usage: how many calls the token has left today', async () => {
		sim.clearRecords();
		const usage = await callTool({ reports: 'token_usage' });
		assert.equal(usage.isError, false, usage.text);
		const [answer] = JSON.parse(usage.text);
		assert.equal(answer.report, 'token_usage');
		assert.equal(answer.dailyLimit, 1000);
		assert.equal(answer.callsLeftToday, 1000 - answer.usedToday);
		assert.deepEqual(
			sim.requests.map((r) => [r.path, r.query.api]),
			[['/api/v2/information.php', 'token_info']],
		);
	});

	test('several reports in one tool call: one answer each, one Wolkvox call each, one at a time', async () => {
		sim.clearRecords();
		sim.latencyMs = 20;
		const many = await callTool({ reports: 'nlp_ai, stereo_rec, interactions, token_usage' });
		sim.latencyMs = 0;
		assert.equal(many.isError, false, many.text);
		const [{ answers }] = JSON.parse(many.text);
		assert.deepEqual(
			answers.map((answer) => answer.report),
			['nlp_ai', 'stereo_rec', 'interactions', 'token_usage'],
		);
		assert.deepEqual(answers[0].rows, [{ description: 'NLP requests', items: 9312 }]);
		assert.deepEqual(
			sim.requests.map((r) => r.query.api),
			['nlp_ai', 'stereo_rec', 'interactions', 'token_info'],
		);
		assert.equal(sim.maxInFlight.get(TOKEN), 1);
	});

	test('an unknown report gives the client an error text it can act on', async () => {
		const unknown = await callTool({ reports: 'ivr_minutos' });
		console.log(`# n8n ${VERSION}: an MCP client asking for "ivr_minutos" reads: ${unknown.text}`);
		assert.equal(unknown.isError, true);
		assert.match(unknown.text, /Wolkvox does not know the report “ivr_minutos”/);
		assert.match(unknown.text, /Use one of these report names: agent_script, /);
		assert.doesNotMatch(unknown.text, /\n\s+at /, 'no stack trace');
	});

	test('an AI Agent asks the model, which calls our tool, and answers with the count', async () => {
		sim.clearRecords();
		// Run as the editor's "Execute workflow" does, in the n8n that is already started.
		const { status, data } = await n8n.runManually('aiAgent', 'When clicking ‘Execute workflow’', {
			wholeWorkflow: true,
		});
		assert.equal(status, 'success', JSON.stringify(data.resultData.error ?? {}).slice(0, 2000));
		const [answer] = data.resultData.runData['AI Agent'][0].data.main[0];
		assert.match(answer.json.output, /"items":42/);
		// What n8n told the model about our tool, and what it handed back from it.
		const [offered] = model.offeredTools();
		assert.deepEqual(
			{
				...offered,
				function: {
					...offered.function,
					parameters: {
						type: offered.function.parameters.type,
						properties: offered.function.parameters.properties,
						required: offered.function.parameters.required,
					},
				},
			},
			TOOL_AS_THE_MODEL_SEES_IT,
		);
		const [toolResult] = model.toolResults();
		console.log(`# n8n ${VERSION}: the model reads ${toolResult.length} characters from the tool`);
		assert.match(toolResult, /"report":"agent_script"/);
		assert.deepEqual(
			sim.billingRequests().map((r) => r.query.api),
			['agent_script'],
		);
		assert.ok(
			!JSON.stringify(model.requests).includes(TOKEN),
			'nothing the model received holds the token',
		);
	});
});
