/**
 * The workflows in examples/ are what users import: our nodes in them must have no parameter
 * issues, and triggers must poll no faster than Wolkvox allows.
 */
import fs from 'node:fs';
import path from 'node:path';

import type { IDataObject, INode } from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';

import { LISTED_REPORTS } from '../nodes/shared/reports';
import { WolkvoxBilling } from '../nodes/WolkvoxBilling/WolkvoxBilling.node';
import { WolkvoxBillingTrigger } from '../nodes/WolkvoxBillingTrigger/WolkvoxBillingTrigger.node';
import {
	MIN_POLL_INTERVAL_SECONDS,
	pollSchedule,
} from '../nodes/WolkvoxBillingTrigger/pollInterval';

const dir = path.resolve(__dirname, '..', 'examples');
const billing = new WolkvoxBilling();
const ours: Record<string, { description: WolkvoxBilling['description'] }> = {
	'n8n-nodes-wolkvox.wolkvoxBilling': billing,
	// The tool n8n makes of the node: its name ends in "Tool", which '@tool' conditions read.
	'n8n-nodes-wolkvox.wolkvoxBillingTool': {
		description: { ...billing.description, name: `${billing.description.name}Tool` },
	},
	'n8n-nodes-wolkvox.wolkvoxBillingTrigger': new WolkvoxBillingTrigger(),
};
const files = fs.readdirSync(dir).filter((f) => f.endsWith('.json'));

test('there are examples', () => {
	expect(files.length).toBeGreaterThan(0);
});

describe.each(files)('%s', (file) => {
	const workflow = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as {
		name: string;
		nodes: INode[];
		connections: IDataObject;
	};

	test('uses at least one Wolkvox node, each without parameter issues', () => {
		const wolkvox = workflow.nodes.filter((node) => ours[node.type]);
		expect(wolkvox.length).toBeGreaterThan(0);
		for (const node of wolkvox) {
			const { description } = ours[node.type];
			expect(
				NodeHelpers.getNodeParametersIssues(description.properties, node, description),
			).toBeNull();
			expect(Object.keys(node.credentials ?? {})).toEqual(['wolkvoxApi']);
		}
	});

	test('connections name existing nodes', () => {
		const names = new Set(workflow.nodes.map((n) => n.name));
		for (const [from, byType] of Object.entries(workflow.connections)) {
			expect(names).toContain(from);
			for (const outputs of Object.values(
				byType as Record<string, Array<Array<{ node: string }>>>,
			)) {
				for (const output of outputs)
					for (const link of output ?? []) expect(names).toContain(link.node);
			}
		}
	});

	test('triggers poll at most every 5 minutes', () => {
		for (const node of workflow.nodes.filter((n) => n.type.endsWith('wolkvoxBillingTrigger'))) {
			const schedule = pollSchedule(node.parameters.pollTimes as IDataObject);
			expect(schedule?.shortestGap).toBeGreaterThanOrEqual(MIN_POLL_INTERVAL_SECONDS);
		}
	});
});

test('the weekly example fetches every report of the catalogue', () => {
	const workflow = JSON.parse(
		fs.readFileSync(path.join(dir, 'weekly-all-reports-csv.json'), 'utf8'),
	) as { nodes: INode[] };
	const code = String(
		workflow.nodes.find((n) => n.type === 'n8n-nodes-base.code')?.parameters.jsCode,
	);
	const listed = [...code.matchAll(/^ {2}'([a-z0-9_]+)',$/gm)].map((m) => m[1]);
	expect(listed.sort()).toEqual(LISTED_REPORTS.map((option) => String(option.value)).sort());
});
