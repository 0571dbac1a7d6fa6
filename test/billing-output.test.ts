import fs from 'node:fs';
import path from 'node:path';

import type { INodePropertyOptions } from 'n8n-workflow';

import { reportProperty } from '../nodes/shared/reports';
import { PRODUCTS, OPERATION, queryDate } from './support/simulator/data';
import { jsonOf, useSimulator } from './support/engine/fixtures';

/** Every listed report, "Other" aside. */
const BILLING_REPORTS = (reportProperty.options as INodePropertyOptions[]).filter(
	(option) => option.value !== 'custom',
);

const fx = useSimulator();

describe('rows as items', () => {
	test('by default the node fetches Agent Script and returns each row as one item', async () => {
		const result = await fx.run();
		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(1);
		expect(result.items[0].pairedItem).toEqual({ item: 0 });
		expect(result.items[0].json).toEqual({
			report: 'agent_script',
			operation: OPERATION,
			description: 'Agent Script',
			items: 42,
			date: queryDate(() => new Date()),
		});
		// Wolkvox's fields in the order sent, then ours.
		expect(Object.keys(result.items[0].json)).toEqual([
			'operation',
			'description',
			'items',
			'date',
			'report',
		]);
	});

	test('the list offers every billing report of the facts file, each value the API name', () => {
		expect(BILLING_REPORTS.map((r) => r.value).sort()).toEqual(Object.keys(PRODUCTS).sort());
		for (const report of BILLING_REPORTS) expect(report.description).toMatch(/\w{4}/);
	});

	test.each(Object.keys(PRODUCTS))('report %s returns its rows with numeric items', async (api) => {
		const result = await fx.run({ parameters: { report: api } });
		expect(result.error).toBeUndefined();
		const rows = jsonOf(result);
		expect(rows.map((r) => r.description)).toEqual(
			PRODUCTS[api as keyof typeof PRODUCTS].map(([d]) => d),
		);
		expect(rows.map((r) => r.items)).toEqual(
			PRODUCTS[api as keyof typeof PRODUCTS].map(([, items]) => Number(items)),
		);
		for (const row of rows) expect(row.report).toBe(api);
		expect(fx.sim.billingRequests(api)).toHaveLength(1);
	});

	test('stereo_rec answers code "200" as a string: still a success', async () => {
		const result = await fx.run({ parameters: { report: 'stereo_rec' } });
		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(1);
	});

	test('Keep Items as Text keeps Wolkvox’s strings', async () => {
		const result = await fx.run({
			parameters: { report: 'ivr_minutes', options: { keepItemsAsText: true } },
		});
		expect(jsonOf(result).map((r) => r.items)).toEqual(['8731', '1204']);
	});

	test('items becomes a number only when it is one; other fields Wolkvox adds are kept', async () => {
		fx.sim.setReport('agent_script', [
			{ operation: 'O', description: 'a', items: ' 7 ', date: 'd', license_type: 'premium' },
			{ operation: 'O', description: 'b', items: '37.5', date: 'd' },
			{ operation: 'O', description: 'c', items: 'n/a', date: 'd' },
			{ operation: 'O', description: 'd', items: '1,234', date: 'd' },
			{ operation: 'O', description: 'e', items: '', date: 'd' },
			{ operation: 'O', description: 'f', items: 12, date: 'd' },
			{ operation: 'O', description: 'g', items: '-3', date: 'd', report: 'theirs' },
		]);
		const rows = jsonOf(await fx.run());
		expect(rows.map((r) => r.items)).toEqual([7, 37.5, 'n/a', '1,234', '', 12, -3]);
		expect(rows[0].license_type).toBe('premium');
		// Our report name wins over a field of the same name, so sheets stay consistent.
		expect(rows[6].report).toBe('agent_script');
	});

	test('an empty data list is a normal answer: zero items, no error', async () => {
		fx.sim.setReport('agent_script', []);
		const result = await fx.run();
		expect(result.error).toBeUndefined();
		expect(result.run.status).toBe('success');
		expect(result.items).toEqual([]);
	});

	test('Other (Enter Name) asks Wolkvox for the typed report name', async () => {
		fx.sim.setReport('billing_sms', [
			{ operation: 'O', description: 'SMS', items: '5', date: 'd' },
		]);
		const result = await fx.run({
			parameters: { report: 'custom', customReport: ' billing_sms ' },
		});
		expect(result.error).toBeUndefined();
		expect(jsonOf(result)).toEqual([
			{ report: 'billing_sms', operation: 'O', description: 'SMS', items: 5, date: 'd' },
		]);
		expect(fx.sim.billingRequests('billing_sms')).toHaveLength(1);
	});

	test('the report may be an expression, resolved per input item', async () => {
		const result = await fx.run({
			parameters: { report: '={{ $json.which }}' },
			input: [{ which: 'chat_licenses' }],
		});
		expect(jsonOf(result)).toEqual([
			expect.objectContaining({ report: 'chat_licenses', items: 25 }),
		]);
	});
});

describe('the output schemas n8n shows before the first run', () => {
	const schemaOf = (node: string) =>
		JSON.parse(
			fs.readFileSync(
				path.join(__dirname, '..', 'nodes', node, '__schema__', 'v1.0.0.json'),
				'utf8',
			),
		) as { type: string; properties: Record<string, { type: string; description: string }> };

	test('the node’s schema lists exactly the fields of its items, with their types', async () => {
		const [item] = jsonOf(await fx.run());
		const { properties } = schemaOf('WolkvoxBilling');
		expect(Object.keys(properties).sort()).toEqual(Object.keys(item).sort());
		for (const [field, value] of Object.entries(item)) {
			expect([field, properties[field].type]).toEqual([field, typeof value]);
			expect(properties[field].description).toMatch(/\w{4}/);
		}
	});

	test('the trigger’s schema lists every field its modes emit', () => {
		const { properties } = schemaOf('WolkvoxBillingTrigger');
		expect(Object.keys(properties).sort()).toEqual(
			[
				...['operation', 'description', 'items', 'date', 'report'],
				...['change', 'previousItems', 'difference', 'crossed', 'threshold'],
				...['forecast', 'basedOn', 'basedOnSince', 'growthPerDay', 'monthEnd'],
				...['month', 'lastReadAt', 'minutesBeforeMonthEnd'],
			].sort(),
		);
	});

	test('Get Token Usage has its own schema, with every field its item has', async () => {
		const file = path.join(
			__dirname,
			'..',
			'nodes',
			'WolkvoxBilling',
			'__schema__',
			'v1.0.0',
			'getTokenUsage.json',
		);
		const { properties } = JSON.parse(fs.readFileSync(file, 'utf8')) as {
			properties: Record<string, unknown>;
		};
		const [item] = jsonOf(await fx.run({ parameters: { operation: 'getTokenUsage' } }));
		expect(Object.keys(properties)).toEqual(Object.keys(item));
	});
});
