import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { shapeRow } from '../shared/envelope';
import { asNodeError } from '../shared/errors';
import { CUSTOM_REPORT, REPORT_NAME_PATTERN } from '../shared/reports';
import { CREDENTIAL_TYPE, DEFAULT_TIMEOUT_SECONDS, fetchData } from '../shared/transport';
import { billingProperties } from './description';

const BILLING_PATH = '/api/v2/billing.php';

interface BillingOptions {
	keepItemsAsText?: boolean;
	timeout?: number;
	retries?: number;
	maxRetryWait?: number;
}

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
				const api = reportName(this, itemIndex);
				const options = this.getNodeParameter('options', itemIndex, {}) as BillingOptions;
				let answer = answers.get(api);
				if (!answer) {
					answer = fetchData(this, {
						path: BILLING_PATH,
						api,
						timeoutSeconds: options.timeout ?? DEFAULT_TIMEOUT_SECONDS,
						retries: options.retries,
						maxRetryWaitSeconds: options.maxRetryWait,
						itemIndex,
					});
					answers.set(api, answer);
				}
				const rows = await answer;
				const keepItemsAsText = options.keepItemsAsText === true;
				for (const raw of rows) {
					output.push({ json: shapeRow(api, raw, keepItemsAsText), pairedItem: { item: itemIndex } });
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

function reportName(fx: IExecuteFunctions, itemIndex: number): string {
	const chosen = String(fx.getNodeParameter('report', itemIndex, '') ?? '').trim();
	const api =
		chosen === CUSTOM_REPORT
			? String(fx.getNodeParameter('customReport', itemIndex, '') ?? '').trim()
			: chosen;
	if (!REPORT_NAME_PATTERN.test(api)) {
		throw new NodeOperationError(
			fx.getNode(),
			api === '' ? 'No report name given' : `“${api.slice(0, 70)}” is not a report name`,
			{
				itemIndex,
				description:
					'Choose a report from the list, or enter the API name of a Wolkvox billing report: letters, digits and underscores, such as agent_script.',
			},
		);
	}
	return api;
}

function errorMessage(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}

