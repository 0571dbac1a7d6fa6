/** The parameters of the Wolkvox Billing Trigger: which report, and when to start the workflow. */
import type { INodeProperties } from 'n8n-workflow';

import { optionsProperty } from '../shared/options';
import { customReportProperty, reportProperty } from '../shared/reports';

export const triggerProperties: INodeProperties[] = [
	{
		displayName:
			'Wolkvox allows one call every 5 minutes, so poll every 5, 6, 10, 12, 15, 20 or 30 minutes or less often; each poll uses one call of the token’s daily quota.',
		name: 'cadenceNotice',
		type: 'notice',
		default: '',
	},
	reportProperty,
	customReportProperty,
	{
		displayName: 'Emit',
		name: 'emit',
		type: 'options',
		default: 'changes',
		description: 'Which rows start the workflow at each poll',
		options: [
			{
				name: 'Changes',
				value: 'changes',
				description:
					'Rows that are new, whose items changed (with the previous value and the difference), or that disappeared',
			},
			{
				name: 'Every Poll',
				value: 'everyPoll',
				description: 'All rows at every poll, like a scheduled fetch',
			},
			{
				name: 'Threshold Crossings',
				value: 'threshold',
				description: 'Rows whose items crossed a value since the last poll, once per crossing',
			},
		],
	},
	{
		displayName: 'Threshold',
		name: 'threshold',
		type: 'number',
		default: 0,
		required: true,
		description: 'The value of “items” to watch, e.g. 10000 IVR minutes',
		displayOptions: { show: { emit: ['threshold'] } },
	},
	{
		displayName: 'Direction',
		name: 'direction',
		type: 'options',
		default: 'up',
		displayOptions: { show: { emit: ['threshold'] } },
		options: [
			{ name: 'Upwards', value: 'up', description: 'From below the threshold to at or above it' },
			{
				name: 'Downwards',
				value: 'down',
				description: 'From at or above the threshold to below it',
			},
			{ name: 'Both Ways', value: 'both' },
		],
	},
	optionsProperty,
];
