'use strict';
/**
 * Redis and Postgres for the queue-mode suite, from Debian's packages (`redis-server`,
 * `postgresql`; .ci/run installs them when missing): each on a loopback port chosen at run time,
 * with its data in a folder of the caller's, stopped by `stop()`. Postgres refuses to run as
 * root, so as root its binaries run as the `postgres` user, in a folder that user owns.
 */
const { spawn, spawnSync, execFileSync } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');

const { waitUntil } = require('./wait');

async function freePort() {
	return await new Promise((resolve, reject) => {
		const server = net.createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
			server.close(() => resolve(port));
		});
	});
}

/** Whether something accepts connections on this loopback port. */
async function portOpen(port) {
	return await new Promise((resolve) => {
		const socket = net.connect(port, '127.0.0.1');
		socket.once('connect', () => {
			socket.destroy();
			resolve(true);
		});
		socket.once('error', () => resolve(false));
	});
}

/** A long-running child whose output goes to `<dir>/<name>.log`; `stop()` ends it. */
function startProcess(dir, name, command, args, options = {}) {
	const logFile = path.join(dir, `${name}.log`);
	const out = fs.openSync(logFile, 'a');
	const child = spawn(command, args, { ...options, stdio: ['ignore', out, out] });
	fs.closeSync(out);
	return {
		name,
		child,
		logFile,
		log: () => (fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8') : ''),
		alive: () => child.exitCode === null && child.signalCode === null,
		async stop(signal = 'SIGTERM') {
			if (child.exitCode !== null || child.signalCode !== null) return;
			const exited = new Promise((resolve) => child.once('exit', resolve));
			const kill = (sig) => {
				try {
					if (options.detached) process.kill(-child.pid, sig);
					else child.kill(sig);
				} catch {
					// already gone
				}
			};
			kill(signal);
			const timer = setTimeout(() => kill('SIGKILL'), 20_000);
			await exited;
			clearTimeout(timer);
		},
	};
}

async function startRedis(dir) {
	const port = await freePort();
	const data = path.join(dir, 'redis');
	fs.mkdirSync(data, { recursive: true });
	const redis = startProcess(dir, 'redis', 'redis-server', [
		...['--port', String(port), '--bind', '127.0.0.1', '--dir', data],
		...['--save', '', '--appendonly', 'no', '--daemonize', 'no'],
	]);
	await waitUntil('Redis', () => {
		if (!redis.alive()) throw new Error(`redis-server exited:\n${redis.log()}`);
		return /Ready to accept connections/.test(redis.log());
	});
	return { port, process: redis, stop: () => redis.stop() };
}

/** The newest Postgres server Debian installed. */
function postgresBin() {
	const root = '/usr/lib/postgresql';
	const versions = fs.existsSync(root)
		? fs
				.readdirSync(root)
				.filter((v) => fs.existsSync(path.join(root, v, 'bin', 'postgres')))
				.sort((a, b) => Number(b) - Number(a))
		: [];
	if (!versions.length) throw new Error('no Postgres server: apt-get install postgresql');
	return path.join(root, versions[0], 'bin');
}

/**
 * A fresh Postgres cluster with a database `n8n` owned by user `n8n` (trust auth, loopback only).
 * `pg` is the node-postgres module to query it with (n8n brings one).
 */
async function startPostgres(dir, pg) {
	const bin = postgresBin();
	const port = await freePort();
	const asRoot = process.getuid?.() === 0;
	const user = asRoot
		? {
				uid: Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' })),
				gid: Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' })),
			}
		: {};
	const home = path.join(dir, 'postgres');
	fs.mkdirSync(home, { recursive: true });
	// The postgres user must reach its folder inside the caller's temporary one.
	fs.chmodSync(dir, 0o755);
	if (asRoot) fs.chownSync(home, user.uid, user.gid);
	const data = path.join(home, 'data');
	const init = spawnSync(
		path.join(bin, 'initdb'),
		[...['-D', data, '-U', 'n8n', '--auth=trust', '-E', 'UTF8'], '--no-sync', '--no-instructions'],
		{ ...user, cwd: home, encoding: 'utf8' },
	);
	if (init.status !== 0) throw new Error(`initdb failed:\n${init.stdout}${init.stderr}`);
	const server = startProcess(
		dir,
		'postgres',
		path.join(bin, 'postgres'),
		[
			...['-D', data, '-p', String(port), '-k', home, '-c', 'listen_addresses=127.0.0.1'],
			...['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'max_connections=200'],
		],
		{ ...user, cwd: home },
	);
	const query = async (database, sql) => {
		const client = new pg.Client({ host: '127.0.0.1', port, user: 'n8n', database });
		await client.connect();
		try {
			return (await client.query(sql)).rows;
		} finally {
			await client.end();
		}
	};
	await waitUntil('Postgres', async () => {
		if (!server.alive()) throw new Error(`postgres exited:\n${server.log()}`);
		try {
			await query('postgres', 'select 1');
			return true;
		} catch {
			return false;
		}
	});
	await query('postgres', 'create database n8n');
	return {
		port,
		version: (await query('n8n', 'show server_version'))[0].server_version,
		query: (sql) => query('n8n', sql),
		process: server,
		// SIGINT: Postgres's fast shutdown.
		stop: () => server.stop('SIGINT'),
	};
}

module.exports = { freePort, portOpen, startPostgres, startProcess, startRedis };
