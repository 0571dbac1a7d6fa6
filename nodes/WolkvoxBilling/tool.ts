/**
 * The node as an AI tool (n8n's "Wolkvox Billing Tool", under an AI Agent or an MCP Server
 * Trigger): what the model is told, the Report parameter the model fills, and the compact answer
 * it reads. In tool mode n8n runs the same execute, with the node type's name ending in "Tool".
 */
import type { IDataObject, INode, INodeProperties, INodePropertyOptions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { monthOfRows, wolkvoxMonthNow } from '../shared/calendar';
import { factsOf } from '../shared/errors';
import { reportProperty } from '../shared/reports';

/** The listed reports as a model reads them: `api_name (what it counts)`. */
const REPORTS = (reportProperty.options as INodePropertyOptions[])
	.filter((option) => option.value !== 'custom')
	.map(
		(option) =>
			`${String(option.value)} (${(option.description ?? '').replace(/ this month\b/, '')})`,
	)
	.join('; ');

const REPORT_NAMES = (reportProperty.options as INodePropertyOptions[])
	.map((option) => String(option.value))
	.filter((value) => value !== 'custom')
	.join(', ');

/** What the model is told about the tool, unless the user writes their own. */
export const TOOL_DESCRIPTION =
	'Wolkvox contact-center billing usage for the current month (Wolkvox’s month, Colombia time). ' +
	'For one report, returns its rows: each product ("description") with the amount in use ' +
	`("items"), with the report's name and the month. Reports: ${REPORTS}. ` +
	'Each call uses one call of the Wolkvox token’s daily quota: ask for each report once.';

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
		default: `={{ $fromAI('report', 'The API name of one Wolkvox billing report: ${REPORT_NAMES}', 'string') }}`,
		description: 'The API name of the report to fetch; by default the AI model chooses it',
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
 * One report's rows as the model reads them: the report, the month and the operation once, then
 * each product and its count, as many rows as fit in MAX_TOOL_ROWS and MAX_TOOL_ANSWER characters;
 * how many were left out.
 */
export function toolAnswer(report: string, rows: IDataObject[]): IDataObject {
	const answer: IDataObject = {
		report,
		month: monthOfRows(rows) ?? wolkvoxMonthNow(),
		operation: rows.length ? forModel(rows[0].operation) : null,
		rowCount: rows.length,
	};
	// The room left for rows once the rest is written, a little kept for `rowsOmitted`.
	let room = MAX_TOOL_ANSWER - JSON.stringify(answer).length - 40;
	const listed: IDataObject[] = [];
	for (const row of rows) {
		if (listed.length === MAX_TOOL_ROWS) break;
		const shown = { description: forModel(row.description), items: forModel(row.items) };
		room -= JSON.stringify(shown).length + 1;
		if (room < 0) break;
		listed.push(shown);
	}
	answer.rows = listed;
	if (rows.length > listed.length) answer.rowsOmitted = rows.length - listed.length;
	return answer;
}

/**
 * The error as the model reads it. An AI Agent passes the model only an error's message, so a
 * report name the model got wrong comes back with the names it can use.
 */
export function errorForModel<E extends Error>(node: INode, error: E): E | NodeOperationError {
	const { kind } = factsOf(error);
	if (kind !== 'unknownReport' && kind !== 'badReportName') return error;
	const shown = new NodeOperationError(
		node,
		`${error.message}. Use one of these report names: ${REPORT_NAMES}`,
		{ description: (error as { description?: string }).description ?? undefined },
	);
	Object.assign(shown.context, (error as { context?: object }).context);
	return shown;
}
