/** The parameters of the Wolkvox Billing node: which report, and how to shape its rows. */
import type { INodeProperties } from 'n8n-workflow';

import { customReportProperty, reportProperty } from '../shared/reports';
import { DEFAULT_TIMEOUT_SECONDS } from '../shared/transport';

export const billingProperties: INodeProperties[] = [
	reportProperty,
	customReportProperty,
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [
			{
				displayName: 'Keep Items as Text',
				name: 'keepItemsAsText',
				type: 'boolean',
				default: false,
				description:
					'Whether to keep “items” as the text Wolkvox sends (e.g. "12") instead of converting it to a number',
			},
			{
				displayName: 'Timeout (Seconds)',
				name: 'timeout',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 600 },
				default: DEFAULT_TIMEOUT_SECONDS,
				description: 'How long to wait for Wolkvox’s answer. Wolkvox allows a call up to 60 seconds.',
			},
		],
	},
];
