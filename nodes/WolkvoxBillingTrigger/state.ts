/**
 * What the trigger remembers between polls, and when it starts over.
 *
 * The state lives in the workflow's static data, but n8n does not store that after every poll:
 * it stores it when activation ends and when a poll emits (and after every poll only under 2.41's
 * durable scheduler with durable cursors on). So a poll that emits nothing (a baseline, a count
 * that moved without crossing) may be forgotten. This process keeps its own copy of each
 * trigger's latest state and uses it while it continues what n8n handed over; after a restart or
 * a failover, what n8n stored is all there is.
 */
import { randomUUID } from 'crypto';
import type { IDataObject, IPollFunctions } from 'n8n-workflow';

import { MAX_TRACKED_ROWS, type Snapshot } from './changes';
import { MAX_SAMPLES, type Sample } from './forecast';

export interface TriggerState {
	/** Report and emit settings the snapshot was taken with; other settings start a new baseline. */
	signature?: string;
	/**
	 * Where the rows came from (base URL and credential): rows from another server or credential
	 * start a new baseline. States stored before this field existed have none, and are kept.
	 */
	source?: string;
	/** Wolkvox's month of the snapshot (YYYY-MM); a new month starts a new baseline. */
	month?: string;
	rows?: Snapshot;
	/**
	 * A later month that Wolkvox answered with no rows. Its first rows are compared with nothing
	 * (its first usage is new), while rows still dated `month` are compared with `rows`.
	 */
	emptyMonth?: string;
	/** When `rows` were read: ISO 8601 with Wolkvox's offset. */
	readAt?: string;
	/**
	 * Forecast Crossings: each row's readings this month, at most one a day (forecast.ts), and
	 * the rows already emitted this month.
	 */
	samples?: Record<string, Sample[]>;
	warned?: string[];
	/** Counts the writes: each state is one more than the one it was compared with. */
	generation?: number;
	/** The n8n process that wrote it. */
	writer?: string;
}

/** The state a poll works from, and the generation of what n8n handed over when its line began. */
export interface PollState {
	state: TriggerState;
	basedOn: number;
}

/** This n8n process, told apart from the others of a multi-main setup and from its restarts. */
const PROCESS = randomUUID();

/**
 * The latest state of each trigger (workflow id and node id) polled by this process, oldest use
 * first. Bounded: a deactivated or deleted trigger's entry is pushed out by the active ones.
 */
const latest = new Map<string, PollState>();
const MAX_REMEMBERED_TRIGGERS = 500;

/**
 * Poll contexts that have completed a poll in this process. n8n makes one context per
 * activation and polls with it (2.8, and 2.41 by default), or one per scheduled poll in
 * activation mode "update" (2.41's durable scheduler), so the first poll of a context in mode
 * "activate" is the first after the user turned the workflow on.
 */
const polledContexts = new WeakSet<object>();

function keyOf(fx: IPollFunctions): string {
	return `${fx.getWorkflow().id ?? ''}\u0000${fx.getNode().id}`;
}

const MONTH = /^\d{4}-\d{2}$/;
const isObject = (value: unknown): value is IDataObject =>
	typeof value === 'object' && value !== null && !Array.isArray(value);
const isCount = (value: unknown) =>
	value === null || typeof value === 'string' || (typeof value === 'number' && isFinite(value));

const isSample = (value: unknown) =>
	Array.isArray(value) &&
	value.length === 2 &&
	value.every((n) => typeof n === 'number' && Number.isFinite(n));

/** Each row's readings: a list of at most MAX_SAMPLES [instant, value] pairs. */
const isSamples = (value: unknown) =>
	isObject(value) &&
	Object.keys(value).length <= MAX_TRACKED_ROWS &&
	Object.values(value).every(
		(list) => Array.isArray(list) && list.length <= MAX_SAMPLES && list.every(isSample),
	);

/**
 * The stored state when every field has the shape this module writes, else undefined: static data
 * can be edited by hand, written by an older version, or damaged, and a poll must not fail for
 * good (or emit nonsense) because of it.
 */
