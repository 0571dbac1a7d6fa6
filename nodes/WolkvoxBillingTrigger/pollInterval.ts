/**
 * Wolkvox asks for no more than one call every 5 minutes. n8n's Poll Times default to every
 * minute, so the trigger checks the schedule it is given and refuses anything faster.
 */
import type { IDataObject, INode, TriggerTime } from 'n8n-workflow';
import { NodeOperationError, toCronExpression } from 'n8n-workflow';

export const MIN_POLL_INTERVAL_SECONDS = 5 * 60;
const DAY_SECONDS = 24 * 60 * 60;

/** Expands one cron field (`*`, `5`, `1-5`, `*\/15`, `10/20`, lists) into its values. */
function expandField(field: string, low: number, high: number): number[] | undefined {
	const values = new Set<number>();
	for (const part of field.split(',')) {
		const match = /^(\*|\d+)(?:-(\d+))?(?:\/(\d+))?$/.exec(part);
		if (!match) return undefined;
		const [, from, to, stepText] = match;
		const start = from === '*' ? low : Number(from);
		const end =
			from === '*' || (to === undefined && stepText !== undefined) ? high : Number(to ?? from);
		const step = stepText === undefined ? 1 : Number(stepText);
		if (start < low || end > high || start > end || step < 1) return undefined;
		for (let value = start; value <= end; value += step) values.add(value);
	}
	return [...values];
}

/**
 * The seconds of the day at which a cron expression (n8n's six fields, seconds first; five
 * fields mean second 0) fires. Day, month and weekday fields are ignored: they only make polls
 * rarer, never closer together. Undefined when the expression cannot be read.
 */
export function firingSecondsOfDay(expression: string): number[] | undefined {
	const fields = expression.trim().split(/\s+/);
	const timeFields =
		fields.length === 6
			? fields.slice(0, 3)
			: fields.length === 5
				? ['0', ...fields.slice(0, 2)]
				: undefined;
	if (!timeFields) return undefined;
	const [seconds, minutes, hours] = [
		expandField(timeFields[0], 0, 59),
		expandField(timeFields[1], 0, 59),
		expandField(timeFields[2], 0, 23),
	];
	if (!seconds || !minutes || !hours) return undefined;
	const points: number[] = [];
	for (const hour of hours) {
		for (const minute of minutes) {
			for (const second of seconds) points.push(hour * 3600 + minute * 60 + second);
		}
	}
	return points;
}

/**
 * The shortest time between two polls of these Poll Times, in seconds (across midnight too,
 * as if every day polled). Undefined when some entry cannot be read.
 */
export function shortestPollGap(pollTimes: IDataObject): number | undefined {
	const entries = (pollTimes.item as IDataObject[] | undefined) ?? [];
	const points = new Set<number>();
	for (const entry of entries) {
		const firing = firingSecondsOfDay(toCronExpression(entry as unknown as TriggerTime));
		if (!firing) return undefined;
		for (const point of firing) points.add(point);
	}
	const sorted = [...points].sort((a, b) => a - b);
	if (sorted.length === 0) return undefined;
	let gap = sorted[0] + DAY_SECONDS - sorted[sorted.length - 1];
	for (let i = 1; i < sorted.length; i++) gap = Math.min(gap, sorted[i] - sorted[i - 1]);
	return gap;
}

export function assertPollInterval(node: INode, pollTimes: IDataObject): void {
	const gap = shortestPollGap(pollTimes);
	if (gap === undefined || gap >= MIN_POLL_INTERVAL_SECONDS) return;
	const every =
		gap < 60 ? `${gap} seconds` : `${Math.round(gap / 60)} minute${gap < 120 ? '' : 's'}`;
	throw new NodeOperationError(
		node,
		`The Poll Times would call Wolkvox every ${every}; Wolkvox allows one call every 5 minutes at most`,
		{
			description:
				'Open Poll Times and choose Every X with 5 minutes or more, Every Hour, Every Day, or a custom cron expression at least 5 minutes apart. Every poll also uses one call of the token’s daily quota.',
		},
	);
}
