/**
 * The report catalogue against Wolkvox's own published collection ("wolkvox APIs (ES)", folder
 * Facturación): all 27 reports in the node, the trigger and the AI tool, each answering as that
 * collection's example does, placeholders and string codes included.
 */
import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { LISTED_REPORTS, reportKind } from '../nodes/shared/reports';
import { TOOL_DESCRIPTION } from '../nodes/WolkvoxBilling/tool';
import { WolkvoxBilling } from '../nodes/WolkvoxBilling/WolkvoxBilling.node';
import { WolkvoxBillingTrigger } from '../nodes/WolkvoxBillingTrigger/WolkvoxBillingTrigger.node';
import { fetchTestEvent } from './support/engine/harness';
import { jsonOf, useSimulator } from './support/engine/fixtures';

/** The collection's billing reports, in its order (requests 1 to 27). */
const COLLECTION = [
	'agent_script',
	'intelligent_dial',
	'gamification',
	'ivr_minutes',
	'rec_minutes',
	'amazon_s3',
	'rsync',
	'rsync_s3_mp3',
	'rec_screen',
	'interactions',
	'rec_screen_on_demand',
	'speech_analytics',
	'wp_connectors',
	'sentiment_analysis',
	'chat_licenses',
	'interaction_licenses',
	'video_call',
	'pbx_licenses',
	'ivr_calls',
	'asr_calls',
	'vision',
	'tts_chars',
	'wp_connectors_official',
	'contact_center_licenses',
	'amd_ai',
	'stereo_rec',
	'nlp_ai',
];

const fx = useSimulator();

describe('the catalogue', () => {
	const reportOptions = (properties: INodeProperties[]) =>
		(properties.find((p) => p.name === 'report' && p.type === 'options')?.options ??
			[]) as INodePropertyOptions[];

	test('lists the 27 reports of Wolkvox’s collection, and Other', () => {
		expect(LISTED_REPORTS.map((option) => option.value).sort()).toEqual([...COLLECTION].sort());
		for (const option of LISTED_REPORTS) {
			expect(option.name).toMatch(/^[A-Z]/);
			expect(option.description).toMatch(/ this month$/);
		}
	});

	test('the node and the trigger show the same list, sorted by name, Other included', () => {
		const node = reportOptions(new WolkvoxBilling().description.properties);
		const trigger = reportOptions(new WolkvoxBillingTrigger().description.properties);
		expect(node.map((o) => o.value)).toEqual(trigger.map((o) => o.value));
		expect(node).toHaveLength(28);
		expect(node.map((o) => o.value)).toContain('custom');
		const names = node.map((o) => o.name.toLowerCase());
		expect(names).toEqual([...names].sort());
	});

	test('the AI tool knows every one of them', () => {
		for (const api of COLLECTION) expect(TOOL_DESCRIPTION).toMatch(new RegExp(`\\b${api}\\b`));
	});

	test('what is held (licenses, connectors, storage enabled) is a level; what is used, consumption', () => {
		for (const option of LISTED_REPORTS) {
			// Wolkvox's descriptions say which: "active … licenses", "… connectors", "licenses enabled".
			const held = /licenses|connectors/i.test(String(option.description));
			expect([option.value, reportKind(String(option.value))]).toEqual([
				option.value,
				held ? 'level' : 'consumption',
			]);
		}
		expect(COLLECTION.filter((api) => reportKind(api) === 'level')).toHaveLength(12);
		expect(reportKind('some_future_report')).toBe('consumption');
	});
});

describe('every report answering as the collection’s example does, word for word', () => {
	beforeEach(() => fx.sim.useCollectionExamples());

	test.each(COLLECTION)('%s: one item, its placeholders kept as text, never 0', async (api) => {
		const result = await fx.run({ parameters: { report: api } });
		expect(result.error).toBeUndefined();
		const blank = api === 'stereo_rec' || api === 'nlp_ai' ? ' ' : '';
		expect(jsonOf(result)).toEqual([
			{ operation: blank, description: blank, items: blank, date: blank, report: api },
		]);
	});

	test('the trigger’s Fetch Test Event reads them too', async () => {
		const result = await fetchTestEvent({
			credentials: fx.credentials(),
			parameters: { report: 'nlp_ai' },
		});
		expect(result.items.map((item) => item.json.items)).toEqual([' ']);
	});

	test('in the AI tool, a placeholder count is text the model sees as it is', async () => {
		const result = await fx.run({ tool: true, input: [{ reports: 'interactions, stereo_rec' }] });
		expect(jsonOf(result)).toEqual([
			{
				answers: [
					expect.objectContaining({
						report: 'interactions',
						rows: [{ description: '', items: '' }],
					}),
					expect.objectContaining({
						report: 'stereo_rec',
						rows: [{ description: ' ', items: ' ' }],
					}),
				],
			},
		]);
	});
});
