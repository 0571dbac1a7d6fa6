#!/usr/bin/env node
'use strict';
/**
 * Rewrites the README's relative links (screenshots, examples/, CONTRIBUTING.md) as absolute ones
 * into the repository at the release's tag, so that they work on npm's page, where the package
 * holds only dist/. The publish workflow runs it just before `npm publish`; it needs
 * package.json's `repository`, which check-publish.js requires.
 *
 *   node scripts/absolute-links.js [README.md]
 */
const fs = require('node:fs');
const path = require('node:path');

/** owner/name of a GitHub repository URL in any of package.json's spellings. */
function githubRepo(repository) {
	const url = typeof repository === 'string' ? repository : repository?.url;
	const match = /github\.com[/:]([^/]+\/[^/#]+?)(?:\.git)?(?:[/#].*)?$/.exec(url ?? '');
	if (!match) throw new Error(`package.json repository is not a GitHub repository: ${url}`);
	return match[1];
}

/** The markdown with every relative link and image made absolute at `ref`. */
function absoluteLinks(markdown, repo, ref) {
	const relative = (target) => !/^([a-z][a-z\d+.-]*:|#|\/\/)/i.test(target);
	const clean = (target) => target.replace(/^\.\//, '');
	return markdown
		.replace(/(!\[[^\]]*\]\()([^)\s]+)(\))/g, (all, open, target, close) =>
			relative(target)
				? `${open}https://raw.githubusercontent.com/${repo}/${ref}/${clean(target)}${close}`
				: all,
		)
		.replace(/((?<!!)\[[^\]]*\]\()([^)\s]+)(\))/g, (all, open, target, close) =>
			relative(target)
				? `${open}https://github.com/${repo}/blob/${ref}/${clean(target)}${close}`
				: all,
		);
}

if (require.main === module) {
	const root = path.resolve(__dirname, '..');
	const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
	const file = path.resolve(root, process.argv[2] ?? 'README.md');
	const repo = githubRepo(pkg.repository);
	fs.writeFileSync(file, absoluteLinks(fs.readFileSync(file, 'utf8'), repo, `v${pkg.version}`));
	console.log(
		`${path.relative(root, file)}: relative links now point into ${repo} at v${pkg.version}`,
	);
}

module.exports = { absoluteLinks, githubRepo };
