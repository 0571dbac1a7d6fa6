import type {
	IDataObject,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IPollFunctions,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { shapeRow } from '../shared/envelope';
import { callSettings, type WolkvoxOptions } from '../shared/options';
import { BILLING_PATH, resolveReportName } from '../shared/reports';
import { CREDENTIAL_TYPE, fetchData } from '../shared/transport';
import {
	detectChanges,
	detectCrossings,
	rowKeys,
	snapshot,
	type Direction,
	type Snapshot,
} from './changes';
import { triggerProperties } from './description';
import { assertPollInterval, pollSchedule } from './pollInterval';

/** What the trigger keeps in the workflow's static data between polls. */
interface TriggerState {
	/** Report and emit settings the snapshot was taken with; other settings start a new baseline. */
	signature?: string;
	/** Wolkvox's month of the snapshot (YYYY-MM); a new month starts a new baseline. */
	month?: string;
	rows?: Snapshot;
}

/**
 * Poll contexts that have completed a poll in this process. n8n 2.8 makes one context per
 * activation and polls with it until deactivation, so the first poll of a context is the first
 * after activation; n8n 2.41's durable scheduler makes one per poll, in activation mode "update".
 */
const polledContexts = new WeakSet<object>();

/**
 * True for the first poll after the user turned the workflow on. Only then is the stored
 * snapshot set aside: after a restart of n8n ("init"), a failover ("leadershipChange") or a save
 * of the active workflow ("update") the trigger goes on comparing with it, so nothing that
 * changed meanwhile is lost. n8n 2.8 stores static data only when a poll emits, so an age limit
 * on the snapshot would throw away good state at every restart.
 */
function isFirstPollAfterActivation(fx: IPollFunctions): boolean {
	const mode = fx.getActivationMode?.();
	return (mode === 'activate' || mode === 'create') && !polledContexts.has(fx);
}

/**
 * The month the rows are for: from Wolkvox's `date`; for an empty answer, the stored month (the
 * workflow's time zone and Wolkvox's can be in different months for hours); else today in the
 * workflow's time zone.
 */
function monthOf(rows: IDataObject[], timezone: string, stored: string | undefined): string {
	for (const row of rows) {
		const match = /^(\d{4})-(\d{2})/.exec(String(row.date ?? ''));
		if (match) return `${match[1]}-${match[2]}`;
	}
	if (rows.length === 0 && stored) return stored;
	const parts = new Intl.DateTimeFormat('en-CA', {
		timeZone: timezone,
		year: 'numeric',
		month: '2-digit',
	}).formatToParts(new Date());
	const part = (type: string) => parts.find((p) => p.type === type)?.value;
	return `${part('year')}-${part('month')}`;
}

/**
 * How long this poll may take before n8n abandons it: n8n 2.41's durable scheduler gives each
 * poll a budget (36 s by default), less than the default Timeout and retries. Older n8n has none.
 */
function pollBudgetMs(fx: IPollFunctions): number | undefined {
	const budget = (fx as IPollFunctions & { getPollBudgetMs?: () => unknown }).getPollBudgetMs?.();
	return typeof budget === 'number' && Number.isFinite(budget) && budget > 0 ? budget : undefined;
}

export class WolkvoxBillingTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Wolkvox Billing Trigger',
		name: 'wolkvoxBillingTrigger',
		icon: { light: 'file:wolkvox.svg', dark: 'file:wolkvox.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle:
			'={{($parameter["report"] === "custom" ? $parameter["customReport"] : $parameter["report"]) + ": " + {changes: "changes", threshold: "threshold crossings", everyPoll: "every poll"}[$parameter["emit"]]}}',
		description: 'Starts the workflow when Wolkvox billing usage changes or crosses a threshold',
		documentationUrl: 'https://www.npmjs.com/package/n8n-nodes-wolkvox#wolkvox-billing-trigger',
		defaults: { name: 'Wolkvox Billing Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: CREDENTIAL_TYPE, required: true }],
		properties: triggerProperties,
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const node = this.getNode();
		const manual = this.getMode() === 'manual';
		const schedule = pollSchedule(this.getNodeParameter('pollTimes', {}) as IDataObject);
		if (!manual) assertPollInterval(node, schedule);

		const api = resolveReportName(
			node,
			this.getNodeParameter('report', ''),
			this.getNodeParameter('customReport', ''),
		);
		const emit = this.getNodeParameter('emit', 'changes') as 'changes' | 'threshold' | 'everyPoll';
		const threshold = emit === 'threshold' ? Number(this.getNodeParameter('threshold', 0)) : 0;
		const direction = (
			emit === 'threshold' ? this.getNodeParameter('direction', 'up') : 'up'
		) as Direction;
		const options = this.getNodeParameter('options', {}) as WolkvoxOptions;

		const raw = await fetchData(this, {
			path: BILLING_PATH,
			api,
			...callSettings(options),
			budgetMs: pollBudgetMs(this),
		});
		const rows = raw.map((row) => shapeRow(api, row, options.keepItemsAsText === true, true));

		if (manual) {
			// "Fetch Test Event": the current rows, with the fields this mode adds, to map from.
			const extra: IDataObject =
				emit === 'changes'
					? { change: 'current', previousItems: null, difference: null }
					: emit === 'threshold'
						? { crossed: null, threshold, previousItems: null }
						: {};
			return rows.length ? [rows.map((row) => ({ json: { ...row, ...extra } }))] : null;
		}

		// Everything below runs only after a successful fetch: a failed poll leaves the state as it was.
		const state = this.getWorkflowStaticData('node') as TriggerState;
		const signature = JSON.stringify([api, emit, threshold, direction]);
		const month = monthOf(rows, this.getTimezone(), state.month);
		const keys = rowKeys(rows);
		const previous = state.rows;
		const baseline =
			!previous ||
			state.signature !== signature ||
			state.month !== month ||
			isFirstPollAfterActivation(this);
		polledContexts.add(this);

		if (!baseline && rows.length === 0 && Object.keys(previous).length > 0) {
			// Counts for the month do not vanish: an empty answer mid-month is a glitch, not every
			// row removed (and then every row new again at the next poll).
			this.logger.debug(`Wolkvox Billing Trigger: ${api} answered no rows; kept the last ones`);
			return null;
		}

		let emitted: IDataObject[] = [];
		let next = snapshot(rows, keys);
		if (emit === 'everyPoll') emitted = rows;
		else if (!baseline && emit === 'changes') emitted = detectChanges(api, previous, rows, keys);
		else if (!baseline) {
			emitted = detectCrossings(previous, rows, keys, threshold, direction);
			// A row missing from one answer keeps its last count, so its return is not a crossing.
			next = { ...previous, ...next };
		}

		Object.assign(state, { signature, month, rows: next });
		this.logger.debug(
			`Wolkvox Billing Trigger: ${api}, ${rows.length} rows, ${baseline ? 'baseline recorded' : `${emitted.length} to emit`}`,
		);
		return emitted.length ? [emitted.map((json) => ({ json }))] : null;
	}
}
