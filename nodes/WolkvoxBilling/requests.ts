/**
 * What each input item of Wolkvox Billing asks for (a report, or the token's usage), and one call
 * per distinct request per run: later items asking for the same report reuse the answer (or the
 * error), which saves quota and keeps the token free.
 */
import type { IExecuteFunctions, INodeExecutionData, IPairedItemData } from 'n8n-workflow';

import { fetchRows, type Connection, type WolkvoxCall } from '../shared/call';
import { readCallOptions, readReportRequest, type ReadParameter } from '../shared/request';
import { resolveReportName, BILLING_PATH } from '../shared/reports';
import { itemsOfRows } from '../shared/rows';
import type { SecretGuard } from '../shared/secret';
import { INFORMATION_PATH, TOKEN_INFO, TOKEN_USAGE, tokenUsageOf } from '../shared/tokenUsage';

export type Operation = 'getReport' | 'getTokenUsage';

/** Saved workflows from before the Operation parameter existed have none: a report, as before. */
export const DEFAULT_OPERATION: Operation = 'getReport';

/** One call to Wolkvox that an input item (or a tool call) asks for. */
export type Request =
	| { kind: 'report'; api: string; call: WolkvoxCall; keepItemsAsText: boolean }
	| { kind: 'tokenUsage'; call: WolkvoxCall };

/** What one input item asks for, or why it cannot be asked. */
export type Ask = Request | { failed: unknown };

export const isRequest = (ask: Ask): ask is Request => !('failed' in ask);

/** The parameters of one input item. */
export const parametersOf =
	(context: IExecuteFunctions, itemIndex: number): ReadParameter =>
	(name, fallback) =>
		context.getNodeParameter(name, itemIndex, fallback);

/** The request for token usage, with the item's call settings. */
function tokenUsageRequest(settings: Omit<WolkvoxCall, 'path' | 'api'>): Request {
	return { kind: 'tokenUsage', call: { ...settings, path: INFORMATION_PATH, api: TOKEN_INFO } };
}

/** The request an AI tool's name stands for: a report, or token_usage. */
export function requestForName(
	name: string,
	context: IExecuteFunctions,
	itemIndex: number,
	guard: SecretGuard,
): Request {
	const { settings } = readCallOptions(parametersOf(context, itemIndex), guard);
	if (name === TOKEN_USAGE) return tokenUsageRequest({ ...settings, itemIndex });
	const api = resolveReportName(name, '', guard);
	const call = { ...settings, itemIndex, path: BILLING_PATH, api };
	return { kind: 'report', api, call, keepItemsAsText: false };
}

/** What the item's parameters ask for: Get Report (a listed or typed-in report) or Get Token Usage. */
export function askOf(context: IExecuteFunctions, itemIndex: number, guard: SecretGuard): Ask {
	try {
		const read = parametersOf(context, itemIndex);
		if (read('operation', DEFAULT_OPERATION) === 'getTokenUsage') {
			return tokenUsageRequest({ ...readCallOptions(read, guard).settings, itemIndex });
		}
		const { api, call, keepItemsAsText } = readReportRequest(read, guard);
		return { kind: 'report', api, call: { ...call, itemIndex }, keepItemsAsText };
	} catch (failed) {
		return { failed };
	}
}

/**
 * One call per distinct request per run. The shared call uses the first asking item's options;
 * the last user of an answer may reuse its rows as items.
 */
export class SharedCalls {
	private readonly answers = new Map<string, Promise<unknown[]>>();

	private readonly usesLeft = new Map<string, number>();

	constructor(
		private readonly context: IExecuteFunctions,
		private readonly connection: Connection,
		expected: Request[],
	) {
		for (const request of expected) {
			const key = SharedCalls.keyOf(request);
			this.usesLeft.set(key, (this.usesLeft.get(key) ?? 0) + 1);
		}
	}

	private static keyOf(request: Request): string {
		return `${request.call.path}?${request.call.api}`;
	}

	/** The rows of the request's answer, and whether no later item will use them. */
	async rows(request: Request): Promise<{ rows: unknown[]; last: boolean }> {
		const key = SharedCalls.keyOf(request);
		let answer = this.answers.get(key);
		if (!answer) {
			answer = fetchRows(this.context, this.connection, request.call);
			this.answers.set(key, answer);
		}
		const rows = await answer;
		const left = (this.usesLeft.get(key) ?? 1) - 1;
		this.usesLeft.set(key, left);
		return { rows, last: left <= 0 };
	}
}

/** The items one request gives, all paired to the asking input item. */
export async function itemsFor(
	calls: SharedCalls,
	request: Request,
	pairedItem: IPairedItemData,
): Promise<INodeExecutionData[]> {
	const { rows, last } = await calls.rows(request);
	if (request.kind === 'tokenUsage') return [{ json: tokenUsageOf(rows), pairedItem }];
	const shape = { keepItemsAsText: request.keepItemsAsText, reuse: last };
	return itemsOfRows(request.api, rows, shape, pairedItem);
}
