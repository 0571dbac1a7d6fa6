#!/usr/bin/env node
// npm run scan: n8n's own package scanner (@n8n/scan-community-package), run the way n8n runs it
// on a published version, but on this checkout: analyzePackage on the unpacked `npm pack`
// tarball (the dist leg) and on the sources n8n would fetch through provenance (the source leg).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import {
	analyzePackage,
	SOURCE_FILE_PATTERNS,
} from '@n8n/scan-community-package/scanner/scanner.mjs';

import e2e from '../test/support/n8n.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'wolkvox-scan-'));
try {
	const tarball = e2e.packPackage(work);
	execFileSync('tar', ['-xzf', tarball, '-C', work]);
	const packageDir = path.join(work, 'package');

	const legs = [
		[
			'unpacked tarball (dist + package.json)',
			await analyzePackage(packageDir, ['**/*.js', 'package.json']),
		],
		[
			'sources (package.json, nodes/, credentials/)',
			await analyzePackage(root, SOURCE_FILE_PATTERNS),
		],
	];
	let failed = false;
	for (const [name, result] of legs) {
		console.log(
			`${result.passed ? 'passed' : 'FAILED'}: ${name}${result.message ? ` (${result.message})` : ''}`,
		);
		if (!result.passed) {
			failed = true;
			if (result.details) console.log(result.details);
		}
	}
	process.exitCode = failed ? 1 : 0;
} finally {
	fs.rmSync(work, { recursive: true, force: true });
}
