/**
 * What a poll emits and what the trigger remembers, as a pure function of what was stored, the
 * rows just read, the settings and the time: no n8n, no clock of its own. The poll fetches,
 * decides here and saves.
 *
 * Each month of Wolkvox's starts with a silent baseline (for Changes and Threshold Crossings), so
 * a count above its threshold does not alert again every month. Month Closed emits the last rows
 * of a month on the first poll that sees the next one; Forecast Crossings emits a row once a
 * month, when its projected month-end value reaches Threshold.
 */
import type { IDataObject } from 'n8n-workflow';

import { monthBounds, monthOfRows, wolkvoxIso, wolkvoxMonthAt } from '../shared/calendar';
import type { ReportKind } from '../shared/reports';
import { measureOf } from '../shared/rows';
import {
	detectChanges,
	detectCrossings,
	rowKeys,
	snapshot,
	type Direction,
	type Snapshot,
} from './changes';
import { forecastOf, withSample, type Forecast, type Sample } from './forecast';
import type { TriggerState } from './state';

export type Emit = 'changes' | 'everyPoll' | 'forecast' | 'monthClosed' | 'threshold';

export interface DecideSettings {
	api: string;
	emit: Emit;
	threshold: number;
	direction: Direction;
	/** Consumption or level, from the catalogue (a typed-in report is consumption). */
	kind: ReportKind;
	/** Where the rows come from (server and credential): another source starts a new baseline. */
	source: string;
}

export interface PollInput {
	/** What the trigger remembers (n8n's stored state, or this process's later copy). */
	state: TriggerState;
	/** This poll's rows, shaped as the node outputs them. */
	rows: IDataObject[];
	settings: DecideSettings;
	/** When the rows were read (ms); Wolkvox's own time of the query when its rows carry one. */
	now: number;
	/** The first poll after the user turned the workflow on: it records, and compares nothing. */
	firstAfterActivation: boolean;
}

export interface Decision {
	emit: IDataObject[];
	/** What to remember; undefined to leave the state as it was. */
	next?: TriggerState;
	/** For the debug log. */
	summary: string;
	/** Rows whose count is no number, for a warning (Threshold and Forecast Crossings only). */
	unreadable: number;
}

/** The settings a snapshot was taken with: other settings start a new baseline. */
export function signatureOf(settings: DecideSettings): string {
	const { api, emit, threshold, direction } = settings;
	return JSON.stringify([api, emit, threshold, direction]);
}

/**
 * The fields Month Closed adds to a row: the month, when its rows were read (`lastReadAt` as
 * written, `readAt` in ms, NaN when unknown) and how long before the month's end.
 */
export function monthClosedFields(
	month: string,
	lastReadAt: string | null,
	readAt: number,
): IDataObject {
	const { end } = monthBounds(month);
	return {
		month,
		lastReadAt,
		monthEnd: wolkvoxIso(end),
		minutesBeforeMonthEnd: Number.isFinite(readAt)
			? Math.max(0, Math.round((end - readAt) / 60_000))
			: null,
	};
}

/** The month's last rows, as Month Closed emits them. */
function closedRows(api: string, state: TriggerState): IDataObject[] {
	const readAt = state.readAt === undefined ? NaN : Date.parse(state.readAt);
	const fields = monthClosedFields(state.month as string, state.readAt ?? null, readAt);
	return Object.values(state.rows ?? {}).map((row) => ({
		report: api,
		operation: row.operation,
		description: row.description,
		items: row.items,
		...fields,
	}));
}

/** Counts of rows whose `items` is no number. */
function unreadableIn(rows: IDataObject[]): number {
	let count = 0;
	for (const row of rows) if (measureOf(row.items) === undefined) count++;
	return count;
}

/** The fields Forecast Crossings adds to a row; nulls where there is no forecast yet. */
export function forecastFields(
	projected: Forecast | undefined,
	threshold: number,
	monthEnd: number,
): IDataObject {
	return {
		forecast: projected?.forecast ?? null,
		threshold,
		monthEnd: wolkvoxIso(monthEnd),
		basedOn: projected?.basedOn ?? null,
		basedOnSince: projected?.since === undefined ? null : wolkvoxIso(projected.since),
		growthPerDay: projected?.perDay ?? null,
	};
}

/**
 * Forecast Crossings: this poll's samples recorded, and the rows whose projected month-end value
 * reaches the threshold and that were not emitted yet this month.
 */
function forecastCrossings(
	input: PollInput,
	month: string,
	keys: string[],
	carried: { samples: Record<string, Sample[]>; warned: string[] },
): { emit: IDataObject[]; samples: Record<string, Sample[]>; warned: string[] } {
	const { rows, settings, now } = input;
	const samples: Record<string, Sample[]> = {};
	const warned = new Set(carried.warned);
	const emit: IDataObject[] = [];
	const { end } = monthBounds(month);
	rows.forEach((row, i) => {
		const value = measureOf(row.items);
		const earlier = carried.samples[keys[i]] ?? [];
		if (value === undefined) {
			if (earlier.length) samples[keys[i]] = earlier;
			return;
		}
		const projected = forecastOf(settings.kind, value, now, month, earlier);
		samples[keys[i]] = withSample(earlier, [now, value], month);
		if (!projected || projected.forecast < settings.threshold || warned.has(keys[i])) return;
		warned.add(keys[i]);
		emit.push({ ...row, ...forecastFields(projected, settings.threshold, end) });
	});
	return { emit, samples, warned: [...warned] };
}

