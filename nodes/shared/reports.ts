/**
 * The catalogue of Wolkvox billing reports: one option per `api=` value of
 * `GET /api/v2/billing.php`, the 27 of Wolkvox's own published collection ("wolkvox APIs",
 * folder Facturación). It is written as the Report parameter itself, so that the action node, the
 * trigger and the AI tool show the same list and n8n's lint can check it. A new report is one
 * entry here (and one in LEVELS if it counts something held rather than used).
 */
import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { WolkvoxSetupError } from './setupError';
import type { SecretGuard } from './secret';

/** Where every billing report is served, as `?api=<report>`. */
export const BILLING_PATH = '/api/v2/billing.php';

/** The value of the Report parameter that switches to a typed-in report name. */
export const CUSTOM_REPORT = 'custom';

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
			name: 'Amazon S3 Storage',
			value: 'amazon_s3',
			description: 'Licenses enabled for external recording storage on Amazon S3 this month',
		},
		{
			name: 'ASR Plays',
			value: 'asr_calls',
			description: 'Speech-recognition (ASR) plays this month',
		},
		{ name: 'Chat Licenses', value: 'chat_licenses', description: 'Chat licenses this month' },
		{
			name: 'Contact Center Licenses',
			value: 'contact_center_licenses',
			description: 'Active contact-center licenses this month',
		},
		{
			name: 'Gamification',
			value: 'gamification',
			description: 'Active gamification licenses this month',
		},
		{
			name: 'Intelligent Dial',
			value: 'intelligent_dial',
			description: 'Active intelligent-dialing licenses this month',
		},
		{
			name: 'Interaction Licenses',
			value: 'interaction_licenses',
			description: 'Interaction licenses this month',
		},
		{ name: 'IVR Calls', value: 'ivr_calls', description: 'IVR calls this month' },
		{ name: 'IVR Minutes', value: 'ivr_minutes', description: 'IVR minutes consumed this month' },
		{
			name: 'IVR Recordings',
			value: 'rec_minutes',
			description: 'IVR recording storage and minutes this month',
		},
		{
			name: 'NLP',
			value: 'nlp_ai',
			description: 'NLP (natural-language processing) use this month',
		},
		{
			name: 'Omnichannel Interactions',
			value: 'interactions',
			description: 'Omnichannel interactions (mail, Facebook, Twitter) this month',
		},
		{
			name: 'Other (Enter Name)',
			// Written out, not CUSTOM_REPORT: n8n's lint reads this list as written to check its order.
			value: 'custom',
			description: 'A billing report not in this list, by its API name',
		},
		{ name: 'PBX Licenses', value: 'pbx_licenses', description: 'Active PBX licenses this month' },
		{
			name: 'RSYNC S3 MP3 Copies',
			value: 'rsync_s3_mp3',
			description: 'Audio files copied to the integrated Amazon S3 service this month',
		},
		{
			name: 'RSYNC Storage',
			value: 'rsync',
			description: 'Licenses enabled for external recording storage by rsync this month',
		},
		{
			name: 'Screen Recording',
			value: 'rec_screen',
			description: 'Screen-recording time and share of calls recorded this month',
		},
		{
			name: 'Screen Recording On Demand',
			value: 'rec_screen_on_demand',
			description: 'On-demand screen-recording time this month',
		},
		{
			name: 'Sentiment Analysis',
			value: 'sentiment_analysis',
			description: 'Sentiment analyses performed this month',
		},
		{
			name: 'Speech Analytics',
			value: 'speech_analytics',
			description: 'On-demand speech-analysis time this month',
		},
		{
			name: 'Stereo Recording',
			value: 'stereo_rec',
			description: 'Stereo-recording minutes this month',
		},
		{
			name: 'Text-to-Speech Characters',
			value: 'tts_chars',
			description: 'Text-to-speech (TTS) characters this month',
		},
		{
			name: 'Video Calls',
			value: 'video_call',
			description: 'Active video-call licenses this month',
		},
		{
			name: 'Vision Component',
			value: 'vision',
			description: 'Uses of wolkvox Studio’s Vision component (AI image reading) this month',
		},
		{
			name: 'WhatsApp Connectors',
			value: 'wp_connectors',
			description: 'Active WhatsApp (mobile) connectors this month',
		},
		{
			name: 'WhatsApp Official Connectors',
			value: 'wp_connectors_official',
			description: 'Active official WhatsApp Business connectors this month',
		},
	],
};

/** The listed reports (Other left out), as the editor shows them. */
export const LISTED_REPORTS: readonly INodePropertyOptions[] = (
	reportProperty.options as INodePropertyOptions[]
).filter((option) => option.value !== CUSTOM_REPORT);

/**
 * What a report counts. Consumption (minutes, calls, characters, analyses) starts each month at
 * zero and only grows; a level (licenses, connectors, storage enabled) is what is held, and may go
 * up or down. These reports are levels; every other one, a typed-in name included, consumption.
 */
const LEVELS: ReadonlySet<string> = new Set([
	'agent_script',
	'amazon_s3',
	'chat_licenses',
	'contact_center_licenses',
	'gamification',
	'intelligent_dial',
	'interaction_licenses',
	'pbx_licenses',
	'rsync',
	'video_call',
	'wp_connectors',
	'wp_connectors_official',
]);

export type ReportKind = 'consumption' | 'level';

export function reportKind(api: string): ReportKind {
	return LEVELS.has(api) ? 'level' : 'consumption';
}

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
	displayOptions: { show: { report: [CUSTOM_REPORT] } },
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
 * "Other". `guard` knows the credential's token, which a typed-in name must not resemble. The
 * length is checked first: the name may come from a webhook or a model, and be megabytes long.
 */
export function resolveReportName(
	report: unknown,
	customReport: unknown,
	guard: SecretGuard,
): string {
	const chosen = typeof report === 'string' ? report.trim() : '';
	const typed = typeof customReport === 'string' ? customReport.trim() : '';
	const api = chosen === CUSTOM_REPORT ? typed : chosen;
	const notShown = `The report name given (${api.length} characters, not shown in case it is a secret) is not a Wolkvox report name`;
	if (api === '') throw badReportName('No report name given');
	if (api.length > MAX_REPORT_NAME_LENGTH) throw badReportName(notShown);
	const secretLike = guard.mayReveal(api);
	if (!REPORT_NAME.test(api) || secretLike) {
		const shown = api.length <= 40 && !secretLike && !/[^\x20-\x7e]/.test(api);
		throw badReportName(shown ? `“${api}” is not a Wolkvox report name` : notShown);
	}
	return api;
}
