import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { asNodeError, errorJson } from '../shared/errors';
import { callSettings, type WolkvoxOptions } from '../shared/options';
import { BILLING_PATH, REPORT_EXPRESSION, resolveReportName } from '../shared/reports';
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
import { billingProperties } from './description';
import { errorForModel, isToolMode, toolAnswer } from './tool';

export class WolkvoxBilling implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Wolkvox Billing',
		name: 'wolkvoxBilling',
		icon: { light: 'file:../../icons/wolkvox.svg', dark: 'file:../../icons/wolkvox.dark.svg' },
		group: ['input'],
		version: 1,
		subtitle: `={{${REPORT_EXPRESSION}}}`,
		description:
			'Fetch Wolkvox billing usage (licenses, minutes, interactions) for the current month',
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

/** What one input item asks for, or why it cannot be asked. */
type Ask = { api: string; call: WolkvoxCall; keepItemsAsText: boolean } | { failed: unknown };

/**
 * Each input item names a report; each distinct report is fetched once, and every item gets the
 * rows of its report, paired to it.
 */
async function fetchReports(
	context: IExecuteFunctions,
	pacing: Pacing,
): Promise<INodeExecutionData[][]> {
	const items = context.getInputData();
	const node = context.getNode();
	// As an AI tool, each report comes back as one compact item (tool.ts).
	const tool = isToolMode(node);
	let connection: Connection | undefined;
	let refused: unknown;
	try {
		connection = await connect(context);
	} catch (error) {
		refused = error;
	}
	const token = connection?.token ?? (await tokenOf(context));

	// Every item's report and options first, so we know how many items share each answer.
	const asks = items.map((_, itemIndex): Ask => {
		try {
			const api = resolveReportName(
				context.getNodeParameter('report', itemIndex, ''),
				context.getNodeParameter('customReport', itemIndex, ''),
				token,
			);
			const options = context.getNodeParameter('options', itemIndex, {}) as WolkvoxOptions;
			const call = { path: BILLING_PATH, api, itemIndex, pacing, ...callSettings(options, token) };
			return { api, call, keepItemsAsText: options.keepItemsAsText === true };
		} catch (failed) {
			return { failed };
		}
	});
	const usesLeft = new Map<string, number>();
	for (const ask of asks) if ('api' in ask) usesLeft.set(ask.api, (usesLeft.get(ask.api) ?? 0) + 1);

	// One call per report per run: later items asking for the same report reuse the answer (or
	// the error), which saves quota and keeps the token free. The shared call uses the first
	// asking item's options.
	const answers = new Map<string, Promise<unknown[]>>();
	// One array per input item, joined once at the end: growing one array by push to 60,000
	// items doubled the node's time.
	const perItem: INodeExecutionData[][] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		const ask = asks[itemIndex];
		try {
			if ('failed' in ask) throw ask.failed;
			if (!connection) throw refused;
			let answer = answers.get(ask.api);
			if (!answer) {
				answer = fetchRows(context, connection, ask.call);
				answers.set(ask.api, answer);
			}
			const rows = await answer;
			const left = (usesLeft.get(ask.api) ?? 1) - 1;
			usesLeft.set(ask.api, left);
			const shape = { keepItemsAsText: ask.keepItemsAsText, reuse: left === 0 };
			// All rows of one input item share one pairedItem object: n8n only reads it.
			const pairedItem = { item: itemIndex };
			perItem.push(
				tool
					? [
							{
								json: toolAnswer(
									ask.api,
									rows.map((raw) => shapeRow(ask.api, raw, shape)),
								),
								pairedItem,
							},
						]
					: itemsOfRows(ask.api, rows, shape, pairedItem),
			);
		} catch (caught) {
			const found = asNodeError(node, caught, { itemIndex, token });
			const error = tool ? errorForModel(node, found) : found;
			if (!context.continueOnFail()) throw error;
			// Not as the item's `error`: n8n would then keep only the message in its JSON.
			perItem.push([{ json: errorJson(error), pairedItem: { item: itemIndex } }]);
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
