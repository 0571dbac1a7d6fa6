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

/**
 * The presets and names n8n's cron library (`cron` 4) reads, the way it reads them: the whole
 * expression in lower case, a preset in place of the expression, and every run of up to three
 * letters anywhere taken as a month or weekday name, so `0 *\/JAN * * * *` fires every minute.
 */
const PRESETS: Readonly<Record<string, string>> = {
	'@yearly': '0 0 0 1 1 *',
	'@annually': '0 0 0 1 1 *',
	'@monthly': '0 0 0 1 * *',
	'@weekly': '0 0 0 * * 0',
	'@daily': '0 0 0 * * *',
	'@midnight': '0 0 0 * * *',
	'@hourly': '0 0 * * * *',
	'@minutely': '0 * * * * *',
	'@secondly': '* * * * * *',
	'@weekdays': '0 0 0 * * 1-5',
	'@weekends': '0 0 0 * * 0,6',
};
const NAMES: Readonly<Record<string, number>> = {
	jan: 1,
	feb: 2,
	mar: 3,
	apr: 4,
	may: 5,
	jun: 6,
	jul: 7,
	aug: 8,
	sep: 9,
	oct: 10,
	nov: 11,
	dec: 12,
	sun: 0,
	mon: 1,
	tue: 2,
	wed: 3,
	thu: 4,
	fri: 5,
	sat: 6,
};

/** Longer than any cron expression a person writes; a longer one is not read, and is refused. */
const MAX_CRON_LENGTH = 200;

/** The expression with presets and names replaced by numbers; undefined when a name is unknown. */
function withoutNames(expression: string): string | undefined {
	const lower = expression.trim().toLowerCase();
	let unknown = false;
	const numeric = (PRESETS[lower] ?? lower).replace(/[a-z]{1,3}/g, (name) => {
		if (Object.prototype.hasOwnProperty.call(NAMES, name)) return String(NAMES[name]);
		unknown = true;
		return name;
	});
	return unknown ? undefined : numeric;
}

interface CronTimes {
	/** Seconds of the day at which it fires. */
	points: number[];
	/** False when day, month or weekday fields make it skip days. */
	everyDay: boolean;
}

/**
 * Reads a cron expression (n8n's six fields, seconds first; five fields mean second 0; presets
 * and names as n8n's cron library reads them). Undefined when it cannot be read.
 */
export function readCron(expression: string): CronTimes | undefined {
	if (expression.length > MAX_CRON_LENGTH) return undefined;
	const numeric = withoutNames(expression);
	if (numeric === undefined) return undefined;
	const fields = numeric.split(/\s+/);
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

export type PollSchedule =
	| {
			/** The shortest time between two polls, in seconds (across midnight too). */
			shortestGap: number;
			/** Every X minutes with an X that does not divide 60: the last gap of each hour is shorter. */
			unevenMinutes?: number;
	  }
	| {
			/** An entry whose times could not be read, so the gap between polls is not known. */
			unreadable: true;
			shortestGap?: undefined;
	  };

/**
 * The schedule of these Poll Times; undefined when there are none. An entry that cannot be read
 * makes the schedule unreadable, which is refused: what cannot be read may poll every second.
 */
export function pollSchedule(pollTimes: IDataObject): PollSchedule | undefined {
	const entries = (pollTimes.item as IDataObject[] | undefined) ?? [];
	const all: number[] = [];
	let unevenMinutes: number | undefined;
	for (const entry of entries) {
		let cron: CronTimes | undefined;
		try {
			cron = readCron(cronOf(entry));
		} catch {
			cron = undefined;
		}
		if (!cron) return { unreadable: true };
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

const FIX_POLL_TIMES = `Open Poll Times and choose Every X with ${EVEN_MINUTE_STEPS} minutes, Every Hour, Every Day, or a custom cron expression at least 5 minutes apart. Every poll also uses one call of the token’s daily quota.`;

export function assertPollInterval(schedule: PollSchedule | undefined): void {
	if (!schedule) return;
	if ('unreadable' in schedule) {
		throw new WolkvoxSetupError(
			'pollTooOften',
			'The Poll Times hold a cron expression this node cannot read, so it cannot check that polls are at least 5 minutes apart',
			`Write the cron expression with five or six fields of numbers (such as 0 */15 * * * *), or a preset such as @hourly. ${FIX_POLL_TIMES}`,
		);
	}
	if (schedule.shortestGap >= MIN_POLL_INTERVAL_SECONDS) return;
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
		FIX_POLL_TIMES,
	);
}
