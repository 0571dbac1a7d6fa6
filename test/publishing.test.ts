/** What publishing changes: README links that work on npm's page, where only dist/ is shipped. */
import fs from 'node:fs';
import path from 'node:path';

import { absoluteLinks, githubRepo } from '../scripts/absolute-links';

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
