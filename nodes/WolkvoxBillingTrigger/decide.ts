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

/** The month's last rows, as Month Closed emits them. */
function closedRows(api: string, state: TriggerState): IDataObject[] {
	const month = state.month as string;
	const { end } = monthBounds(month);
	const readAt = state.readAt === undefined ? undefined : Date.parse(state.readAt);
	const minutes =
		readAt === undefined || !Number.isFinite(readAt)
			? null
			: Math.max(0, Math.round((end - readAt) / 60_000));
	return Object.values(state.rows ?? {}).map((row) => ({
		report: api,
		operation: row.operation,
		description: row.description,
		items: row.items,
		month,
		lastReadAt: state.readAt ?? null,
		monthEnd: wolkvoxIso(end),
		minutesBeforeMonthEnd: minutes,
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
	return {
		emit: closing ? closedRows(settings.api, state) : [],
		next,
		summary: closing ? `${settings.api}: ${state.month} closed, its last rows emitted` : summary,
		unreadable: 0,
	};
}

/** What this poll emits, and what the trigger remembers after it. */
export function decide(input: PollInput): Decision {
	const { state, rows, settings, now, firstAfterActivation } = input;
	const { api, emit } = settings;
	const signature = signatureOf(settings);
	const sameSource = state.source === undefined || state.source === settings.source;
	const known = state.signature === signature && sameSource ? state.rows : undefined;

	if (rows.length === 0 && known && Object.keys(known).length) {
		return decideEmpty(input, known, signature);
	}

	const month = monthOfRows(rows) ?? wolkvoxMonthAt(now);
	const sameMonth = known !== undefined && state.month === month;
	// What these rows are compared with; none means this poll records a new baseline.
	let previous: Snapshot | undefined;
	if (known && !firstAfterActivation) {
		if (sameMonth) previous = known;
		else if (state.emptyMonth === month) previous = {};
	}

	const keys = rowKeys(rows);
	let emitted: IDataObject[] = [];
	let unreadable = 0;
	// Every Poll compares nothing, so it keeps no rows.
	let next: Snapshot = emit === 'everyPoll' ? {} : snapshot(rows, keys);
	const extra: Pick<TriggerState, 'samples' | 'warned'> = {};
	if (emit === 'everyPoll') emitted = rows;
	else if (emit === 'changes' && previous) emitted = detectChanges(api, previous, rows, keys);
	else if (emit === 'threshold' && previous) {
		unreadable = unreadableIn(rows);
		emitted = detectCrossings(previous, rows, keys, settings.threshold, settings.direction);
		// A row missing from one answer keeps its last count, so its return is not a crossing.
		next = { ...previous, ...next };
	} else if (emit === 'monthClosed') {
		const turned =
			known !== undefined &&
			!firstAfterActivation &&
			state.month !== undefined &&
			month > state.month &&
			state.emptyMonth !== month;
		if (turned) emitted = closedRows(api, state);
	} else if (emit === 'forecast') {
		unreadable = unreadableIn(rows);
		// Activating starts afresh, as for the other modes: this month's samples and warnings too.
		const carried =
			sameMonth && !firstAfterActivation
				? { samples: state.samples ?? {}, warned: state.warned ?? [] }
				: { samples: {}, warned: [] };
		const crossings = forecastCrossings(input, month, keys, carried);
		emitted = crossings.emit;
		extra.samples = crossings.samples;
		extra.warned = crossings.warned;
	}

	const emptyMonth = month === state.month ? state.emptyMonth : undefined;
	const compared = previous !== undefined || emit === 'forecast' || emit === 'everyPoll';
	return {
		emit: emitted,
		next: {
			signature,
			source: settings.source,
			month,
			rows: next,
			emptyMonth,
			readAt: wolkvoxIso(now),
			...extra,
		},
		summary: `${api}, ${rows.length} rows, ${compared || emitted.length ? `${emitted.length} to emit` : 'baseline recorded'}`,
		unreadable,
	};
}
