/**
 * What the trigger remembers between polls, and when it starts over.
 *
 * The state lives in the workflow's static data, but n8n does not store that after every poll:
 * n8n 2.8 and 2.41 store it when activation ends and when a poll emits; 2.41's durable scheduler
 * loads it afresh for every poll and stores it after every poll only with durable cursors on. So
 * a poll that emits nothing (a baseline, a count that moved without crossing) may be forgotten.
 * This process keeps its own copy of each trigger's latest state and uses it whenever it is newer
 * than what n8n handed over; after a restart, what n8n stored is all there is.
 */
import type { IDataObject, IPollFunctions } from 'n8n-workflow';

import type { Snapshot } from './changes';

export interface TriggerState {
	/** Report and emit settings the snapshot was taken with; other settings start a new baseline. */
	signature?: string;
	/** Wolkvox's month of the snapshot (YYYY-MM); a new month starts a new baseline. */
	month?: string;
	rows?: Snapshot;
	/** When it was written (ms since 1970), so the newer of two copies is known. */
	savedAt?: number;
}

/** The latest state of each trigger (workflow id and node id) polled by this process. */
const latest = new Map<string, TriggerState>();

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

/** The trigger's state: n8n's copy, or this process's when n8n's is behind it. */
export function loadState(fx: IPollFunctions): TriggerState {
	const stored = fx.getWorkflowStaticData('node') as TriggerState;
	const mine = latest.get(keyOf(fx));
	// A time, not a counter: after a failover and back, another n8n main may have written since.
	return mine && (mine.savedAt ?? 0) > (stored.savedAt ?? 0) ? mine : stored;
}

/** Writes the new state where n8n stores it (when it does) and into this process's copy. */
export function saveState(fx: IPollFunctions, next: TriggerState): void {
	const state: TriggerState = { ...next, savedAt: Date.now() };
	const stored = fx.getWorkflowStaticData('node') as TriggerState;
	Object.assign(stored, state);
	latest.set(keyOf(fx), state);
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
