/**
 * The one calendar clock of the jest suite. Every test that runs the nodes against the simulator
 * starts at a pinned instant (useSimulator pins it before each test), so no test depends on the
 * day it runs or the machine's time zone: the simulator dates its rows with `new Date()`, and the
 * trigger reads the month with it, both from this clock. Only Date is faked; timers, the HTTP
 * stack and performance.now() stay real, so timeouts and retries run as in production.
 */

/** Mid-month and mid-day in every time zone: nothing is near an edge unless a test says so. */
export const PINNED_NOW = '2026-11-18T17:00:00Z';

const REAL = [
	'hrtime',
	'nextTick',
	'performance',
	'queueMicrotask',
	'requestAnimationFrame',
	'cancelAnimationFrame',
	'requestIdleCallback',
	'cancelIdleCallback',
	'setImmediate',
	'clearImmediate',
	'setInterval',
	'clearInterval',
	'setTimeout',
	'clearTimeout',
] as const;

/** Sets the calendar to `instant` (an ISO string with its offset, or a Date); it stays there. */
export function pinClock(instant: string | Date = PINNED_NOW): void {
	const at = new Date(instant);
	if (Number.isNaN(at.getTime())) throw new Error(`not an instant: ${String(instant)}`);
	jest.useFakeTimers({ doNotFake: [...REAL], now: at });
}

/** Moves the pinned calendar on by `ms`. */
export function advanceClock(ms: number): void {
	jest.setSystemTime(Date.now() + ms);
}

export function unpinClock(): void {
	jest.useRealTimers();
}
