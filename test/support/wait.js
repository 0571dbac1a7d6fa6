'use strict';
/** The one wait of the support code: until a check holds, or fail naming what was awaited. */

/**
 * Resolves to the first truthy value of `check()` (which may be async), asked every `everyMs`;
 * throws after `timeoutMs`, naming `what`.
 * @template T
 * @param {string} what
 * @param {() => T | Promise<T>} check
 * @param {number} [timeoutMs]
 * @param {number} [everyMs]
 * @returns {Promise<T>}
 */
async function waitUntil(what, check, timeoutMs = 60_000, everyMs = 250) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await check();
		if (value) return value;
		if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, everyMs));
	}
}

module.exports = { waitUntil };
