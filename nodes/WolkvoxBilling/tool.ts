/**
 * The node as an AI tool (n8n's "Wolkvox Billing Tool", under an AI Agent or an MCP Server
 * Trigger): what the model is told, the report names the model fills in, and the compact answers
 * it reads. In tool mode n8n runs the same execute, with the node type's name ending in "Tool".
 */
import type { IDataObject, IExecuteFunctions, INode, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { monthOfRows, wolkvoxMonthNow } from '../shared/calendar';
import { asNodeError, factsOf, withFactsOf } from '../shared/errors';
import { LISTED_REPORTS, MAX_REPORT_NAME_LENGTH, reportKind } from '../shared/reports';
import { shapeRow } from '../shared/rows';
import type { SecretGuard } from '../shared/secret';
import { WolkvoxSetupError } from '../shared/setupError';
import { TOKEN_USAGE, tokenUsageOf } from '../shared/tokenUsage';
import { requestForName, type SharedCalls } from './requests';

export { TOKEN_USAGE };

/** A few words for the names a model could not guess the meaning of; the others say it. */
const GLOSSES: Readonly<Record<string, string>> = {
	amazon_s3: 'S3 storage',
	amd_ai: 'answering-machine detections',
	asr_calls: 'speech recognition',
	interactions: 'omnichannel',
	rec_minutes: 'IVR recordings',
	rsync: 'rsync storage',
	rsync_s3_mp3: 'audio copied to S3',
	tts_chars: 'text-to-speech',
	vision: 'AI image reading',
};

const named = (api: string) => (GLOSSES[api] ? `${api} (${GLOSSES[api]})` : api);
const REPORT_APIS = LISTED_REPORTS.map((option) => String(option.value)).sort();
const namesOf = (kind: 'level' | 'consumption') =>
	REPORT_APIS.filter((api) => reportKind(api) === kind)
		.map(named)
		.join(', ');

/** Every name the model may use, for error messages. */
const ALL_NAMES = [...REPORT_APIS, TOKEN_USAGE].join(', ');

/** What the model is told about the tool, unless the user writes their own. */
export const TOOL_DESCRIPTION =
	'Wolkvox contact-center billing for the current month (Wolkvox’s month, Colombia time). ' +
	'Give one or more report names, comma-separated; for each, returns its rows: each product ' +
	'("description") with its amount ("items"). ' +
	`Licenses and connectors held: ${namesOf('level')}. ` +
	`Usage this month: ${namesOf('consumption')}. ` +
	`${TOKEN_USAGE}: the token’s daily call limit and the calls left today. ` +
	'Each name uses one call of the token’s daily quota: ask only for what you need.';

/** The most rows a model gets from one call; the rest are counted, not listed. */
export const MAX_TOOL_ROWS = 100;

/** The longest text of one field a model reads; longer texts are cut, saying how long they were. */
export const MAX_TOOL_FIELD = 200;

/**
 * The most characters of JSON one answer gives the model (about 4,000 tokens): a model's context
 * is small and costly, and one answer must not fill it. Rows that do not fit are counted instead.
 */
export const MAX_TOOL_ANSWER = 16_000;

/** Parameters only the tool shows: what the model is told, and the report it chooses. */
export const toolProperties: INodeProperties[] = [
	{
		displayName: 'Tool Description',
		name: 'toolDescription',
		type: 'string',
		typeOptions: { rows: 6 },
		default: TOOL_DESCRIPTION,
		description: 'What the AI model is told about this tool',
		displayOptions: { show: { '@tool': [true] } },
	},
	{
		displayName: 'Report',
		name: 'report',
		type: 'string',
		default: `={{ $fromAI('reports', 'One or more names, comma-separated: ${ALL_NAMES}', 'string') }}`,
		description:
			'The API names of the reports to fetch, comma-separated (token_usage for the token’s quota); by default the AI model chooses them',
		displayOptions: { show: { '@tool': [true] } },
	},
];

export function isToolMode(node: INode): boolean {
	return node.type.endsWith('Tool');
}

/** A field as the model reads it: texts cut at MAX_TOOL_FIELD characters. */
function forModel(value: unknown): IDataObject[string] {
	if (value === undefined || value === null) return null;
	if (typeof value === 'number' || typeof value === 'boolean') return value;
	const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
	return text.length <= MAX_TOOL_FIELD
		? text
		: `${text.slice(0, MAX_TOOL_FIELD)}… (${text.length} characters)`;
}

/**
 * One report's rows (as Wolkvox sent them) as the model reads them: the report, the month and the
 * operation once, then each product and its count, as many rows as fit in MAX_TOOL_ROWS and
 * `budget` characters of JSON; how many were left out. Only the rows listed are shaped: an
 * answer may hold 100,000.
 */
export function toolAnswer(
	report: string,
	rows: IDataObject[],
	budget = MAX_TOOL_ANSWER,
): IDataObject {
	const answer: IDataObject = {
		report,
		month: monthOfRows(rows) ?? wolkvoxMonthNow(),
		operation: rows.length ? forModel(rows[0].operation) : null,
		rowCount: rows.length,
	};
	// The room left for rows once the rest is written, a little kept for `rowsOmitted`.
	let room = budget - JSON.stringify(answer).length - 40;
	const listed: IDataObject[] = [];
	for (const raw of rows) {
		if (listed.length === MAX_TOOL_ROWS) break;
		const row = shapeRow(report, raw);
		const shown = { description: forModel(row.description), items: forModel(row.items) };
		room -= JSON.stringify(shown).length + 1;
		if (room < 0) break;
		listed.push(shown);
	}
	answer.rows = listed;
	if (rows.length > listed.length) answer.rowsOmitted = rows.length - listed.length;
	return answer;
}

/** The token's quota as the model reads it (from Get Token Usage's item). */
export function toolTokenUsage(usage: IDataObject): IDataObject {
	return {
		report: TOKEN_USAGE,
		dailyLimit: forModel(usage.token_limit),
		usedToday: forModel(usage.token_use_today),
		allTokensUsedToday: forModel(usage.all_token_today),
		callsLeftToday: forModel(usage.calls_left_today),
	};
}

/** At most every report and token_usage once, in one tool call. */
export const MAX_TOOL_NAMES = LISTED_REPORTS.length + 1;

/**
 * The names a model asked for: one or more, separated by commas (or semicolons), each once,
 * in the order given. The text is bounded before it is split: it comes from a model.
 */
export function toolNames(value: unknown): string[] {
	const text = typeof value === 'string' ? value : '';
	const fix =
		'Give one or more report names, comma-separated, such as: agent_script, ivr_minutes, token_usage.';
	if (text.length > MAX_TOOL_NAMES * (MAX_REPORT_NAME_LENGTH + 2)) {
		throw new WolkvoxSetupError(
			'badReportName',
			`The report names given are too long (${text.length} characters)`,
			fix,
		);
	}
	const names = [
		...new Set(
			text
				.split(/[,;\n]/)
				.map((name) => name.trim())
				.filter((name) => name !== ''),
		),
	];
	if (names.length > MAX_TOOL_NAMES) {
		throw new WolkvoxSetupError(
			'badReportName',
			`${names.length} report names were given; at most ${MAX_TOOL_NAMES} are asked at once`,
			fix,
		);
	}
	return names.length ? names : [''];
}

/** How many characters of JSON each of `count` answers may take, so that all fit together. */
export const budgetFor = (count: number) => Math.floor(MAX_TOOL_ANSWER / Math.max(1, count));

/** Failures that concern one name only: the others' answers are still given. */
export function concernsOneName(error: unknown): boolean {
	const { kind } = factsOf(error);
	return kind === 'unknownReport' || kind === 'badReportName' || kind === 'missingParameters';
}

/**
 * The error as the model reads it. An AI Agent passes the model only an error's message, so a
 * report name the model got wrong comes back with the names it can use.
 */
export function errorForModel<E extends Error>(node: INode, error: E): E | NodeOperationError {
	if (!concernsOneName(error)) return error;
	const shown = new NodeOperationError(
		node,
		`${error.message}. Use one of these report names: ${ALL_NAMES}`,
		{ description: (error as { description?: string }).description },
	);
	return withFactsOf(shown, error);
}

/** One name's answer, as the model reads it. */
async function answerFor(
	calls: SharedCalls,
	request: ReturnType<typeof requestForName>,
	budget: number,
): Promise<IDataObject> {
	const { rows } = await calls.rows(request);
	if (request.kind === 'tokenUsage') return toolTokenUsage(tokenUsageOf(rows));
	// readAnswer checked that every row is an object.
	return toolAnswer(request.api, rows as IDataObject[], budget);
}

/**
 * A tool call: every name the model gave, each one call to Wolkvox, one after the other, as one
 * compact answer (or, for several names, one answer each, within one budget). A name that is
 * wrong gives its own error entry when other names were given too; anything else fails the call.
 */
export async function toolItemFor(
	context: IExecuteFunctions,
	calls: SharedCalls,
	itemIndex: number,
	guard: SecretGuard,
): Promise<IDataObject> {
	const node = context.getNode();
	const names = toolNames(context.getNodeParameter('report', itemIndex, ''));
	const budget = budgetFor(names.length);
	const answers: IDataObject[] = [];
	for (const name of names) {
		try {
			const request = requestForName(name, context, itemIndex, guard);
			answers.push(await answerFor(calls, request, budget));
		} catch (caught) {
			const error = asNodeError(node, caught, { itemIndex, guard });
			if (names.length === 1 || !concernsOneName(error)) throw error;
			// A name refused as no report name is not repeated: it may be anything, the token too.
			const named = factsOf(error).kind === 'badReportName' ? {} : { report: name };
			answers.push({ ...named, error: errorForModel(node, error).message });
		}
	}
	return names.length === 1 ? answers[0] : { answers };
}
