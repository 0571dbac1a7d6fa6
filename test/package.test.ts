/**
 * The package as n8n loads it: package.json conventions for community nodes, and the built
 * files (`npm test` builds first) that package.json points at.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import type { INodeTypeDescription } from 'n8n-workflow';
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
		strict: true,
		nodes: [
			'dist/nodes/WolkvoxBilling/WolkvoxBilling.node.js',
			'dist/nodes/WolkvoxBillingTrigger/WolkvoxBillingTrigger.node.js',
		],
		credentials: ['dist/credentials/WolkvoxApi.credentials.js'],
	});
	// n8n-core and n8n-workflow pinned as the matching pair n8n 2.8.4 ships.
	expect(pkg.devDependencies['n8n-core']).toBe('2.8.1');
	expect(pkg.devDependencies['n8n-workflow']).toBe('2.8.0');
});

test('n8n’s Cloud check finds the package eligible: strict mode and n8n’s default lint config', () => {
	const result = spawnSync(path.join(root, 'node_modules', '.bin', 'n8n-node'), ['cloud-support'], {
		cwd: root,
		encoding: 'utf8',
		// CI forces colour on (FORCE_COLOR); ask for plain text and strip any colour left anyway.
		env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' },
	});
	// eslint-disable-next-line no-control-regex
	const output = `${result.stdout}${result.stderr}`.replace(/\u001b\[[0-9;]*m/g, '');
	expect(output).toContain('Cloud support is ENABLED');
	expect(output).toContain('Strict mode: enabled');
	expect(output).toContain('ESLint config: using default config');
	expect(output).toMatch(/Status: eligible for n8n Cloud verification/);
});

describe('rules coming in n8n’s lint', () => {
	const codexFiles: string[] = pkg.n8n.nodes.map((file: string) =>
		file.replace(/^dist\//, '').replace(/\.js$/, '.json'),
	);

	test.each(codexFiles)('%s has no subcategories (no-codex-subcategories)', (file: string) => {
		const codex = JSON.parse(fs.readFileSync(path.join(root, file), 'utf8'));
		expect(codex).not.toHaveProperty('subcategories');
	});

	/** WCAG contrast of the best colour of an SVG against a background, as icon-contrast measures it. */
	function bestContrast(svg: string, background: string): number {
		const luminance = (hex: string) => {
			const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255);
			const linear = (c: number) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
			return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
		};
		const colours = [...svg.matchAll(/(?:fill|stroke|stop-color)\s*[=:]\s*"?(#[0-9a-f]{6})/gi)].map(
			(match) => match[1],
		);
		expect(colours.length).toBeGreaterThan(0);
		const ratio = (a: number, b: number) => (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
		return Math.max(...colours.map((c) => ratio(luminance(c), luminance(background))));
	}

	test.each([
		['wolkvox.svg', '#ffffff'],
		['wolkvox.dark.svg', '#262626'],
		['wolkvox.dark.svg', '#2b2b2b'],
	])(
		'icons/%s stands out against its theme’s background %s (icon-contrast, minimum 1.5)',
		(icon, background) => {
			const svg = fs.readFileSync(path.join(root, 'icons', icon), 'utf8');
			expect(bestContrast(svg, background)).toBeGreaterThanOrEqual(1.5);
		},
	);
});

describe('the built package', () => {
	const load = (file: string) => {
		const full = path.join(root, file);
		if (!fs.existsSync(full)) throw new Error(`${file} is missing: run npm run build first`);
		return jest.requireActual(full);
	};

	test('the action node loads from dist', () => {
		const { WolkvoxBilling } = load(pkg.n8n.nodes[0]);
		const { description } = new WolkvoxBilling();
		expect(description).toMatchObject({
			name: 'wolkvoxBilling',
			displayName: 'Wolkvox Billing',
			version: 1,
			usableAsTool: true,
			credentials: [{ name: 'wolkvoxApi', required: true }],
		});
		expect(description.subtitle).toContain('$parameter["report"]');
	});

	test('the trigger loads from dist as a polling trigger on the same credential', () => {
		const { WolkvoxBillingTrigger } = load(pkg.n8n.nodes[1]);
		const { description } = new WolkvoxBillingTrigger();
		expect(description).toMatchObject({
			name: 'wolkvoxBillingTrigger',
			displayName: 'Wolkvox Billing Trigger',
			polling: true,
			group: ['trigger'],
			inputs: [],
			credentials: [{ name: 'wolkvoxApi', required: true }],
		});
	});

	test.each([0, 1])(
		'node %i has distinct light and dark SVG icons and a codex beside it',
		(index) => {
			const file = pkg.n8n.nodes[index] as string;
			const exported = load(file);
			const { description } = new (
				Object.values(exported)[0] as new () => {
					description: INodeTypeDescription & { icon: { light: string; dark: string } };
				}
			)();
			expect(description.documentationUrl).toMatch(/^https:\/\//);
			const dir = path.join(root, path.dirname(file));
			const icons = [description.icon.light, description.icon.dark];
			expect(new Set(icons).size).toBe(2);
			const svgs = icons.map((icon: string) => {
				expect(icon).toMatch(/^file:.*\.svg$/);
				return fs.readFileSync(path.join(dir, icon.slice(5)), 'utf8');
			});
			for (const svg of svgs) expect(svg).toMatch(/^<svg /);
			expect(svgs[0]).not.toBe(svgs[1]);
			const codex = JSON.parse(
				fs.readFileSync(file.replace(/^/, `${root}/`).replace(/\.js$/, '.json'), 'utf8'),
			);
			expect(codex.node).toBe(`n8n-nodes-wolkvox.${description.name}`);
			expect(codex.categories.length).toBeGreaterThan(0);
		},
	);

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
		expect(typeof index.WolkvoxBillingTrigger).toBe('function');
		expect(typeof index.WolkvoxApi).toBe('function');
	});
});
