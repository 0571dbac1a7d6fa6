/** Shared set-up for tests that run the node against a simulator. */
import type { IDataObject } from 'n8n-workflow';

import { WolkvoxSimulator } from '../simulator';
import { pinClock, unpinClock } from './clock';
import { runBilling, type RunOptions, type RunResult } from './harness';

export const TOKEN = 'sim-token-0032';

export interface SimulatorFixture {
	sim: WolkvoxSimulator;
	url: string;
	/** A Wolkvox API credential that reaches this simulator, for the node and the trigger. */
	credentials(token?: string): { server: string; token: string; baseUrl: string };
	/** Runs Start -> Wolkvox Billing with credentials pointing at the simulator. */
	run(options?: RunOptions & { token?: string }): Promise<RunResult>;
}

/**
 * One simulator per test file, started before the tests; each test starts with no faults, no
 * records and default reports.
 */
export function useSimulator(
	options: ConstructorParameters<typeof WolkvoxSimulator>[0] = {},
): SimulatorFixture {
	const fixture = {} as SimulatorFixture;
	beforeAll(async () => {
		fixture.sim = new WolkvoxSimulator({ tokens: { [TOKEN]: {} }, ...options });
		fixture.url = await fixture.sim.start();
	});
	beforeEach(() => {
		// Every test starts on the same day, whatever day it runs.
		pinClock();
		// A fresh simulator state on the same port keeps tests independent.
		fixture.sim.reset();
	});
	afterEach(() => unpinClock());
	afterAll(async () => {
		await fixture.sim?.stop();
	});
	fixture.credentials = (token = TOKEN) => ({ server: '0032', token, baseUrl: fixture.url });
	fixture.run = async ({ token = TOKEN, ...rest } = {}) =>
		await runBilling({ credentials: fixture.credentials(token), ...rest });
	return fixture;
}

/** The JSON of the items, without n8n's bookkeeping. */
export function jsonOf(result: RunResult): IDataObject[] {
	return result.items.map((item) => item.json);
}
