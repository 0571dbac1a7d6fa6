/**
 * The token's daily quota, as Wolkvox's `information.php?api=token_info` reports it: its limit,
 * its uses today, all the operation's tokens' uses today, and what is left. Every call of the
 * package spends one unit of it, this one included.
 */
import type { IDataObject } from 'n8n-workflow';

import { WolkvoxFailure } from './errors';
import { countOf } from './rows';

export const INFORMATION_PATH = '/api/v2/information.php';
export const TOKEN_INFO = 'token_info';

/** The name an AI tool's model uses for Get Token Usage, among the report names. */
export const TOKEN_USAGE = 'token_usage';

/** Wolkvox's count fields of token_info, read as numbers when they are numbers. */
const COUNT_FIELDS = [
	'token_limit',
	'token_use_today',
	'all_token_today',
	'available_consumption_options',
] as const;

/**
 * token_info's row as one item's JSON: Wolkvox's fields, counts as numbers (a blank or " "
 * placeholder stays text, never 0), and `calls_left_today`: the limit less this token's uses
 * today, as Wolkvox defines `available_consumption_options`, computed so that it is there even
 * when Wolkvox leaves that field blank; null when the counts it needs are not numbers.
 */
export function tokenUsageOf(rows: unknown[]): IDataObject {
	const [first] = rows;
	if (first === undefined) {
		throw new WolkvoxFailure('badEnvelope', { shape: 'the token information has no row' });
	}
	const usage: IDataObject = { ...(first as IDataObject) };
	for (const field of COUNT_FIELDS) {
		const count = countOf(usage[field]);
		if (count !== undefined) usage[field] = count;
	}
	const limit = countOf(usage.token_limit);
	const used = countOf(usage.token_use_today);
	usage.calls_left_today =
		limit !== undefined && used !== undefined
			? Math.max(0, limit - used)
			: (countOf(usage.available_consumption_options) ?? null);
	return usage;
}
