/** The parameters of the Wolkvox Billing node: which operation, which report, and the options. */
import type { INodeProperties } from 'n8n-workflow';

import { optionsProperty } from '../shared/options';
import { customReportProperty, reportProperty } from '../shared/reports';
import { DEFAULT_OPERATION } from './requests';
import { toolProperties } from './tool';

const operationProperty: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	default: DEFAULT_OPERATION,
	// As an AI tool, the model asks for token_usage by name among the reports.
	displayOptions: { hide: { '@tool': [true] } },
	options: [
		{
			name: 'Get Report',
			value: 'getReport',
			action: 'Get a billing report',
			description: 'Fetch a billing report for the current month, one item per row',
		},
		{
			name: 'Get Token Usage',
			value: 'getTokenUsage',
			action: 'Get token usage',
			description: 'Fetch the token’s daily limit, its uses today and the calls left today',
		},
	],
};

/** The report parameters, shown for Get Report only. */
const forReports = (property: INodeProperties): INodeProperties => ({
	...property,
	displayOptions: {
		...property.displayOptions,
		show: { ...property.displayOptions?.show, operation: ['getReport'] },
	},
});

export const billingProperties: INodeProperties[] = [
	...toolProperties,
	operationProperty,
	forReports(reportProperty),
	forReports(customReportProperty),
	optionsProperty,
];
