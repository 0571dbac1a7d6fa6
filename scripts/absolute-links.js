#!/usr/bin/env node
'use strict';
// Release step (publish.yml): the README's relative links and images made absolute at the tag,
// so that they work on npm's page.
//   node scripts/absolute-links.js [README.md]
const fs = require('node:fs');
const path = require('node:path');

const { absoluteLinks, githubRepo } = require('../test/support/links');

const root = path.resolve(__dirname, '..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const file = path.resolve(root, process.argv[2] ?? 'README.md');
const repo = githubRepo(pkg.repository);
fs.writeFileSync(file, absoluteLinks(fs.readFileSync(file, 'utf8'), repo, `v${pkg.version}`));
console.log(
	`${path.relative(root, file)}: relative links now point into ${repo} at v${pkg.version}`,
);
