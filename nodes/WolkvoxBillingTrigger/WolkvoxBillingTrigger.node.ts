import type {
	IDataObject,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IPollFunctions,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import {
	instantOfRows,
	monthBounds,
	monthOfRows,
	wolkvoxIso,
	wolkvoxMonthAt,
} from '../shared/calendar';
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
import { MAX_TRACKED_ROWS } from './changes';
import { decide, forecastFields } from './decide';
import { forecastOf } from './forecast';
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
		subtitle: `={{(${REPORT_EXPRESSION}) + ": " + {changes: "changes", threshold: "threshold crossings", everyPoll: "every poll", forecast: "forecast crossings", monthClosed: "month closed"}[$parameter["emit"]]}}`,
		description:
			'Starts the workflow when Wolkvox billing usage changes, crosses or is forecast to cross a threshold, or when a month closes',
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

/** The extra fields of each mode, for Fetch Test Event: the current rows, to map from. */
function testEventFields(
	settings: TriggerSettings,
	rows: IDataObject[],
	now: number,
): IDataObject[] {
	const { emit, threshold } = settings;
	if (emit === 'changes') {
		return rows.map((row) => ({
			...row,
			change: 'current',
			previousItems: null,
			difference: null,
		}));
	}
	if (emit === 'threshold')
		return rows.map((row) => ({ ...row, crossed: null, threshold, previousItems: null }));
	if (emit === 'monthClosed') {
		const month = monthOfRows(rows) ?? wolkvoxMonthAt(now);
		const { end } = monthBounds(month);
		return rows.map((row) => ({
			...row,
			month,
			lastReadAt: wolkvoxIso(now),
			monthEnd: wolkvoxIso(end),
			minutesBeforeMonthEnd: Math.round((end - now) / 60_000),
		}));
	}
	if (emit === 'forecast') {
		// The forecast each row would have now, from the month so far (no samples are kept here).
		const month = monthOfRows(rows) ?? wolkvoxMonthAt(now);
		const { end } = monthBounds(month);
		return rows.map((row) => {
			const value = measureOf(row.items);
			const projected =
				value === undefined ? undefined : forecastOf(settings.decide.kind, value, now, month, []);
			return { ...row, ...forecastFields(projected, threshold, end) };
		});
	}
	return rows;
}

/** Fetch, decide, save: one poll of an active trigger, or the editor's Fetch Test Event. */
async function pollWith(
	context: IPollFunctions,
	connection: Connection,
	settings: TriggerSettings,
): Promise<INodeExecutionData[][] | null> {
	const { api, emit } = settings;
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
	// Wolkvox's own time of the query when its rows say it, else this machine's.
	const now = instantOfRows(rows) ?? Date.now();

	if (context.getMode() === 'manual') {
		const shown = testEventFields(settings, rows, now);
		return shown.length ? [shown.map((json) => ({ json }))] : null;
	}

	// Everything below runs only after a successful fetch: a failed poll leaves the state as it was.
	const loaded = loadState(context);
	const decision = decide({
		state: loaded.state,
		rows,
		settings: { ...settings.decide, source: sourceOf(context, connection) },
		now,
		firstAfterActivation: isFirstPollAfterActivation(context),
	});
	if (decision.unreadable > 0) warnUnreadableCounts(context, api, decision.unreadable, rows.length);
	if (decision.next) saveState(context, loaded, decision.next, decision.emit.length > 0);
	context.logger.debug(`Wolkvox Billing Trigger: ${decision.summary}`);
	return decision.emit.length ? [decision.emit.map((json) => ({ json }))] : null;
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
function warnUnreadableCounts(
	context: IPollFunctions,
	api: string,
	unreadable: number,
	total: number,
): void {
	context.logger.warn(
		`Wolkvox Billing Trigger: ${api}: ${unreadable} of ${total} rows have an "items" that is not a number (blank, a word, or another form), so Threshold Crossings cannot check them`,
	);
}
