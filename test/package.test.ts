/**
 * The package as n8n loads it: package.json conventions for community nodes, and the built
 * files (`npm test` builds first) that package.json points at.
 */
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(__dirname, '..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));

test('package.json follows n8n’s community-node conventions', () => {
	expect(pkg.name).toBe('n8n-nodes-wolkvox');
	expect(pkg.license).toBe('MIT');
	expect(pkg.keywords).toContain('n8n-community-node-package');
	expect(pkg.files).toEqual(['dist']);
	expect(pkg.peerDependencies).toEqual({ 'n8n-workflow': '*' });
	expect(pkg.dependencies ?? {}).toEqual({});
	expect(pkg.n8n).toEqual({
		n8nNodesApiVersion: 1,
		nodes: ['dist/nodes/WolkvoxBilling/WolkvoxBilling.node.js'],
		credentials: ['dist/credentials/WolkvoxApi.credentials.js'],
	});
	// n8n-core and n8n-workflow pinned as the matching pair n8n 2.8.4 ships.
	expect(pkg.devDependencies['n8n-core']).toBe('2.8.1');
	expect(pkg.devDependencies['n8n-workflow']).toBe('2.8.0');
});

describe('the built package', () => {
	const load = (file: string) => {
		const full = path.join(root, file);
		if (!fs.existsSync(full)) throw new Error(`${file} is missing: run npm run build first`);
		return require(full);
	};

	test('the node loads from dist with its icons and codex beside it', () => {
		const { WolkvoxBilling } = load(pkg.n8n.nodes[0]);
		const { description } = new WolkvoxBilling();
		expect(description).toMatchObject({
			name: 'wolkvoxBilling',
			displayName: 'Wolkvox Billing',
			version: 1,
			usableAsTool: true,
			credentials: [{ name: 'wolkvoxApi', required: true }],
		});
		expect(description.documentationUrl).toMatch(/^https:\/\//);
		expect(description.subtitle).toContain('$parameter["report"]');
		const dir = path.join(root, path.dirname(pkg.n8n.nodes[0]));
		const icons = [description.icon.light, description.icon.dark];
		expect(new Set(icons).size).toBe(2);
		for (const icon of icons) {
			expect(icon).toMatch(/^file:.*\.svg$/);
			expect(fs.readFileSync(path.join(dir, icon.slice(5)), 'utf8')).toMatch(/^<svg /);
		}
		const codex = JSON.parse(fs.readFileSync(path.join(dir, 'WolkvoxBilling.node.json'), 'utf8'));
		expect(codex.node).toBe('n8n-nodes-wolkvox.wolkvoxBilling');
		expect(codex.categories.length).toBeGreaterThan(0);
	});

	test('the credential loads from dist with its icons beside it', () => {
		const { WolkvoxApi } = load(pkg.n8n.credentials[0]);
		const credential = new WolkvoxApi();
		expect(credential.name).toBe('wolkvoxApi');
		expect(credential.documentationUrl).toMatch(/^https:\/\//);
		const dir = path.join(root, path.dirname(pkg.n8n.credentials[0]));
		for (const icon of [credential.icon.light, credential.icon.dark]) {
			expect(fs.existsSync(path.join(dir, icon.slice(5)))).toBe(true);
		}
	});

	test('index.js exposes the built classes', () => {
		const index = load('index.js');
		expect(typeof index.WolkvoxBilling).toBe('function');
		expect(typeof index.WolkvoxApi).toBe('function');
	});
});
