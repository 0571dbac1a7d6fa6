#!/usr/bin/env node
'use strict';
// Runs the Wolkvox simulator in the foreground: `npm run simulator -- --port 8732 --token abc`.
// Prints the base URL to put in a Wolkvox API credential's Base URL field.
const { WolkvoxSimulator } = require('./index');

function arg(name, fallback) {
	const index = process.argv.indexOf(`--${name}`);
	return index > 0 ? process.argv[index + 1] : fallback;
}

async function main() {
	const token = arg('token', 'sim-token-0032');
	const simulator = new WolkvoxSimulator({
		tokens: { [token]: { limit: Number(arg('quota', '1000')) } },
		latencyMs: Number(arg('latency', '0')),
	});
	const url = await simulator.start(Number(arg('port', '0')));
	console.log(JSON.stringify({ url, token }));
	const stop = async () => {
		await simulator.stop();
		process.exit(0);
	};
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
