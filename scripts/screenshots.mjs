#!/usr/bin/env node
// npm run screenshots: starts `npm run demo -- --ui` (a real n8n 2.8.4 with the package, the
// examples and a simulator credential) and photographs the editor with Playwright and Debian's
// Chromium (apt-get install chromium): the node's parameters, its output table, the credential
// dialog, the trigger, the node's fields before any run, and the node as an AI tool. Writes docs/screenshots/*.png for the README. Run it again after UI
// changes.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import browserSupport from '../test/support/browser.js';

const { launchChromium } = browserSupport;

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(root, 'docs', 'screenshots');
const editor = 'http://127.0.0.1:5678';
const owner = { email: 'demo@example.com', password: 'Wolkvox-demo-1' };

function startDemo() {
	const demo = spawn(process.execPath, [path.join(root, 'scripts', 'demo.js'), '--ui'], {
		cwd: root,
		stdio: ['ignore', 'pipe', 'inherit'],
	});
	return new Promise((resolve, reject) => {
		let log = '';
		demo.stdout.on('data', (chunk) => {
			log += chunk;
			process.stdout.write(chunk);
			if (log.includes('Press Ctrl-C')) resolve(demo);
		});
		demo.once('exit', (code) =>
			reject(new Error(`demo exited (${code}) before the editor was ready`)),
		);
	});
}

async function login() {
	const response = await fetch(`${editor}/rest/login`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ emailOrLdapLoginId: owner.email, password: owner.password }),
	});
	if (!response.ok) throw new Error(`login failed: HTTP ${response.status}`);
	const cookie = response.headers.get('set-cookie').split(';')[0];
	const [name, value] = cookie.split('=');
	const workflows = await (await fetch(`${editor}/rest/workflows`, { headers: { cookie } })).json();
	return { name, value, workflows: workflows.data };
}

async function main() {
	fs.mkdirSync(out, { recursive: true });
	const demo = await startDemo();
	const browser = await launchChromium();

	try {
		const session = await login();
		const idOf = (name) => session.workflows.find((w) => w.name === name)?.id;
		const context = await browser.newContext({
			viewport: { width: 1440, height: 900 },
			deviceScaleFactor: 1,
		});
		await context.addCookies([{ name: session.name, value: session.value, url: editor }]);
		const page = await context.newPage();
		const shot = async (name, target = page) => {
			await page.waitForTimeout(600);
			await target.screenshot({ path: path.join(out, `${name}.png`) });
			console.log(`wrote docs/screenshots/${name}.png`);
		};
		const openNode = async (nodeName) => {
			await page.locator(`[data-test-id="canvas-node"][data-node-name="${nodeName}"]`).dblclick();
			await page.locator('[data-test-id="ndv"]').first().waitFor();
		};

		// 1. The node's parameters, then its output table after running it.
		await page.goto(`${editor}/workflow/${idOf('Wolkvox: weekly CSV of all billing reports')}`);
		await page.locator('[data-test-id="canvas-node"]').first().waitFor();
		await shot('workflow-weekly-all-reports');
		await page.goto(`${editor}/workflow/${idOf('Wolkvox: daily Agent Script report as CSV')}`);
		await page.locator('[data-test-id="canvas-node"]').first().waitFor();
		await openNode('Wolkvox Billing');
		await shot('node-parameters');
		await page.locator('[data-test-id="node-execute-button"]').first().click();
		await page
			.locator('[data-test-id="ndv-output-panel"] table, [data-test-id="ndv-data-container"] table')
			.first()
			.waitFor({ timeout: 30_000 });
		await shot('node-output-table');

		// 2. The credential dialog.
		await page.keyboard.press('Escape');
		await page.goto(`${editor}/home/credentials`);
		await page.getByText('Wolkvox simulator (demo)').first().click();
		await page.locator('[data-test-id="editCredential-modal"]').first().waitFor();
		await shot('credential-dialog');
		await page.keyboard.press('Escape');

		// 3. The trigger's parameters.
		await page.goto(`${editor}/workflow/${idOf('Wolkvox: e-mail when IVR minutes pass 10,000')}`);
		await page.locator('[data-test-id="canvas-node"]').first().waitFor();
		await openNode('Wolkvox Billing Trigger');
		await shot('trigger-parameters');
		await page.keyboard.press('Escape');

		// 4. Before any run, the next node's input shows Wolkvox Billing's fields (its output schema):
		// in the weekly workflow, which has never run.
		await page.goto(`${editor}/workflow/${idOf('Wolkvox: weekly CSV of all billing reports')}`);
		await page.locator('[data-test-id="canvas-node"]').first().waitFor();
		await openNode('Convert to CSV');
		const schemaTab = page
			.locator('[data-test-id="ndv-input-panel"]')
			.getByText('Schema', { exact: true });
		if (await schemaTab.count()) await schemaTab.first().click();
		await page.getByText('report', { exact: true }).first().waitFor({ timeout: 15_000 });
		await shot('node-output-schema');
		await page.keyboard.press('Escape');

		// 5. The node as an AI tool, under an AI Agent.
		await page.goto(
			`${editor}/workflow/${idOf("Wolkvox: ask an AI agent about this month's usage")}`,
		);
		await page.locator('[data-test-id="canvas-node"]').first().waitFor();
		await shot('ai-agent-workflow');
		await openNode('Wolkvox Billing');
		await shot('ai-tool-parameters');
	} finally {
		await browser.close();
		demo.kill('SIGINT');
	}
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
