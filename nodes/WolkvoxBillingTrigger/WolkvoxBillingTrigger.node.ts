import type {
	IDataObject,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IPollFunctions,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { instantOfRows } from '../shared/calendar';
import {
	connect,
	CREDENTIAL_TYPE,
	fetchRows,
	guardOfContext,
	type Connection,
} from '../shared/call';
import { asNodeError, WolkvoxFailure } from '../shared/errors';
import { REPORT_EXPRESSION } from '../shared/reports';
import { shapeRow } from '../shared/rows';
import { NO_TOKEN } from '../shared/secret';
import { MAX_TRACKED_ROWS } from './changes';
import { decide } from './decide';
import { triggerProperties } from './description';
import { readSettings, type TriggerSettings } from './settings';
import { isFirstPollAfterActivation, loadState, saveState } from './state';
import { testEventFields } from './testEvent';

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

	poll = async function (this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		return await pollReport(this);
	};
}

/**
 * One poll: fetch the rows, decide what to emit and remember, save. Whatever fails, n8n gets one
 * of our errors, with its kind and its cause for the durable scheduler, never a bare one; a
 * failed poll leaves the state as it was.
 */
async function pollReport(context: IPollFunctions): Promise<INodeExecutionData[][] | null> {
	let guard = NO_TOKEN;
	try {
		const connection = await connect(context);
		guard = connection.guard;
		const settings = readSettings(context, guard);
		const rows = await fetchShapedRows(context, connection, settings);
		// Wolkvox's own time of the query when its rows say it, else this machine's.
		const now = instantOfRows(rows) ?? Date.now();
		if (context.getMode() === 'manual') return asItems(testEventFields(settings, rows, now));
		const loaded = loadState(context);
		const decision = decide({
			state: loaded.state,
			rows,
			settings: { ...settings.decide, source: sourceOf(context, connection) },
			now,
			firstAfterActivation: isFirstPollAfterActivation(context),
		});
		if (decision.unreadable > 0)
			warnUnreadable(context, settings.decide.api, decision.unreadable, rows);
		if (decision.next) saveState(context, loaded, decision.next, decision.emit.length > 0);
		context.logger.debug(`Wolkvox Billing Trigger: ${decision.summary}`);
		return asItems(decision.emit);
	} catch (error) {
		const site = { guard: guard === NO_TOKEN ? await guardOfContext(context) : guard };
		throw asNodeError(context.getNode(), error, site);
	}
}

const asItems = (rows: IDataObject[]) => (rows.length ? [rows.map((json) => ({ json }))] : null);

/** The report's rows as the node outputs them; a report too long for the trigger is refused. */
async function fetchShapedRows(
	context: IPollFunctions,
	connection: Connection,
	settings: TriggerSettings,
): Promise<IDataObject[]> {
	const raw = await fetchRows(context, connection, settings.call);
	if (settings.decide.emit !== 'everyPoll' && raw.length > MAX_TRACKED_ROWS) {
		const failure = new WolkvoxFailure('tooLarge', {
			rows: raw.length,
			rowLimit: MAX_TRACKED_ROWS,
		});
		throw asNodeError(context.getNode(), failure, { guard: connection.guard });
	}
	const shape = { keepItemsAsText: settings.keepItemsAsText, reuse: true };
	return raw.map((row) => shapeRow(settings.decide.api, row, shape));
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
function warnUnreadable(
	context: IPollFunctions,
	api: string,
	unreadable: number,
	rows: IDataObject[],
): void {
	context.logger.warn(
		`Wolkvox Billing Trigger: ${api}: ${unreadable} of ${rows.length} rows have an "items" that is not a number (blank, a word, or another form), so Threshold Crossings cannot check them`,
	);
}
