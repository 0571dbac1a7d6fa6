/**
 * What a node's parameters ask for, read the same way by both nodes: the action node reads them
 * per input item, the trigger once per poll. Checked before any call: a report name Wolkvox does
 * not use, or an option out of range, never reaches Wolkvox.
 */
import type { WolkvoxCall } from './call';
import { callSettings, type WolkvoxOptions } from './options';
import { BILLING_PATH, CUSTOM_REPORT, resolveReportName } from './reports';
import type { SecretGuard } from './secret';

/** A parameter of the node, by name, with the value to use when it is not set. */
export type ReadParameter = (name: string, fallback: unknown) => unknown;

/** The call's settings from the Options collection, and Keep Items as Text. */
export interface CallOptions {
	settings: Omit<WolkvoxCall, 'path' | 'api'>;
	keepItemsAsText: boolean;
}

export interface ReportRequest extends CallOptions {
	api: string;
	call: WolkvoxCall;
}

export function readCallOptions(read: ReadParameter, guard: SecretGuard): CallOptions {
	const options = read('options', {}) as WolkvoxOptions;
	return {
		settings: callSettings(options, guard),
		keepItemsAsText: options.keepItemsAsText === true,
	};
}

/** The billing report the parameters ask for (Report, or Report Name for Other), and the call. */
export function readReportRequest(read: ReadParameter, guard: SecretGuard): ReportRequest {
	const report = read('report', '');
	// Read only when it is shown: each parameter read resolves expressions.
	const custom = report === CUSTOM_REPORT ? read('customReport', '') : '';
	const api = resolveReportName(report, custom, guard);
	const options = readCallOptions(read, guard);
	return { ...options, api, call: { ...options.settings, path: BILLING_PATH, api } };
}
