/** Options both Wolkvox nodes offer, and how they become a call's settings. */
import type { INodeProperties } from 'n8n-workflow';

import { WolkvoxSetupError } from './setupError';
import type { SecretGuard } from './secret';
import {
	DEFAULT_MAX_RETRY_WAIT_SECONDS,
	DEFAULT_RETRIES,
	DEFAULT_TIMEOUT_SECONDS,
	type WolkvoxCall,
} from './call';

export interface WolkvoxOptions {
	keepItemsAsText?: boolean;
	timeout?: unknown;
	retries?: unknown;
	maxRetryWait?: unknown;
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
const requestOptions: INodeProperties[] = [
	{
		displayName: 'Max Retry Wait (Seconds)',
		name: 'maxRetryWait',
		type: 'number',
		typeOptions: { minValue: 0, maxValue: 300 },
		default: DEFAULT_MAX_RETRY_WAIT_SECONDS,
		description: 'The most that all waits between tries may add up to',
	},
	{
		displayName: 'Retries',
		name: 'retries',
		type: 'number',
		typeOptions: { minValue: 0, maxValue: 10 },
		default: DEFAULT_RETRIES,
		description:
			'How many times to try again after a failure that can pass by itself (never after a rejected token, a used-up quota or an unknown report)',
	},
	{
		displayName: 'Timeout (Seconds)',
		name: 'timeout',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: 600 },
		default: DEFAULT_TIMEOUT_SECONDS,
		description:
			'How long each try may take, from waiting for other calls on the same token to the last byte of the answer',
	},
];

interface Range {
	name: string;
	min: number;
	max: number;
	whole?: boolean;
	unit: string;
}

/** A value for a message: plain values as they are, anything else by its type (its String() may throw). */
const shownValue = (value: unknown) =>
	value === null || ['number', 'string', 'boolean', 'undefined'].includes(typeof value)
		? String(value)
		: `${typeof value === 'object' ? 'an' : 'a'} ${typeof value}`;

/**
 * An option's value, checked: options set by expression can be anything, and NaN, Infinity or a
 * negative Timeout would mean no timeout at all, or a message that makes no sense.
 */
function checked(value: unknown, range: Range, guard: SecretGuard): number | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	const number =
		typeof value === 'number'
			? value
			: typeof value === 'string' && value.length <= 40 && /^\s*-?\d+(?:\.\d+)?\s*$/.test(value)
				? Number(value)
				: NaN;
	const ok =
		Number.isFinite(number) &&
		number >= range.min &&
		number <= range.max &&
		(!range.whole || Number.isInteger(number));
	if (ok) return number;
	throw new WolkvoxSetupError(
		'badOption',
		`The ${range.name} option must be ${range.whole ? 'a whole number' : 'a number'} of ${range.unit} from ${range.min} to ${range.max}${guard.quoted(shownValue(value), 20).replace(/^:/, ', not')}`,
		`Open the node’s Options and set ${range.name} to a value from ${range.min} to ${range.max}. If it comes from an expression, check what the expression returns.`,
	);
}

/** The call settings the options ask for; refused, naming the option, when one is out of range. */
export function callSettings(
	options: WolkvoxOptions,
	guard: SecretGuard,
): Pick<WolkvoxCall, 'timeoutSeconds' | 'retries' | 'maxRetryWaitSeconds'> {
	return {
		timeoutSeconds: checked(
			options.timeout,
			{ name: 'Timeout', min: 1, max: 600, unit: 'seconds' },
			guard,
		),
		retries: checked(
			options.retries,
			{ name: 'Retries', min: 0, max: 10, whole: true, unit: 'tries' },
			guard,
		),
		maxRetryWaitSeconds: checked(
			options.maxRetryWait,
			{ name: 'Max Retry Wait', min: 0, max: 300, unit: 'seconds' },
			guard,
		),
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
