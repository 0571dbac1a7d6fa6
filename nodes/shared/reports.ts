/**
 * The catalogue of Wolkvox billing reports: one option per `api=` value of
 * `GET /api/v2/billing.php`. It is written as the Report parameter itself, so that the action
 * node and the trigger show the same list and n8n's lint can check it. A new report is one line.
 */
import type { INodeProperties } from 'n8n-workflow';

import { WolkvoxSetupError } from './setupError';
import { mayRevealSecret } from './secret';

/** Where every billing report is served, as `?api=<report>`. */
export const BILLING_PATH = '/api/v2/billing.php';

/** The value of the Report parameter that switches to a typed-in report name. */
const CUSTOM_REPORT = 'custom';

/** The report a node asks for, as an n8n expression: its subtitle in the editor. */
export const REPORT_EXPRESSION = `$parameter["report"] === "${CUSTOM_REPORT}" ? $parameter["customReport"] : $parameter["report"]`;

export const reportProperty: INodeProperties = {
	displayName: 'Report',
	name: 'report',
	type: 'options',
	default: 'agent_script',
	description: 'Which Wolkvox billing report to fetch, for the current month',
	// As an AI tool, the node shows its own Report, which the model fills.
	displayOptions: { hide: { '@tool': [true] } },
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

/**
 * Wolkvox's report names are lower-case words joined by underscores (agent_script, amd_ai,
 * wp_connectors_official). They travel in the URL and in debug logs, so anything else is refused
 * before any call: in particular a token pasted into Report Name.
 */
const REPORT_NAME = /^[a-z][a-z0-9]{0,19}(?:_[a-z0-9]{1,20}){0,5}$/;

/** The longest name REPORT_NAME allows; a longer one is refused before anything reads it. */
export const MAX_REPORT_NAME_LENGTH = 20 + 5 * 21;

function badReportName(message: string): WolkvoxSetupError {
	return new WolkvoxSetupError(
		'badReportName',
		message,
		'Choose a report from the list, or enter the API name of a Wolkvox billing report: lower-case words joined by underscores, such as agent_script.',
	);
}

/**
 * The API name the Report parameters ask for: the listed report, or the typed-in one for
 * "Other". `token` is the credential's, which a typed-in name must not resemble. The length is
 * checked first: the name may come from a webhook or a model, and be megabytes long.
 */
export function resolveReportName(report: unknown, customReport: unknown, token: string): string {
	const chosen = typeof report === 'string' ? report.trim() : '';
	const typed = typeof customReport === 'string' ? customReport.trim() : '';
	const api = chosen === CUSTOM_REPORT ? typed : chosen;
	const notShown = `The report name given (${api.length} characters, not shown in case it is a secret) is not a Wolkvox report name`;
	if (api === '') throw badReportName('No report name given');
	if (api.length > MAX_REPORT_NAME_LENGTH) throw badReportName(notShown);
	const secretLike = mayRevealSecret(api, token);
	if (!REPORT_NAME.test(api) || secretLike) {
		const shown = api.length <= 40 && !secretLike && !/[^\x20-\x7e]/.test(api);
		throw badReportName(shown ? `“${api}” is not a Wolkvox report name` : notShown);
	}
	return api;
}
