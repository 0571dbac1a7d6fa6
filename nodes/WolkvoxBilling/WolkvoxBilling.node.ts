import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IPairedItemData,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { asNodeError, errorJson, factsOf } from '../shared/errors';
import { callSettings, type WolkvoxOptions } from '../shared/options';
import {
	BILLING_PATH,
	CUSTOM_REPORT,
	REPORT_EXPRESSION,
	resolveReportName,
} from '../shared/reports';
import { itemsOfRows, shapeRow } from '../shared/rows';
import {
	connect,
	CREDENTIAL_TYPE,
	fetchRows,
	PACING,
	tokenOf,
	type Connection,
	type Pacing,
	type WolkvoxCall,
} from '../shared/transport';
import { INFORMATION_PATH, TOKEN_INFO, tokenUsageOf } from '../shared/tokenUsage';
import { billingProperties, DEFAULT_OPERATION } from './description';
import {
	budgetFor,
	concernsOneName,
	errorForModel,
	isToolMode,
	TOKEN_USAGE,
	toolAnswer,
	toolNames,
	toolTokenUsage,
} from './tool';

export class WolkvoxBilling implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Wolkvox Billing',
		name: 'wolkvoxBilling',
		icon: { light: 'file:../../icons/wolkvox.svg', dark: 'file:../../icons/wolkvox.dark.svg' },
		group: ['input'],
		version: 1,
		subtitle: `={{$parameter["operation"] === "getTokenUsage" ? "token usage" : ${REPORT_EXPRESSION}}}`,
		description:
			'Fetch Wolkvox billing usage (licenses, minutes, interactions) for the current month, and the token’s daily quota',
		documentationUrl: 'https://www.npmjs.com/package/n8n-nodes-wolkvox',
		defaults: { name: 'Wolkvox Billing' },
		usableAsTool: true,
		// For n8n's AI workflow builder (n8n 2.22+), which older n8n ignores. Spread in, as the types
		// of our oldest n8n-workflow (2.8) do not know the field.
		...{
			builderHint: {
				searchHint:
					'Wolkvox contact-center billing: license and usage counts (Agent Script, IVR minutes, chat and interaction licenses…) for the current month, one item per product with a numeric "items" count.',
				relatedNodes: [
					{
						nodeType: 'n8n-nodes-base.scheduleTrigger',
						relationHint: 'Fetch a report every day or week',
					},
					{
						nodeType: 'n8n-nodes-base.googleSheets',
						relationHint: 'Append the rows to a sheet to keep each month’s history',
					},
				],
			},
		},
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: CREDENTIAL_TYPE, required: true }],
		properties: billingProperties,
	};

	execute: (this: IExecuteFunctions) => Promise<INodeExecutionData[][]>;

	/** n8n builds the node without arguments; tests pass shorter waits. */
	constructor(pacing: Pacing = PACING) {
		this.execute = async function (this: IExecuteFunctions) {
			return await fetchReports(this, pacing);
		};
	}
}

/** One call to Wolkvox that an input item (or a tool call) asks for. */
type Request =
	| { kind: 'report'; api: string; call: WolkvoxCall; keepItemsAsText: boolean }
	| { kind: 'tokenUsage'; call: WolkvoxCall };

/** What one input item asks for, or why it cannot be asked. */
type Ask = Request | { failed: unknown };

/** The call's settings both operations take from the node's Options. */
function callSettingsOf(
	context: IExecuteFunctions,
	itemIndex: number,
	token: string,
	pacing: Pacing,
) {
	const options = context.getNodeParameter('options', itemIndex, {}) as WolkvoxOptions;
	return {
		settings: { itemIndex, pacing, ...callSettings(options, token) },
		keepItemsAsText: options.keepItemsAsText === true,
	};
}

/** The request for a report, or for token usage, by its name (as the tool's names are). */
function requestFor(
	name: string,
	settings: Omit<WolkvoxCall, 'path' | 'api'>,
	keepItemsAsText: boolean,
	token: string,
): Request {
	if (name === TOKEN_USAGE) {
		return { kind: 'tokenUsage', call: { ...settings, path: INFORMATION_PATH, api: TOKEN_INFO } };
	}
	const api = resolveReportName(name, '', token);
	return { kind: 'report', api, call: { ...settings, path: BILLING_PATH, api }, keepItemsAsText };
}

/** What the item's parameters ask for: Get Report (a listed or typed-in report) or Get Token Usage. */
function askOf(context: IExecuteFunctions, itemIndex: number, token: string, pacing: Pacing): Ask {
	try {
		const { settings, keepItemsAsText } = callSettingsOf(context, itemIndex, token, pacing);
		const operation = context.getNodeParameter('operation', itemIndex, DEFAULT_OPERATION);
		if (operation === 'getTokenUsage') return requestFor(TOKEN_USAGE, settings, false, token);
		const report = context.getNodeParameter('report', itemIndex, '');
		// Read only when it is shown: each parameter read resolves expressions.
		const custom =
			report === CUSTOM_REPORT ? context.getNodeParameter('customReport', itemIndex, '') : '';
		const api = resolveReportName(report, custom, token);
		return requestFor(api, settings, keepItemsAsText, token);
	} catch (failed) {
		return { failed };
	}
}

