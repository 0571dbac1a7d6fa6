/**
 * What the trigger remembers between polls, and when it starts over.
 *
 * The state lives in the workflow's static data, but n8n does not store that after every poll:
 * n8n 2.8 and 2.41 store it when activation ends and when a poll emits; 2.41's durable scheduler
 * loads it afresh for every poll and stores it after every poll only with durable cursors on. So
 * a poll that emits nothing (a baseline, a count that moved without crossing) may be forgotten.
 * This process keeps its own copy of each trigger's latest state and uses it while it continues
 * what n8n handed over; after a restart or a failover, what n8n stored is all there is.
 */
import type { IDataObject, IPollFunctions } from 'n8n-workflow';

import type { Snapshot } from './changes';

export interface TriggerState {
	/** Report and emit settings the snapshot was taken with; other settings start a new baseline. */
	signature?: string;
	/** Wolkvox's month of the snapshot (YYYY-MM); a new month starts a new baseline. */
	month?: string;
	rows?: Snapshot;
	/** Counts the writes: each state is one more than the one it was compared with. */
	generation?: number;
	/** The n8n process that wrote it. */
	writer?: string;
}

/** This n8n process, told apart from the others of a multi-main setup and from its restarts. */
const PROCESS = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;

/** This process's copy, and the generation it continues from. */
interface Remembered {
	state: TriggerState;
	/** The generation of the state n8n handed over when this line of polls began. */
	basedOn: number;
}

/** The latest state of each trigger (workflow id and node id) polled by this process. */
const latest = new Map<string, Remembered>();

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

/**
 * True when `mine` continues `stored`: n8n handed over nothing newer than this process's line of
 * polls. A state written by another n8n main (after a failover and back) never is.
 */
function continues(mine: Remembered, stored: TriggerState): boolean {
	const generation = stored.generation ?? 0;
	if (generation === 0) return mine.basedOn === 0;
	return (
		stored.writer === PROCESS &&
		mine.basedOn <= generation &&
		generation <= (mine.state.generation ?? 0)
	);
}

/**
 * The trigger's state: this process's copy when it continues what n8n handed over, else n8n's.
 * After a restart or a failover the copy is gone or out of date, and n8n's is all there is.
 */
export function loadState(fx: IPollFunctions): Remembered {
	const stored = fx.getWorkflowStaticData('node') as TriggerState;
	const mine = latest.get(keyOf(fx));
	if (mine && continues(mine, stored)) return mine;
	return { state: stored, basedOn: stored.generation ?? 0 };
}

/**
 * Writes the next state where n8n stores it (when it does), and into this process's copy unless
 * the poll emits: n8n stores an emitting poll's state together with its execution, and if that
 * fails the next poll must compare with n8n's older copy again, emitting twice rather than never.
 */
export function saveState(
	fx: IPollFunctions,
	loaded: Remembered,
	next: TriggerState,
	emits: boolean,
): void {
	const state: TriggerState = {
		...next,
		generation: (loaded.state.generation ?? 0) + 1,
		writer: PROCESS,
	};
	Object.assign(fx.getWorkflowStaticData('node') as TriggerState, state);
	if (emits) latest.delete(keyOf(fx));
	else latest.set(keyOf(fx), { state, basedOn: loaded.basedOn });
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

/** The month the rows are for: from Wolkvox's `date`, else today in the workflow's time zone. */
export function monthOf(rows: IDataObject[], timezone: string): string {
	for (const row of rows) {
		const match = /^(\d{4})-(\d{2})/.exec(String(row.date ?? ''));
		if (match) return `${match[1]}-${match[2]}`;
	}
	const parts = new Intl.DateTimeFormat('en-CA', {
		timeZone: timezone,
		year: 'numeric',
		month: '2-digit',
	}).formatToParts(new Date());
	const part = (type: string) => parts.find((p) => p.type === type)?.value;
	return `${part('year')}-${part('month')}`;
}
