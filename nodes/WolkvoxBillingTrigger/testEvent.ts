/**
 * Fetch Test Event: the current rows with the fields the chosen mode adds, so that the next nodes
 * can be mapped before anything is emitted. Nothing is remembered.
 */
import type { IDataObject } from 'n8n-workflow';

import { monthBounds, monthOfRows, wolkvoxIso, wolkvoxMonthAt } from '../shared/calendar';
import { measureOf } from '../shared/rows';
import { forecastFields, monthClosedFields } from './decide';
import { forecastOf } from './forecast';
import type { TriggerSettings } from './settings';

/** The extra fields of each mode, for Fetch Test Event: the current rows, to map from. */
export function testEventFields(
	settings: TriggerSettings,
	rows: IDataObject[],
	now: number,
): IDataObject[] {
	const { emit, threshold, kind } = settings.decide;
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
		const fields = monthClosedFields(month, wolkvoxIso(now), now);
		return rows.map((row) => ({ ...row, ...fields }));
	}
	if (emit === 'forecast') {
		// The forecast each row would have now, from the month so far (no samples are kept here).
		const month = monthOfRows(rows) ?? wolkvoxMonthAt(now);
		const { end } = monthBounds(month);
		return rows.map((row) => {
			const value = measureOf(row.items);
			const projected = value === undefined ? undefined : forecastOf(kind, value, now, month, []);
			return { ...row, ...forecastFields(projected, threshold, end) };
		});
	}
	return rows;
}
