'use strict';
/**
 * The editor, as a user drives it: Playwright and Debian's Chromium in front of a real n8n with
 * the packed package. Create the Wolkvox API credential in its dialog (its Test says it works),
 * add Wolkvox Billing after a Manual Trigger from the node panel, pick one of the 27 reports,
 * execute the step and read its rows in the output table; then Get Token Usage the same way.
 *
 * Needs Chromium at /usr/bin/chromium (`apt-get install chromium`; .ci/run installs it) or
 * CHROMIUM_PATH. N8N_E2E_EDITOR_VERSIONS picks the n8n versions, separated by commas or spaces (default the newest, 2.41.1; CI's editor job runs 2.8.4 too).
 */
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { after, before, describe, test } = require('node:test');

const { N8nInstance, OWNER, ensureN8n, packPackage, tearDown } = require('../support/n8n');
const { launchChromium } = require('../support/browser');
const { WolkvoxSimulator } = require('../support/simulator');

const TOKEN = 'EDITOR-E2E-TOKEN-7f3a9c1d';
const VERSIONS = (process.env.N8N_E2E_EDITOR_VERSIONS || '2.41.1').split(/[\s,]+/).filter(Boolean);

for (const version of VERSIONS) {
	describe(`the editor of n8n ${version}, in Chromium`, () => {
		let sim;
		let simUrl;
		let n8n;
		let browser;
		let page;
		let tmp;

		before(async () => {
			tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'wolkvox-editor-'));
			sim = new WolkvoxSimulator({ tokens: { [TOKEN]: { limit: 1000 } } });
			simUrl = await sim.start();
			n8n = await new N8nInstance(ensureN8n(version)).init();
			n8n.installPackage(packPackage(tmp));
			await n8n.startWithOwner();
			browser = await launchChromium();
			const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
			context.setDefaultTimeout(30_000);
			page = await context.newPage();
			await page.goto(`${n8n.baseUrl}/signin`);
			await page.locator('input[type=email]').first().fill(OWNER.email);
			await page.locator('input[type=password]').first().fill(OWNER.password);
			await page.keyboard.press('Enter');
			await page.waitForURL(/\/(home|workflow)/);
		});

		after(async () => {
			await browser?.close();
			const logs = await tearDown({ n8n, servers: [sim], tmp });
			assert.ok(!logs.includes(TOKEN), 'no n8n log line holds the token');
		});

		/** Picks an option of a parameter's dropdown in the open node. */
		async function choose(parameter, option) {
			await page.locator(`[data-test-id="parameter-input-${parameter}"]`).click();
			const item = page
				.locator('.el-select-dropdown__item:visible')
				.filter({ hasText: option })
				.first();
			await item.scrollIntoViewIfNeeded();
			await item.click();
		}

		/** Executes the open node, and returns its output table's text once it shows. */
		async function executeStep(expected) {
			await page.locator('[data-test-id="node-execute-button"]').first().click();
			const table = page.locator('[data-test-id="output-panel"] table').first();
			await table.filter({ hasText: expected }).waitFor();
			return await table.innerText();
		}

		test('create the credential in its dialog: the Test says the connection works', async () => {
			await page.goto(`${n8n.baseUrl}/home/credentials/create`);
			await page.locator('[data-test-id="new-credential-type-select"] input').fill('Wolkvox');
			await page
				.locator('[data-test-id="new-credential-type-select-option"]')
				.filter({ hasText: 'Wolkvox API' })
				.click();
			await page.locator('[data-test-id="new-credential-type-button"]').click();
			const dialog = page.locator('[data-test-id="editCredential-modal"]');
			await dialog.locator('[data-test-id="parameter-input-server"] input').fill('32');
			await dialog.locator('[data-test-id="parameter-input-token"] input').fill(TOKEN);
			await dialog.locator('[data-test-id="parameter-input-baseUrl"] input').fill(simUrl);
			sim.clearRecords();
			await dialog.locator('[data-test-id="credential-save-button"]').click();
			await dialog.getByText('Connection tested successfully').waitFor();
			assert.deepEqual(
				sim.requests.map((r) => [r.path, r.query.api, r.status]),
				[['/api/v2/information.php', 'token_info', 200]],
			);
			await page.keyboard.press('Escape');
		});

		test('add Wolkvox Billing, pick one of the 27 reports, execute it, read its rows', async () => {
			await page.goto(`${n8n.baseUrl}/workflow/new`);
			await page.locator('[data-test-id="canvas-plus-button"]').first().click();
			await page.locator('[data-test-id="node-creator-search-bar"]').first().waitFor();
			await page.keyboard.type('manual');
			await page
				.locator('[data-test-id="node-creator-item-name"]')
				.filter({ hasText: /^Manual Trigger$/ })
				.first()
				.click();
			await page.waitForTimeout(1000);
			await page.keyboard.press('Escape');
			await page.locator('[data-test-id="node-creator-plus-button"]').click();
			await page.locator('[data-test-id="node-creator-search-bar"]').first().waitFor();
			await page.keyboard.type('Wolkvox');
			await page
				.locator('[data-test-id="node-creator-item-name"]')
				.filter({ hasText: /^Wolkvox Billing$/ })
				.first()
				.click();
			const creator = page.locator('[data-test-id="node-creator"]');
			await creator.getByText('Get token usage', { exact: true }).waitFor();
			await creator.getByText('Get a billing report', { exact: true }).click();
			await page.locator('[data-test-id="ndv"]').first().waitFor();
			// The credential just made is the only one: n8n picks it.
			const credential = page.locator('[data-test-id="node-credentials-select"] input').first();
			await credential.waitFor();
			assert.match(await credential.inputValue(), /^Wolkvox/);

			await page.locator('[data-test-id="parameter-input-report"]').click();
			const listed = (await page.locator('.el-select-dropdown__item:visible').allInnerTexts()).map(
				(text) => text.split('\n')[0].trim(),
			);
			await page.keyboard.press('Escape');
			console.log(`# n8n ${version}: the Report list shows ${listed.length} choices`);
			assert.equal(listed.length, 28, listed.join(' | '));
			assert.ok(listed.includes('Text-to-Speech Characters'));
			assert.ok(listed.includes('Other (Enter Name)'));

			sim.clearRecords();
			await choose('report', 'Text-to-Speech Characters');
			const table = await executeStep('TTS characters');
			assert.match(
				table,
				/Andina Contact Center\s+TTS characters\s+1250400\s+[\d-]+ [\d:]+\s+tts_chars/,
			);
			assert.deepEqual(
				sim.billingRequests().map((r) => [r.query.api, r.token]),
				[['tts_chars', TOKEN]],
			);
		});

		test('switch to Get Token Usage, execute it, read the calls left today', async () => {
			sim.clearRecords();
			await choose('operation', 'Get Token Usage');
			await page.locator('[data-test-id="parameter-input-report"]').waitFor({ state: 'detached' });
			const table = await executeStep('calls_left_today');
			const used = sim.tokens.get(TOKEN).used;
			assert.match(
				table,
				new RegExp(
					`n8n integration\\s+1000\\s+${used}\\s+${used}\\s+${1000 - used}\\s+${1000 - used}`,
				),
			);
			assert.deepEqual(
				sim.requests.map((r) => [r.path, r.query.api]),
				[['/api/v2/information.php', 'token_info']],
			);
			assert.ok(!table.includes(TOKEN), 'the output table does not show the token');
		});
	});
}
