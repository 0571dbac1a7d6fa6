/** What users read on npm's page: links that work there, and a table of error kinds that is true. */
import fs from 'node:fs';
import path from 'node:path';

import { asNodeError, factsOf, toNodeApiError, WolkvoxFailure } from '../nodes/shared/errors';
import {
	ERROR_KINDS,
	SETUP_FAILURES,
	type FailureKind,
	type SetupKind,
} from '../nodes/shared/failures';
import { WolkvoxSetupError } from '../nodes/shared/setupError';
import { absoluteLinks, githubRepo } from './support/links';
import { billingNode } from './support/engine/node';

test('repository URLs in package.json’s spellings name the GitHub repository', () => {
	for (const spelling of [
		'git+https://github.com/acme/n8n-nodes-wolkvox.git',
		'https://github.com/acme/n8n-nodes-wolkvox',
		{ type: 'git', url: 'git+ssh://git@github.com/acme/n8n-nodes-wolkvox.git' },
		'github.com:acme/n8n-nodes-wolkvox.git',
	]) {
		expect(githubRepo(spelling)).toBe('acme/n8n-nodes-wolkvox');
	}
	expect(() => githubRepo(undefined)).toThrow(/not a GitHub repository/);
});

test('every relative link and image of the README becomes absolute at the tag; others stay', () => {
	const readme = fs.readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');
	const published = absoluteLinks(readme, 'acme/n8n-nodes-wolkvox', 'v1.2.3');
	const targets = [...published.matchAll(/\]\(([^)\s]+)\)/g)].map((match) => match[1]);
	expect(targets.length).toBeGreaterThan(0);
	for (const target of targets) expect(target).toMatch(/^(https?:|mailto:|#)/);
	expect(published).toContain(
		'](https://raw.githubusercontent.com/acme/n8n-nodes-wolkvox/v1.2.3/docs/screenshots/',
	);
	expect(published).toContain('](https://github.com/acme/n8n-nodes-wolkvox/blob/v1.2.3/examples/');
	expect(absoluteLinks('[a](#x) [b](https://n8n.io) ![c](./d.png)', 'o/r', 't')).toBe(
		'[a](#x) [b](https://n8n.io) ![c](https://raw.githubusercontent.com/o/r/t/d.png)',
	);
});

describe('the README’s table of error kinds', () => {
	const readme = fs.readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');
	const rows = readme
		.split('\n')
		.filter((line) => /^\| `[a-z]/.test(line) && /\| (true|false) /.test(line))
		.map((line) => {
			const [kinds, retryable] = line.split('|').slice(1, 3);
			return {
				kinds: [...kinds.matchAll(/`(\w+)`/g)].map((m) => m[1]),
				retryable: retryable.trim() === 'true',
			};
		});
	const node = billingNode();
	/** The error this package raises for a kind, as a workflow's item sees it. */
	const factsFor = (kind: string) => {
		const setupKinds = Object.keys(SETUP_FAILURES);
		const error =
			kind === 'unexpected'
				? asNodeError(node, new Error('x'))
				: setupKinds.includes(kind)
					? asNodeError(node, new WolkvoxSetupError(kind as SetupKind, 'm', 'd'))
					: toNodeApiError(node, new WolkvoxFailure(kind as FailureKind), {
							host: 'h',
							timeoutSeconds: 60,
						});
		return factsOf(error);
	};

	test('lists every kind once, each with the retryable flag the error items carry', () => {
		const kinds = rows.flatMap((row) => row.kinds);
		// Every kind of the failure table, and 'unexpected': 34.
		expect(new Set(kinds).size).toBe(kinds.length);
		expect(kinds).toHaveLength(34);
		expect([...kinds].sort()).toEqual([...ERROR_KINDS].sort());
		for (const { kinds: inRow, retryable } of rows) {
			for (const kind of inRow) expect([kind, factsFor(kind)]).toEqual([kind, { kind, retryable }]);
		}
	});
});
