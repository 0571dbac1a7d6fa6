'use strict';
/**
 * Debian's Chromium, driven by Playwright, as this machine allows it: headless, no sandbox (as
 * root), and none of the background calls to Google's hosts, which the closed network refuses.
 */
const fs = require('node:fs');

const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

const CHROMIUM_ARGS = [
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
];

/** A headless Chromium; fails saying how to install it when it is missing. */
async function launchChromium() {
	if (!fs.existsSync(CHROMIUM_PATH)) {
		throw new Error(
			`no Chromium at ${CHROMIUM_PATH}: apt-get install chromium (or set CHROMIUM_PATH)`,
		);
	}
	const { chromium } = await import('playwright-core');
	return await chromium.launch({
		executablePath: CHROMIUM_PATH,
		headless: true,
		args: CHROMIUM_ARGS,
	});
}

module.exports = { launchChromium };
