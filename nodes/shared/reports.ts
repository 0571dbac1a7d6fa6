/**
 * The catalogue of Wolkvox billing reports: one option per `api=` value of
 * `GET /api/v2/billing.php`. It is written as the Report parameter itself, so that the action
 * node and the trigger show the same list and n8n's lint can check it. A new report is one line.
 */
import type { INode, INodeProperties, INodePropertyOptions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { mayHoldToken } from './server';

/** Where every billing report is served, as `?api=<report>`. */
export const BILLING_PATH = '/api/v2/billing.php';

/** The value of the Report parameter that switches to a typed-in report name. */
const CUSTOM_REPORT = 'custom';

export const reportProperty: INodeProperties = {
	displayName: 'Report',
	name: 'report',
	type: 'options',
	default: 'agent_script',
	description:
		'Which Wolkvox billing report to fetch. Every report covers the current month and returns one row per product, with its count in “items”.',
	options: [
		{
			name: 'Agent Script',
			value: 'agent_script',
			description: 'Active Agent Script licenses this month',
		},
		{
			name: 'AI Answering-Machine Detection',
			value: 'amd_ai',
			description: 'AI answering-machine detections this month',
		},
		{
			name: 'Chat Licenses',
			value: 'chat_licenses',
			description: 'Chat licenses in use this month',
		},
		{
			name: 'Intelligent Dial',
			value: 'intelligent_dial',
			description: 'Active intelligent (smart) dialing licenses this month',
		},
		{
			name: 'Interaction Licenses',
			value: 'interaction_licenses',
			description: 'Interaction licenses in use this month',
		},
		{ name: 'IVR Calls', value: 'ivr_calls', description: 'IVR calls this month' },
		{ name: 'IVR Minutes', value: 'ivr_minutes', description: 'IVR minutes consumed this month' },
		{
			name: 'Omnichannel Interactions',
			value: 'interactions',
			description: 'Omnichannel interactions (mail, Facebook, Twitter) this month',
		},
		{
			name: 'Other (Enter Name)',
			value: 'custom',
			description: 'A billing report not in this list, by its API name',
		},
		{
			name: 'Screen Recording',
			value: 'rec_screen',
			description: 'Screen-recording time and share of calls recorded this month',
		},
		{
			name: 'Stereo Recording',
			value: 'stereo_rec',
			description: 'Stereo-recording minutes this month',
		},
		{
			name: 'WhatsApp Connectors',
			value: 'wp_connectors',
			description:
				'WhatsApp connectors this month (not in Wolkvox’s public docs: may be unavailable)',
		},
		{
			name: 'WhatsApp Official Connectors',
			value: 'wp_connectors_official',
			description:
				'Official WhatsApp connectors this month (not in Wolkvox’s public docs: may be unavailable)',
		},
	],
};

export const customReportProperty: INodeProperties = {
	displayName: 'Report Name',
	name: 'customReport',
	type: 'string',
	default: '',
	// Not `required`: with Report set by an expression n8n cannot tell whether this field shows,
	// and would refuse to run the workflow. An empty name is refused at run time instead.
	placeholder: 'e.g. ivr_minutes',
	description:
		'The API name of the report, the value Wolkvox expects after “api=” in billing.php?api=…',
	displayOptions: { show: { report: ['custom'] } },
};

/** Every listed report, as `{ name, value: api name, description }`. */
export const BILLING_REPORTS: readonly INodePropertyOptions[] = (
	reportProperty.options as INodePropertyOptions[]
).filter((option) => option.value !== CUSTOM_REPORT);

/** Report names travel in a URL query; Wolkvox's are lower-case words joined by underscores. */
const REPORT_NAME_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * The API name the Report parameters ask for: the listed report, or the typed-in one for
 * "Other". Refused before any request when it cannot be a report name.
 */
export function resolveReportName(
	node: INode,
	report: unknown,
	customReport: unknown,
	itemIndex?: number,
): string {
	const chosen = String(report ?? '').trim();
	const api = chosen === CUSTOM_REPORT ? String(customReport ?? '').trim() : chosen;
	if (!REPORT_NAME_PATTERN.test(api)) {
		throw new NodeOperationError(
			node,
			api === ''
				? 'No report name given'
				: mayHoldToken(api)
					? `The report name given (${api.length} characters, not shown) is not a report name`
					: `“${api}” is not a report name`,
			{
				itemIndex,
				description:
					'Choose a report from the list, or enter the API name of a Wolkvox billing report: letters, digits, underscores or hyphens, such as agent_script.',
			},
		);
	}
	return api;
}