function validated(stored: unknown): TriggerState | undefined {
	if (!isObject(stored)) return undefined;
	const {
		signature,
		source,
		month,
		rows,
		emptyMonth,
		generation,
		writer,
		readAt,
		samples,
		warned,
	} = stored;
	const optional = (value: unknown, valid: (v: unknown) => boolean) =>
		value === undefined || valid(value);
	const ok =
		optional(signature, (v) => typeof v === 'string') &&
		optional(source, (v) => typeof v === 'string') &&
		optional(month, (v) => typeof v === 'string' && MONTH.test(v)) &&
		optional(emptyMonth, (v) => typeof v === 'string' && MONTH.test(v)) &&
		optional(generation, (v) => Number.isSafeInteger(v) && (v as number) >= 0) &&
		optional(writer, (v) => typeof v === 'string') &&
		optional(readAt, (v) => typeof v === 'string' && v.length <= 40) &&
		optional(samples, isSamples) &&
		optional(
			warned,
			(v) =>
				Array.isArray(v) &&
				v.length <= MAX_TRACKED_ROWS &&
				v.every((key) => typeof key === 'string'),
		) &&
		optional(
			rows,
			(v) =>
				isObject(v) &&
				Object.keys(v).length <= MAX_TRACKED_ROWS &&
				Object.values(v).every((row) => isObject(row) && isCount(row.items)),
		);
	return ok ? (stored as TriggerState) : undefined;
}

/**
 * True when this process's copy continues what n8n handed over: n8n's state is nothing newer
 * than this process's line of polls. A state written by another n8n main (after a failover and
 * back) never is.
 */
function copyContinuesStored(copy: PollState, stored: TriggerState): boolean {
	const generation = stored.generation ?? 0;
	if (generation === 0) return copy.basedOn === 0;
	return (
		stored.writer === PROCESS &&
		copy.basedOn <= generation &&
		generation <= (copy.state.generation ?? 0)
	);
}

/**
 * The trigger's state: this process's copy when it continues what n8n handed over, else n8n's.
 * A stored state that does not validate counts as none, so the poll records a new baseline.
 */
export function loadState(fx: IPollFunctions): PollState {
	const raw = fx.getWorkflowStaticData('node');
	let stored = validated(raw);
	if (!stored) {
		fx.logger.debug(
			'Wolkvox Billing Trigger: the stored state is not in the expected shape; starting a new baseline',
		);
		stored = {};
	}
	const key = keyOf(fx);
	const copy = latest.get(key);
	if (copy && copyContinuesStored(copy, stored)) return copy;
	return { state: stored, basedOn: stored.generation ?? 0 };
}

/**
 * Writes the next state where n8n stores it (when it does), and into this process's copy unless
 * the poll emits: n8n stores an emitting poll's state together with its execution, and if that
 * fails the next poll must compare with n8n's older copy again, emitting twice rather than never.
 */
export function saveState(
	fx: IPollFunctions,
	loaded: PollState,
	next: TriggerState,
	emits: boolean,
): void {
	const state: TriggerState = {
		...next,
		generation: (loaded.state.generation ?? 0) + 1,
		writer: PROCESS,
	};
	const staticData = fx.getWorkflowStaticData('node');
	for (const key of Object.keys(staticData)) delete staticData[key];
	Object.assign(staticData, JSON.parse(JSON.stringify(state)));
	const key = keyOf(fx);
	latest.delete(key);
	if (!emits) {
		latest.set(key, { state, basedOn: loaded.basedOn });
		for (const oldest of latest.keys()) {
			if (latest.size <= MAX_REMEMBERED_TRIGGERS) break;
			latest.delete(oldest);
		}
	}
	polledContexts.add(fx);
}

/**
 * True for the first poll after the user turned the workflow on: only then is the stored
 * snapshot set aside. After a restart of n8n ("init"), a failover ("leadershipChange") or a save
 * of the active workflow ("update") the trigger goes on comparing with it, so a change made
 * meanwhile is emitted, not lost.
 */
export function isFirstPollAfterActivation(fx: IPollFunctions): boolean {
	const mode = fx.getActivationMode?.();
	return (mode === 'activate' || mode === 'create') && !polledContexts.has(fx);
}
