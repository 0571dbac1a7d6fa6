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
import { assertPollInterval } from './pollInterval';

/** What the trigger keeps in the workflow's static data between polls. */
interface TriggerState {
	/** Report and emit settings the snapshot was taken with; other settings start a new baseline. */
	signature?: string;
	/** Wolkvox's month of the snapshot (YYYY-MM); a new month starts a new baseline. */
	month?: string;
	rows?: Snapshot;
}

/**
 * Poll contexts that have polled successfully. n8n creates one per activation and reuses it for
 * every poll, so a context not seen yet means the first poll since the workflow was activated
 * (or n8n restarted): that poll records a baseline instead of reporting old news.
 */
const activePollers = new WeakSet<object>();

/** The month the rows are for: from Wolkvox's `date`, else today in the workflow's time zone. */
function monthOf(rows: IDataObject[], timezone: string): string {
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
		if (!manual) assertPollInterval(node, this.getNodeParameter('pollTimes', {}) as IDataObject);

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

		const raw = await fetchData(this, { path: BILLING_PATH, api, ...callSettings(options) });
		const rows = raw.map((row) => shapeRow(api, row, options.keepItemsAsText === true));

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
		const month = monthOf(rows, this.getTimezone());
		const keys = rowKeys(rows);
		const baseline =
			!activePollers.has(this) ||
			!state.rows ||
			state.signature !== signature ||
			state.month !== month;

		let emitted: IDataObject[] = [];
		if (emit === 'everyPoll') emitted = rows;
		else if (!baseline && emit === 'changes')
			emitted = detectChanges(api, state.rows ?? {}, rows, keys);
		else if (!baseline)
			emitted = detectCrossings(state.rows ?? {}, rows, keys, threshold, direction);

		state.signature = signature;
		state.month = month;
		state.rows = snapshot(rows, keys);
		activePollers.add(this);
		this.logger.debug(
			`Wolkvox Billing Trigger: ${api}, ${rows.length} rows, ${baseline ? 'baseline recorded' : `${emitted.length} to emit`}`,
		);
		return emitted.length ? [emitted.map((json) => ({ json }))] : null;
	}
}
