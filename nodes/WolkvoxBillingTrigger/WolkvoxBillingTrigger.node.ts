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
import { asNodeError } from '../shared/errors';
import { CREDENTIAL_TYPE, fetchData, tokenOf } from '../shared/transport';
import {
	detectChanges,
	detectCrossings,
	rowKeys,
	snapshot,
	type Direction,
	type Snapshot,
} from './changes';
import { triggerProperties } from './description';
import { monthOfRows, wolkvoxMonthNow } from './month';
import { isFirstPollAfterActivation, loadState, saveState } from './state';
import { assertPollInterval, pollSchedule } from './pollInterval';

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

		let api: string;
		try {
			api = resolveReportName(
				node,
				this.getNodeParameter('report', ''),
				this.getNodeParameter('customReport', ''),
			);
		} catch (error) {
			throw asNodeError(node, error, { secret: await tokenOf(this) });
		}
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
		const loaded = loadState(this);
		const { state } = loaded;
		const signature = JSON.stringify([api, emit, threshold, direction]);
		const known = state.signature === signature ? state.rows : undefined;
		const activated = isFirstPollAfterActivation(this);

		if (rows.length === 0 && known && Object.keys(known).length) {
			// Counts for the month do not vanish: an empty answer mid-month is a glitch, not every
			// row removed (and then every row new again at the next poll). In a later month it means
			// nothing is used yet; the last rows stay, for rows Wolkvox may still date in their month.
			const now = wolkvoxMonthNow();
			const newMonth = state.month !== undefined && now > state.month;
			if (activated || (newMonth && state.emptyMonth !== now)) {
				const emptyMonth = newMonth ? now : state.emptyMonth;
				saveState(this, loaded, { signature, month: state.month, rows: known, emptyMonth }, false);
			}
			this.logger.debug(`Wolkvox Billing Trigger: ${api} answered no rows; kept the last ones`);
			return null;
		}

		const month = monthOfRows(rows) ?? wolkvoxMonthNow();
		// What these rows are compared with; none means this poll records a new baseline.
		let previous: Snapshot | undefined;
		if (known && !activated) {
			if (state.month === month) previous = known;
			else if (state.emptyMonth === month) previous = {};
		}

		const keys = rowKeys(rows);
		let emitted: IDataObject[] = [];
		let next = snapshot(rows, keys);
		if (emit === 'everyPoll') emitted = rows;
		else if (previous && emit === 'changes') emitted = detectChanges(api, previous, rows, keys);
		else if (previous) {
			emitted = detectCrossings(previous, rows, keys, threshold, direction);
			// A row missing from one answer keeps its last count, so its return is not a crossing.
			next = { ...previous, ...next };
		}

		const emptyMonth = month === state.month ? state.emptyMonth : undefined;
		saveState(this, loaded, { signature, month, rows: next, emptyMonth }, emitted.length > 0);
		this.logger.debug(
			`Wolkvox Billing Trigger: ${api}, ${rows.length} rows, ${previous ? `${emitted.length} to emit` : 'baseline recorded'}`,
		);
		return emitted.length ? [emitted.map((json) => ({ json }))] : null;
	}
}
