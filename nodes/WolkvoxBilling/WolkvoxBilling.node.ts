import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { connect, CREDENTIAL_TYPE, guardOfContext } from '../shared/call';
import { asNodeError, errorJson } from '../shared/errors';
import { REPORT_EXPRESSION } from '../shared/reports';
import type { SecretGuard } from '../shared/secret';
import { billingProperties } from './description';
import { askOf, isRequest, itemsFor, SharedCalls } from './requests';
import { errorForModel, isToolMode, toolItemFor } from './tool';

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

	execute = async function (this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await fetchReports(this);
	};
}

/**
 * Each input item asks for a report (or the token's usage); each distinct request is fetched
 * once, and every item gets the rows of its request, paired to it. As an AI tool, each item is
 * one tool call and gets one compact answer.
 */
async function fetchReports(context: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = context.getInputData();
	const tool = isToolMode(context.getNode());
	const connection = await connect(context).catch((refused: unknown) => ({ refused }));
	const guard = 'refused' in connection ? await guardOfContext(context) : connection.guard;
	// Every item's request first, so we know how many items share each answer.
	const asks = tool ? [] : items.map((_, itemIndex) => askOf(context, itemIndex, guard));
	const calls =
		'refused' in connection
			? undefined
			: new SharedCalls(context, connection, asks.filter(isRequest));
	// One array per input item, joined once at the end: growing one array by push to 60,000
	// items doubled the node's time.
	const perItem: INodeExecutionData[][] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		// All rows of one input item share one pairedItem object: n8n only reads it.
		const pairedItem = { item: itemIndex };
		try {
			if (!calls) throw (connection as { refused: unknown }).refused;
			if (tool) {
				const json = await toolItemFor(context, calls, itemIndex, guard);
				perItem.push([{ json, pairedItem }]);
				continue;
			}
			const ask = asks[itemIndex];
			if (!isRequest(ask)) throw ask.failed;
			perItem.push(await itemsFor(calls, ask, pairedItem));
		} catch (caught) {
			perItem.push([failedItem(context, caught, itemIndex, guard, tool)]);
		}
	}
	return [joined(perItem)];
}

/** A failed input item: its error item with On Error: Continue, else the error that stops the run. */
function failedItem(
	context: IExecuteFunctions,
	caught: unknown,
	itemIndex: number,
	guard: SecretGuard,
	tool: boolean,
): INodeExecutionData {
	const node = context.getNode();
	const found = asNodeError(node, caught, { itemIndex, guard });
	const error = tool ? errorForModel(node, found) : found;
	if (!context.continueOnFail()) throw error;
	// Not as the item's `error`: n8n would then keep only the message in its JSON.
	return { json: errorJson(error), pairedItem: { item: itemIndex } };
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
