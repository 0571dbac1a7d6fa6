'use strict';
/**
 * The README's relative links (screenshots, examples/, CONTRIBUTING.md) as absolute ones into the
 * repository at the release's tag, so that they work on npm's page, where the package holds only
 * dist/. scripts/absolute-links.js runs it in the publish workflow, just before `npm publish`; it
 * needs package.json's `repository`, which check-publish.js requires.
 */

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

module.exports = { absoluteLinks, githubRepo };