/**
 * One call per distinct request per run: later items asking for the same report reuse the answer
 * (or the error), which saves quota and keeps the token free. The shared call uses the first
 * asking item's options. The last user of an answer may reuse its rows as items.
 */
class SharedCalls {
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
async function itemsFor(
	calls: SharedCalls,
	request: Request,
	pairedItem: IPairedItemData,
): Promise<INodeExecutionData[]> {
	const { rows, last } = await calls.rows(request);
	if (request.kind === 'tokenUsage') return [{ json: tokenUsageOf(rows), pairedItem }];
	const shape = { keepItemsAsText: request.keepItemsAsText, reuse: last };
	return itemsOfRows(request.api, rows, shape, pairedItem);
}

/**
 * A tool call: every name the model gave, each one call to Wolkvox, one after the other, as one
 * compact answer (or, for several names, one answer each, within one budget). A name that is
 * wrong gives its own error entry when other names were given too; anything else fails the call.
 */
async function toolItemFor(
	context: IExecuteFunctions,
	calls: SharedCalls,
	itemIndex: number,
	token: string,
	pacing: Pacing,
): Promise<IDataObject> {
	const names = toolNames(context.getNodeParameter('report', itemIndex, ''));
	const { settings } = callSettingsOf(context, itemIndex, token, pacing);
	const budget = budgetFor(names.length);
	const answers: IDataObject[] = [];
	for (const name of names) {
		try {
			const request = requestFor(name, settings, false, token);
			const { rows } = await calls.rows(request);
			answers.push(
				request.kind === 'tokenUsage'
					? toolTokenUsage(tokenUsageOf(rows))
					: toolAnswer(
							request.api,
							rows.map((raw) => shapeRow(request.api, raw)),
							budget,
						),
			);
		} catch (caught) {
			const error = asNodeError(context.getNode(), caught, { itemIndex, token });
			if (names.length === 1 || !concernsOneName(error)) throw error;
			// A name refused as no report name is not repeated: it may be anything, the token too.
			const named = factsOf(error).kind === 'badReportName' ? {} : { report: name };
			answers.push({ ...named, error: errorForModel(context.getNode(), error).message });
		}
	}
	return names.length === 1 ? answers[0] : { answers };
}

/**
 * Each input item asks for a report (or the token's usage); each distinct request is fetched
 * once, and every item gets the rows of its request, paired to it. As an AI tool, each item is
 * one tool call and gets one compact answer.
 */
async function fetchReports(
	context: IExecuteFunctions,
	pacing: Pacing,
): Promise<INodeExecutionData[][]> {
	const items = context.getInputData();
	const node = context.getNode();
	const tool = isToolMode(node);
	let connection: Connection | undefined;
	let refused: unknown;
	try {
		connection = await connect(context);
	} catch (error) {
		refused = error;
	}
	const token = connection?.token ?? (await tokenOf(context));
	// Every item's request first, so we know how many items share each answer.
	const asks = tool ? [] : items.map((_, itemIndex) => askOf(context, itemIndex, token, pacing));
	const requests = asks.filter((ask): ask is Request => !('failed' in ask));
	const calls = connection ? new SharedCalls(context, connection, requests) : undefined;
	// One array per input item, joined once at the end: growing one array by push to 60,000
	// items doubled the node's time.
	const perItem: INodeExecutionData[][] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		// All rows of one input item share one pairedItem object: n8n only reads it.
		const pairedItem = { item: itemIndex };
		try {
			if (!calls) throw refused;
			if (tool) {
				perItem.push([
					{ json: await toolItemFor(context, calls, itemIndex, token, pacing), pairedItem },
				]);
				continue;
			}
			const ask = asks[itemIndex];
			if ('failed' in ask) throw ask.failed;
			perItem.push(await itemsFor(calls, ask, pairedItem));
		} catch (caught) {
			const found = asNodeError(node, caught, { itemIndex, token });
			const error = tool ? errorForModel(node, found) : found;
			if (!context.continueOnFail()) throw error;
			// Not as the item's `error`: n8n would then keep only the message in its JSON.
			perItem.push([{ json: errorJson(error), pairedItem }]);
		}
	}
	return [joined(perItem)];
}

/** The arrays end to end, in one array allocated at its final size. */
function joined<T>(parts: T[][]): T[] {
	if (parts.length === 1) return parts[0];
	let total = 0;
	for (const part of parts) total += part.length;
	const all = new Array<T>(total);
	let at = 0;
	for (const part of parts) for (const element of part) all[at++] = element;
	return all;
}
