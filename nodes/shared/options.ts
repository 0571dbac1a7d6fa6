/** Options both Wolkvox nodes offer, and how they become a call's settings. */
import type { INodeProperties } from 'n8n-workflow';

import {
	DEFAULT_MAX_RETRY_WAIT_SECONDS,
	DEFAULT_RETRIES,
	DEFAULT_TIMEOUT_SECONDS,
	type WolkvoxCall,
} from './transport';

export interface WolkvoxOptions {
	keepItemsAsText?: boolean;
	timeout?: number;
	retries?: number;
	maxRetryWait?: number;
}

const keepItemsAsTextOption: INodeProperties = {
	displayName: 'Keep Items as Text',
	name: 'keepItemsAsText',
	type: 'boolean',
	default: false,
	description:
		'Whether to keep “items” as the text Wolkvox sends (e.g. "12") instead of converting it to a number',
};

/** Retries, Max Retry Wait and Timeout, in the alphabetical order n8n's UI rules ask for. */
export const requestOptions: INodeProperties[] = [
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
];

export function callSettings(
	options: WolkvoxOptions,
): Pick<WolkvoxCall, 'timeoutSeconds' | 'retries' | 'maxRetryWaitSeconds'> {
	return {
		timeoutSeconds: options.timeout,
		retries: options.retries,
		maxRetryWaitSeconds: options.maxRetryWait,
	};
}

/** The Options collection both nodes show. */
export const optionsProperty: INodeProperties = {
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add option',
	default: {},
	options: [keepItemsAsTextOption, ...requestOptions],
};
