/** The trigger's parameters, read and checked before any call. */
import type { IDataObject, IPollFunctions } from 'n8n-workflow';

import { callSettings, type WolkvoxOptions } from '../shared/options';
import { BILLING_PATH, resolveReportName } from '../shared/reports';
import { WolkvoxSetupError } from '../shared/setupError';
import type { Pacing, WolkvoxCall } from '../shared/transport';
import type { Direction } from './changes';
import { assertPollInterval, pollSchedule } from './pollInterval';

export type Emit = 'changes' | 'threshold' | 'everyPoll';

export interface TriggerSettings {
	api: string;
	emit: Emit;
	threshold: number;
	direction: Direction;
	keepItemsAsText: boolean;
	call: WolkvoxCall;
}

/**
 * How long this poll may take before n8n abandons it: n8n 2.41's durable scheduler gives each
 * poll a budget (36 s by default), less than the default Timeout and retries. Older n8n has none.
 */
function pollBudgetMs(context: IPollFunctions): number | undefined {
	const budget = (
		context as IPollFunctions & { getPollBudgetMs?: () => unknown }
	).getPollBudgetMs?.();
	return typeof budget === 'number' && Number.isFinite(budget) && budget > 0 ? budget : undefined;
}

/** Throws a WolkvoxSetupError naming the parameter to fix. */
export function readSettings(
	context: IPollFunctions,
	token: string,
	pacing: Pacing,
): TriggerSettings {
	if (context.getMode() !== 'manual') {
		assertPollInterval(pollSchedule(context.getNodeParameter('pollTimes', {}) as IDataObject));
	}
	const api = resolveReportName(
		context.getNodeParameter('report', ''),
		context.getNodeParameter('customReport', ''),
		token,
	);
	const emit = context.getNodeParameter('emit', 'changes') as Emit;
	const threshold = emit === 'threshold' ? Number(context.getNodeParameter('threshold', 0)) : 0;
	if (!Number.isFinite(threshold)) {
		throw new WolkvoxSetupError(
			'badOption',
			'The Threshold must be a number',
			'Set Threshold to the value of “items” to watch. If it comes from an expression, check what the expression returns.',
		);
	}
	const direction = (
		emit === 'threshold' ? context.getNodeParameter('direction', 'up') : 'up'
	) as Direction;
	const options = context.getNodeParameter('options', {}) as WolkvoxOptions;
	const call: WolkvoxCall = {
		path: BILLING_PATH,
		api,
		pacing,
		...callSettings(options, token),
		budgetMs: pollBudgetMs(context),
	};
	return {
		api,
		emit,
		threshold,
		direction,
		keepItemsAsText: options.keepItemsAsText === true,
		call,
	};
}