/** A poll whose answer has no rows while the trigger knows some. */
function decideEmpty(input: PollInput, known: Snapshot, signature: string): Decision {
	const { state, settings, now, firstAfterActivation } = input;
	// Counts for the month do not vanish: an empty answer mid-month is a glitch, not every row
	// removed (and then every row new again at the next poll). In a later month it means nothing
	// is used yet; the last rows stay, for rows Wolkvox may still date in their month.
	const nowMonth = wolkvoxMonthAt(now);
	const newMonth = state.month !== undefined && nowMonth > state.month;
	const closing =
		settings.emit === 'monthClosed' &&
		newMonth &&
		!firstAfterActivation &&
		state.emptyMonth !== nowMonth;
	const summary = `${settings.api} answered no rows; kept the last ones`;
	if (!firstAfterActivation && !(newMonth && state.emptyMonth !== nowMonth)) {
		return { emit: [], summary, unreadable: 0 };
	}
	const next: TriggerState = {
		...state,
		signature,
		source: settings.source,
		rows: known,
		emptyMonth: newMonth ? nowMonth : state.emptyMonth,
	};
	const emit = closing ? closedRows(settings.api, state) : [];
	return {
		emit,
		next,
		summary: closing
			? `${settings.api}: ${state.month} closed, its ${emit.length} last rows emitted`
			: summary,
		unreadable: 0,
	};
}

/** Where this poll stands against what the trigger knows. */
interface Standing {
	keys: string[];
	month: string;
	known?: Snapshot;
	sameMonth: boolean;
	/** What these rows are compared with; none means this poll records a new baseline. */
	previous?: Snapshot;
}

/** What one mode makes of this poll. */
interface Outcome {
	emitted: IDataObject[];
	rows: Snapshot;
	extra: Pick<TriggerState, 'samples' | 'warned'>;
	unreadable: number;
}

/** The mode's emissions and the rows it keeps. */
function outcomeOf(input: PollInput, at: Standing): Outcome {
	const { state, rows, settings, firstAfterActivation } = input;
	const { keys, previous } = at;
	// Every Poll compares nothing, so it keeps no rows.
	const kept: Snapshot = settings.emit === 'everyPoll' ? {} : snapshot(rows, keys);
	const outcome: Outcome = { emitted: [], rows: kept, extra: {}, unreadable: 0 };
	switch (settings.emit) {
		case 'everyPoll':
			return { ...outcome, emitted: rows };
		case 'changes':
			return previous
				? { ...outcome, emitted: detectChanges(settings.api, previous, rows, keys) }
				: outcome;
		case 'threshold': {
			if (!previous) return outcome;
			const { threshold, direction } = settings;
			return {
				...outcome,
				emitted: detectCrossings(previous, rows, keys, threshold, direction),
				// A row missing from one answer keeps its last count, so its return is no crossing.
				rows: { ...previous, ...kept },
				unreadable: unreadableIn(rows),
			};
		}
		case 'monthClosed': {
			const turned =
				at.known !== undefined &&
				!firstAfterActivation &&
				state.month !== undefined &&
				at.month > state.month &&
				state.emptyMonth !== at.month;
			return turned ? { ...outcome, emitted: closedRows(settings.api, state) } : outcome;
		}
		case 'forecast': {
			// Activating starts afresh, as for the other modes: this month's samples and warnings too.
			const carried =
				at.sameMonth && !firstAfterActivation
					? { samples: state.samples ?? {}, warned: state.warned ?? [] }
					: { samples: {}, warned: [] };
			const { emit, samples, warned } = forecastCrossings(input, at.month, keys, carried);
			return {
				...outcome,
				emitted: emit,
				extra: { samples, warned },
				unreadable: unreadableIn(rows),
			};
		}
	}
}

/** What this poll emits, and what the trigger remembers after it. */
export function decide(input: PollInput): Decision {
	const { state, rows, settings, now, firstAfterActivation } = input;
	const signature = signatureOf(settings);
	const sameSource = state.source === undefined || state.source === settings.source;
	const known = state.signature === signature && sameSource ? state.rows : undefined;
	if (rows.length === 0 && known && Object.keys(known).length) {
		return decideEmpty(input, known, signature);
	}
	const month = monthOfRows(rows) ?? wolkvoxMonthAt(now);
	const sameMonth = known !== undefined && state.month === month;
	let previous: Snapshot | undefined;
	if (known && !firstAfterActivation) {
		if (sameMonth) previous = known;
		else if (state.emptyMonth === month) previous = {};
	}
	const at: Standing = { keys: rowKeys(rows), month, known, sameMonth, previous };
	const outcome = outcomeOf(input, at);
	const compared =
		previous !== undefined || settings.emit === 'forecast' || settings.emit === 'everyPoll';
	const emitted = outcome.emitted;
	return {
		emit: emitted,
		next: {
			signature,
			source: settings.source,
			month,
			rows: outcome.rows,
			emptyMonth: month === state.month ? state.emptyMonth : undefined,
			readAt: wolkvoxIso(now),
			...outcome.extra,
		},
		summary: `${settings.api}, ${rows.length} rows, ${compared || emitted.length ? `${emitted.length} to emit` : 'baseline recorded'}`,
		unreadable: outcome.unreadable,
	};
}
