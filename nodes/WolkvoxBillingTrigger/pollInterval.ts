/**
 * The trigger's Poll Times, read as a schedule: how close together polls can come. Wolkvox asks
 * for no more than one call every 5 minutes, and n8n's Poll Times default to every minute.
 */
import type { IDataObject, TriggerTime } from 'n8n-workflow';
import { toCronExpression } from 'n8n-workflow';

import { WolkvoxSetupError } from '../shared/setupError';

export const MIN_POLL_INTERVAL_SECONDS = 5 * 60;
const DAY = 24 * 60 * 60;
/** Every X minutes is cron's *\/X, which restarts at each full hour: only these stay even. */
const EVEN_MINUTE_STEPS = '5, 6, 10, 12, 15, 20 or 30';

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

interface CronTimes {
	/** Seconds of the day at which it fires. */
	points: number[];
	/** False when day, month or weekday fields make it skip days. */
	everyDay: boolean;
}

/**
 * Reads a cron expression (n8n's six fields, seconds first; five fields mean second 0).
 * Undefined when it cannot be read.
 */
export function readCron(expression: string): CronTimes | undefined {
	const fields = expression.trim().split(/\s+/);
	if (fields.length !== 6 && fields.length !== 5) return undefined;
	const [second, minute, hour, ...days] = fields.length === 6 ? fields : ['0', ...fields];
	const seconds = expandField(second, 0, 59);
	const minutes = expandField(minute, 0, 59);
	const hours = expandField(hour, 0, 23);
	if (!seconds || !minutes || !hours) return undefined;
	const points: number[] = [];
	for (const h of hours)
		for (const m of minutes) for (const s of seconds) points.push(h * 3600 + m * 60 + s);
	return { points, everyDay: days.every((field) => field === '*' || field === '?') };
}

/**
 * One Poll Times entry as cron. n8n adds a random second (and, for Every X hours, a random
 * minute) when it schedules; they are fixed at 0 here so the check gives the same answer every
 * time, for the times the user chose.
 */
function cronOf(entry: IDataObject): string {
	const expression = toCronExpression(entry as unknown as TriggerTime);
	if (entry.mode === 'custom') return expression;
	const fields = expression.split(' ');
	fields[0] = '0';
	if (entry.mode === 'everyX' && entry.unit === 'hours') fields[1] = '0';
	return fields.join(' ');
}

/** The shortest time between two of these seconds of the day, across midnight too. */
function shortestGap(points: Iterable<number>): number | undefined {
	const sorted = [...new Set(points)].sort((a, b) => a - b);
	if (sorted.length === 0) return undefined;
	let shortest = sorted[0] + DAY - sorted[sorted.length - 1];
	for (let i = 1; i < sorted.length; i++) shortest = Math.min(shortest, sorted[i] - sorted[i - 1]);
	return shortest;
}

export interface PollSchedule {
	/** The shortest time between two polls, in seconds (across midnight too). */
	shortestGap: number;
	/** Every X minutes with an X that does not divide 60, so the last gap of each hour is shorter. */
	unevenMinutes?: number;
}

/** The schedule of these Poll Times, or undefined when some entry cannot be read. */
export function pollSchedule(pollTimes: IDataObject): PollSchedule | undefined {
	const entries = (pollTimes.item as IDataObject[] | undefined) ?? [];
	const all: number[] = [];
	let unevenMinutes: number | undefined;
	for (const entry of entries) {
		const cron = readCron(cronOf(entry));
		if (!cron) return undefined;
		all.push(...cron.points);
		const value = Number(entry.value);
		if (entry.mode === 'everyX' && entry.unit === 'minutes' && 60 % value !== 0) {
			unevenMinutes = value;
		}
	}
	const gap = shortestGap(all);
	if (gap === undefined) return undefined;
	return unevenMinutes === undefined ? { shortestGap: gap } : { shortestGap: gap, unevenMinutes };
}

export function assertPollInterval(schedule: PollSchedule | undefined): void {
	if (!schedule || schedule.shortestGap >= MIN_POLL_INTERVAL_SECONDS) return;
	const gap = schedule.shortestGap;
	const every =
		gap < 60 ? `${gap} seconds` : `${Math.round(gap / 60)} minute${gap < 120 ? '' : 's'}`;
	const why =
		schedule.unevenMinutes === undefined
			? ''
			: ` (Every X of ${schedule.unevenMinutes} minutes starts again at each full hour, so the last poll of each hour comes closer to the next)`;
	throw new WolkvoxSetupError(
		'pollTooOften',
		`The Poll Times would call Wolkvox every ${every}${why}; Wolkvox allows one call every 5 minutes at most`,
		`Open Poll Times and choose Every X with ${EVEN_MINUTE_STEPS} minutes, Every Hour, Every Day, or a custom cron expression at least 5 minutes apart. Every poll also uses one call of the token’s daily quota.`,
	);
}
