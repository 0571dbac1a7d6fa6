/** The trigger's parameters, read and checked before any call. */
import type { IDataObject, IPollFunctions } from 'n8n-workflow';

import type { WolkvoxCall } from '../shared/call';
import { reportKind } from '../shared/reports';
import { readReportRequest, type ReadParameter } from '../shared/request';
import type { SecretGuard } from '../shared/secret';
import { WolkvoxSetupError } from '../shared/setupError';
import type { Direction } from './changes';
import type { DecideSettings, Emit } from './decide';
import { assertPollInterval, pollSchedule } from './pollInterval';

/** The modes that compare counts with Threshold. */
const USES_THRESHOLD: ReadonlySet<Emit> = new Set(['threshold', 'forecast']);

export interface TriggerSettings {
	keepItemsAsText: boolean;
	call: WolkvoxCall;
	/** The report and Trigger On, as decide() reads them; the source is added by the poll. */
	decide: Omit<DecideSettings, 'source'>;
}

const MODES: ReadonlySet<string> = new Set<Emit>([
	'changes',
	'everyPoll',
	'forecast',
	'monthClosed',
	'threshold',
]);

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

/** Trigger On, and the Threshold and Direction it uses, checked. */
function readMode(read: ReadParameter): Pick<DecideSettings, 'emit' | 'threshold' | 'direction'> {
	const emit = read('emit', 'changes') as Emit;
	if (!MODES.has(emit)) {
		throw new WolkvoxSetupError(
			'badOption',
			'Trigger On must be one of the listed choices',
			'Open the trigger and choose Trigger On from the list. If it comes from an expression, check what the expression returns.',
		);
	}
	const given = USES_THRESHOLD.has(emit) ? read('threshold', 0) : 0;
	const threshold = typeof given === 'number' || typeof given === 'string' ? Number(given) : NaN;
	if (!Number.isFinite(threshold)) {
		throw new WolkvoxSetupError(
			'badOption',
			'The Threshold must be a number',
			'Set Threshold to the value of “items” to watch. If it comes from an expression, check what the expression returns.',
		);
	}
	const direction = (emit === 'threshold' ? read('direction', 'up') : 'up') as Direction;
	return { emit, threshold, direction };
}

/** Throws a WolkvoxSetupError naming the parameter to fix. */
export function readSettings(context: IPollFunctions, guard: SecretGuard): TriggerSettings {
	const read: ReadParameter = (name, fallback) => context.getNodeParameter(name, fallback);
	if (context.getMode() !== 'manual') {
		assertPollInterval(pollSchedule(read('pollTimes', {}) as IDataObject));
	}
	const { api, call, keepItemsAsText } = readReportRequest(read, guard);
	return {
		keepItemsAsText,
		call: { ...call, budgetMs: pollBudgetMs(context) },
		decide: { api, ...readMode(read), kind: reportKind(api) },
	};
}
