#!/usr/bin/env node
'use strict';
// Runs before `npm publish` (prepublishOnly): refuses to publish while package.json still has
// the placeholders that stand in for the publishing identity, which is not chosen yet.
const pkg = require('../package.json');

const problems = [];
if (!pkg.author?.email || /\.invalid$/i.test(pkg.author.email)) {
	problems.push('author.email is a placeholder: set the maintainers’ real address');
}
if (!pkg.repository?.url) {
	problems.push(
		'repository.url is missing: npm provenance (required by n8n) ties the package to it',
	);
}
if (/npmjs\.com\/package/.test(pkg.homepage ?? '') && !pkg.repository?.url) {
	problems.push('homepage points at npm only: point it at the repository’s README');
}
if (problems.length) {
	console.error(`Not publishing n8n-nodes-wolkvox ${pkg.version}:\n- ${problems.join('\n- ')}`);
	process.exit(1);
}
