/** The parameters of the Wolkvox Billing node: which report, and how to shape its rows. */
import type { INodeProperties } from 'n8n-workflow';

import { customReportProperty, reportProperty } from '../shared/reports';
import {
	DEFAULT_MAX_RETRY_WAIT_SECONDS,
	DEFAULT_RETRIES,
	DEFAULT_TIMEOUT_SECONDS,
} from '../shared/transport';

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
				displayName: 'Max Retry Wait (Seconds)',
				name: 'maxRetryWait',
				type: 'number',
				typeOptions: { minValue: 0, maxValue: 300 },
				default: DEFAULT_MAX_RETRY_WAIT_SECONDS,
				description:
					'The most time the retries may spend waiting between tries in all. Waits grow 1 s, 2 s, 4 s… with some randomness.',
			},
			{
				displayName: 'Retries',
				name: 'retries',
				type: 'number',
				typeOptions: { minValue: 0, maxValue: 10 },
				default: DEFAULT_RETRIES,
				description:
					'How many times to try again when the failure can pass by itself: the token busy in another app, Wolkvox maintenance, server or gateway errors, dropped connections, timeouts. A rejected token, a used-up quota or an unknown report is never retried. 0 turns retries off.',
			},
			{
				displayName: 'Timeout (Seconds)',
				name: 'timeout',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 600 },
				default: DEFAULT_TIMEOUT_SECONDS,
				description:
					'How long each try may take, including any wait for other calls on the same token (the node makes one call at a time per token). Wolkvox allows a call up to 60 seconds.',
			},
		],
	},
];
