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
		// Shown as n8n's triggers name it; stored as `emit`, as saved workflows hold it.
		displayName: 'Trigger On',
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
				name: 'Forecast Crossings',
				value: 'forecast',
				description:
					'Rows whose items is projected to reach Threshold by the month’s end, once a month',
			},
			{
				name: 'Month Closed',
				value: 'monthClosed',
				description:
					'The last rows read of a month, on the first poll of the next (Wolkvox keeps the current month only)',
			},
			{
				name: 'Threshold Crossings',
				value: 'threshold',
				description: 'Rows whose items crossed a value since the last poll, once per crossing',
			},
		],
	},
	{
		displayName:
			'The counts are as last read: the closer the polls, the closer to the month’s end. After a restart of n8n, the last rows n8n stored are used (see the docs).',
		name: 'monthClosedNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { emit: ['monthClosed'] } },
	},
	{
		displayName: 'Threshold',
		name: 'threshold',
		type: 'number',
		default: 0,
		required: true,
		description: 'The value of “items” to watch, e.g. 10000 IVR minutes',
		displayOptions: { show: { emit: ['threshold', 'forecast'] } },
	},
	{
		displayName: 'Direction',
		name: 'direction',
		type: 'options',
		default: 'up',
		displayOptions: { show: { emit: ['threshold'] } },
		options: [
			{ name: 'Both Ways', value: 'both' },
			{
				name: 'Downwards',
				value: 'down',
				description: 'From at or above the threshold to below it',
			},
			{ name: 'Upwards', value: 'up', description: 'From below the threshold to at or above it' },
		],
	},
	optionsProperty,
];
