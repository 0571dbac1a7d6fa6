import type {
	IDataObject,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IPollFunctions,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { monthOfRows, wolkvoxMonthNow } from '../shared/calendar';
import { asNodeError, WolkvoxFailure } from '../shared/errors';
import { REPORT_EXPRESSION } from '../shared/reports';
import { measureOf, shapeRow } from '../shared/rows';
import {
	connect,
	CREDENTIAL_TYPE,
	fetchRows,
	PACING,
	tokenOf,
	type Connection,
	type Pacing,
} from '../shared/transport';
import {
	detectChanges,
	detectCrossings,
	MAX_TRACKED_ROWS,
	rowKeys,
	snapshot,
	type Snapshot,
} from './changes';
import { triggerProperties } from './description';
import { readSettings, type TriggerSettings } from './settings';
import { isFirstPollAfterActivation, loadState, saveState } from './state';

export class WolkvoxBillingTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Wolkvox Billing Trigger',
		name: 'wolkvoxBillingTrigger',
		icon: { light: 'file:../../icons/wolkvox.svg', dark: 'file:../../icons/wolkvox.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: `={{(${REPORT_EXPRESSION}) + ": " + {changes: "changes", threshold: "threshold crossings", everyPoll: "every poll"}[$parameter["emit"]]}}`,
		description: 'Starts the workflow when Wolkvox billing usage changes or crosses a threshold',
		documentationUrl: 'https://www.npmjs.com/package/n8n-nodes-wolkvox#wolkvox-billing-trigger',
		defaults: { name: 'Wolkvox Billing Trigger' },
		polling: true,
		// For n8n's AI workflow builder (n8n 2.22+), which older n8n ignores. Spread in, as the types
		// of our oldest n8n-workflow (2.8) do not know the field.
		...{
			builderHint: {
				searchHint:
					'Start a workflow when Wolkvox billing usage changes or crosses a threshold (licenses, IVR minutes…), polling at most every 5 minutes.',
				relatedNodes: [
					{
						nodeType: 'n8n-nodes-base.emailSend',
						relationHint: 'Alert by e-mail when a count crosses its threshold',
					},
					{
						nodeType: 'n8n-nodes-base.slack',
						relationHint: 'Post each change to a channel',
					},
				],
			},
		},
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: CREDENTIAL_TYPE, required: true }],
		properties: triggerProperties,
	};

	poll: (this: IPollFunctions) => Promise<INodeExecutionData[][] | null>;

	/** n8n builds the node without arguments; tests pass shorter waits. */
	constructor(pacing: Pacing = PACING) {
		this.poll = async function (this: IPollFunctions) {
			return await pollReport(this, pacing);
		};
	}
}

/**
 * One poll; whatever fails in it, n8n gets one of our errors, with its kind and its cause for the
 * durable scheduler, never a bare JavaScript error.
 */
async function pollReport(
	context: IPollFunctions,
	pacing: Pacing,
): Promise<INodeExecutionData[][] | null> {
	let token = '';
	try {
		const connection = await connect(context);
		token = connection.token;
		return await pollWith(context, connection, readSettings(context, token, pacing));
	} catch (error) {
		throw asNodeError(context.getNode(), error, { token: token || (await tokenOf(context)) });
	}
}

async function pollWith(
	context: IPollFunctions,
	connection: Connection,
	settings: TriggerSettings,
): Promise<INodeExecutionData[][] | null> {
	const { api, emit, threshold, direction } = settings;
	const raw = await fetchRows(context, connection, settings.call);
	if (emit !== 'everyPoll' && raw.length > MAX_TRACKED_ROWS) {
		const failure = new WolkvoxFailure('tooLarge', {
			rows: raw.length,
			rowLimit: MAX_TRACKED_ROWS,
		});
		throw asNodeError(context.getNode(), failure, { token: connection.token });
	}
	const shape = { keepItemsAsText: settings.keepItemsAsText, reuse: true };
	const rows = raw.map((row) => shapeRow(api, row, shape));

	if (context.getMode() === 'manual') {
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
	const loaded = loadState(context);
	const { state } = loaded;
	const signature = JSON.stringify([api, emit, threshold, direction]);
	// Rows from another server or credential are another operation's: a new baseline, not changes.
	const source = sourceOf(context, connection);
	const sameSource = state.source === undefined || state.source === source;
	const known = state.signature === signature && sameSource ? state.rows : undefined;
	const activated = isFirstPollAfterActivation(context);

	if (rows.length === 0 && known && Object.keys(known).length) {
		// Counts for the month do not vanish: an empty answer mid-month is a glitch, not every
		// row removed (and then every row new again at the next poll). In a later month it means
		// nothing is used yet; the last rows stay, for rows Wolkvox may still date in their month.
		const now = wolkvoxMonthNow();
		const newMonth = state.month !== undefined && now > state.month;
		if (activated || (newMonth && state.emptyMonth !== now)) {
			const emptyMonth = newMonth ? now : state.emptyMonth;
			saveState(
				context,
				loaded,
				{ signature, source, month: state.month, rows: known, emptyMonth },
				false,
			);
		}
		context.logger.debug(`Wolkvox Billing Trigger: ${api} answered no rows; kept the last ones`);
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
	// Every Poll compares nothing, so it keeps no rows.
	let next = emit === 'everyPoll' ? {} : snapshot(rows, keys);
	if (emit === 'everyPoll') emitted = rows;
	else if (previous && emit === 'changes') emitted = detectChanges(api, previous, rows, keys);
	else if (previous) {
		warnUnreadableCounts(context, api, rows);
		emitted = detectCrossings(previous, rows, keys, threshold, direction);
		// A row missing from one answer keeps its last count, so its return is not a crossing.
		next = { ...previous, ...next };
	}

	const emptyMonth = month === state.month ? state.emptyMonth : undefined;
	saveState(
		context,
		loaded,
		{ signature, source, month, rows: next, emptyMonth },
		emitted.length > 0,
	);
	context.logger.debug(
		`Wolkvox Billing Trigger: ${api}, ${rows.length} rows, ${previous ? `${emitted.length} to emit` : 'baseline recorded'}`,
	);
	return emitted.length ? [emitted.map((json) => ({ json }))] : null;
}

/** Where the rows come from: the server (or Base URL) and the credential. Neither is secret. */
function sourceOf(context: IPollFunctions, connection: Connection): string {
	const credential = context.getNode().credentials?.[CREDENTIAL_TYPE]?.id ?? null;
	return JSON.stringify([connection.baseUrl, credential]);
}

/**
 * Rows whose items is not a number cannot cross a threshold; they are left out of the comparison,
 * and the log says so, instead of them being skipped silently. No row text is logged: it comes
 * from the answer.
 */
function warnUnreadableCounts(context: IPollFunctions, api: string, rows: IDataObject[]): void {
	let unreadable = 0;
	for (const row of rows) if (measureOf(row.items) === undefined) unreadable++;
	if (unreadable === 0) return;
	context.logger.warn(
		`Wolkvox Billing Trigger: ${api}: ${unreadable} of ${rows.length} rows have an "items" that is not a number (blank, a word, or another form), so Threshold Crossings cannot check them`,
	);
}
