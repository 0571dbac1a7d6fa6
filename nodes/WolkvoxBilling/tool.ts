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

/**
 * One report's rows as the model reads them: the report, the month and the operation once, then
 * each product and its count; beyond MAX_TOOL_ROWS rows, how many were left out.
 */
export function toolAnswer(report: string, rows: IDataObject[]): IDataObject {
	const answer: IDataObject = {
		report,
		month: monthOfRows(rows) ?? wolkvoxMonthNow(),
		operation: rows.length ? (rows[0].operation ?? null) : null,
		rowCount: rows.length,
		rows: rows
			.slice(0, MAX_TOOL_ROWS)
			.map((row) => ({ description: row.description ?? null, items: row.items ?? null })),
	};
	if (rows.length > MAX_TOOL_ROWS) answer.rowsOmitted = rows.length - MAX_TOOL_ROWS;
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
