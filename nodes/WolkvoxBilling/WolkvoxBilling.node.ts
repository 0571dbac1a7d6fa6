import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { shapeRow } from '../shared/envelope';
import { asNodeError } from '../shared/errors';
import { callSettings, type WolkvoxOptions } from '../shared/options';
import { BILLING_PATH, resolveReportName } from '../shared/reports';
import { CREDENTIAL_TYPE, fetchData } from '../shared/transport';
import { billingProperties } from './description';

export class WolkvoxBilling implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Wolkvox Billing',
		name: 'wolkvoxBilling',
		icon: { light: 'file:wolkvox.svg', dark: 'file:wolkvox.dark.svg' },
		group: ['input'],
		version: 1,
		subtitle:
			'={{$parameter["report"] === "custom" ? $parameter["customReport"] : $parameter["report"]}}',
		description:
			'Fetch Wolkvox billing usage (licenses, minutes, interactions) for the current month',
		documentationUrl: 'https://www.npmjs.com/package/n8n-nodes-wolkvox',
		defaults: { name: 'Wolkvox Billing' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: CREDENTIAL_TYPE, required: true }],
		properties: billingProperties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const output: INodeExecutionData[] = [];
		// One call per report per run: later items asking for the same report reuse the answer
		// (or the error), which saves quota and keeps the token free.
		const answers = new Map<string, Promise<unknown[]>>();

		for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
			try {
				const api = resolveReportName(
					this.getNode(),
					this.getNodeParameter('report', itemIndex, ''),
					this.getNodeParameter('customReport', itemIndex, ''),
					itemIndex,
				);
				const options = this.getNodeParameter('options', itemIndex, {}) as WolkvoxOptions;
				let answer = answers.get(api);
				if (!answer) {
					answer = fetchData(this, {
						path: BILLING_PATH,
						api,
						itemIndex,
						...callSettings(options),
					});
					answers.set(api, answer);
				}
				const rows = await answer;
				const keepItemsAsText = options.keepItemsAsText === true;
				for (const raw of rows) {
					output.push({
						json: shapeRow(api, raw, keepItemsAsText),
						pairedItem: { item: itemIndex },
					});
				}
			} catch (error) {
				if (this.continueOnFail()) {
					output.push({ json: { error: errorMessage(error) }, pairedItem: { item: itemIndex } });
					continue;
				}
				throw asNodeError(this.getNode(), error, { itemIndex });
			}
		}
		return [output];
	}
}

function errorMessage(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}
