'use strict';
/**
 * End-to-end: the install by environment variables (README, "Install by environment variables")
 * on the newest 2.x the suite runs. No editor and no REST install: a fresh user folder, `n8n start`
 * with N8N_COMMUNITY_PACKAGES_MANAGED_BY_ENV=true and N8N_COMMUNITY_PACKAGES naming our package,
 * version and sha512 checksum; n8n downloads and installs it at start-up, and it is still there,
 * not downloaded again, after a restart. A wrong checksum makes n8n refuse the package.
 *
 * The package is not on npm, and n8n only accepts https://registry.npmjs.org without an
 * enterprise licence (N8N_COMMUNITY_PACKAGES_REGISTRY is licence-gated). So the test serves a
 * minimal npm registry for our packed tarball over HTTPS, with a throwaway CA and certificate
 * made by `openssl`, on a random loopback address, and runs each `n8n start` in a private mount
 * namespace (`unshare --mount`) where a copy of /etc/hosts maps registry.npmjs.org to that
 * address. Only n8n and the npm it runs see that hosts file and trust that CA; nothing on the
 * machine changes. That needs root, `unshare` (util-linux) and `openssl`; without them the
 * suite is skipped, saying which is missing.
 *
 * Run: node --test test/e2e/env-install.test.js (or npm run test:e2e, with the other suites).
 */
const assert = require('node:assert/strict');
const { execFileSync, spawnSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const https = require('node:https');
const os = require('node:os');
const path = require('node:path');
const { after, before, describe, test } = require('node:test');

const { WolkvoxSimulator } = require('../support/simulator');
const {
	N8nInstance,
	outputOf,
	OWNER,
	ensureN8n,
	packPackage,
	readExample,
	useCredential,
	withManualTrigger,
} = require('../support/n8n');

/** n8n ≥ 2.21 installs from the environment; 2.41.1 is the newest 2.x the suite runs. */
const VERSION = process.env.N8N_ENV_INSTALL_VERSION || '2.41.1';
const NAME = 'n8n-nodes-wolkvox';
const REGISTRY_HOST = 'registry.npmjs.org';
const TOKEN = 'E2E-ENV-INSTALL-TOKEN-4f19c2';
/** The package's node types as n8n lists them: the Billing node, its AI tool twin, the trigger. */
const NODE_TYPES = [
	`${NAME}.wolkvoxBilling`,
	`${NAME}.wolkvoxBillingTool`,
	`${NAME}.wolkvoxBillingTrigger`,
];

function hasCommand(name) {
	return spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0;
}

function skipReason() {
	const missing = [];
	if (process.getuid?.() !== 0) missing.push('root (a mount namespace for /etc/hosts)');
	if (!hasCommand('unshare')) missing.push('`unshare` (Debian package util-linux)');
	if (!hasCommand('openssl')) missing.push('`openssl` (Debian package openssl)');
	return missing.length ? `needs ${missing.join(', ')}` : false;
}

/** A throwaway CA and a certificate for registry.npmjs.org signed by it, in `dir`. */
function makeCertificates(dir) {
	const file = (name) => path.join(dir, name);
	const openssl = (...args) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
	fs.writeFileSync(
		file('leaf.ext'),
		[
			'basicConstraints=critical,CA:FALSE',
			'keyUsage=critical,digitalSignature,keyEncipherment',
			'extendedKeyUsage=serverAuth',
			`subjectAltName=DNS:${REGISTRY_HOST}`,
			'subjectKeyIdentifier=hash',
			'authorityKeyIdentifier=keyid,issuer',
		].join('\n'),
	);
	// prettier-ignore
	openssl(
		'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2',
		'-keyout', 'ca.key', '-out', 'ca.crt', '-subj', '/CN=n8n-nodes-wolkvox e2e throwaway CA',
		'-addext', 'basicConstraints=critical,CA:TRUE',
		'-addext', 'keyUsage=critical,keyCertSign,cRLSign',
	);
	// prettier-ignore
	openssl(
		'req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'leaf.key', '-out', 'leaf.csr',
		'-subj', `/CN=${REGISTRY_HOST}`,
	);
	// prettier-ignore
	openssl(
		'x509', '-req', '-in', 'leaf.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial',
		'-days', '2', '-out', 'leaf.crt', '-extfile', 'leaf.ext',
	);
	return {
		caFile: file('ca.crt'),
		key: fs.readFileSync(file('leaf.key')),
		cert: fs.readFileSync(file('leaf.crt')),
	};
}

/**
 * The part of the npm registry API that n8n and npm use for one package: the packument, the
 * version document, the tarball. Everything else is a quick 404. Every request is recorded.
 */
async function startRegistry({ address, key, cert, tarball, manifest }) {
	const data = fs.readFileSync(tarball);
	const version = manifest.version;
	const tarballPath = `/${NAME}/-/${NAME}-${version}.tgz`;
	const dist = {
		tarball: `https://${REGISTRY_HOST}${tarballPath}`,
		integrity: `sha512-${crypto.createHash('sha512').update(data).digest('base64')}`,
		shasum: crypto.createHash('sha1').update(data).digest('hex'),
	};
	const versionDoc = { ...manifest, _id: `${NAME}@${version}`, dist };
	const packument = {
		_id: NAME,
		name: NAME,
		'dist-tags': { latest: version },
		versions: { [version]: versionDoc },
		time: { [version]: new Date().toISOString() },
	};
	const requests = [];
	const server = https.createServer({ key, cert }, (req, res) => {
		const url = decodeURIComponent(req.url.split('?')[0]);
		requests.push({ method: req.method, url, userAgent: req.headers['user-agent'] ?? '' });
		const json = (status, body) => {
			res.writeHead(status, { 'content-type': 'application/json' });
			res.end(JSON.stringify(body));
		};
		if (req.method !== 'GET') return json(404, { error: 'Not found' });
		if (url === `/${NAME}`) return json(200, packument);
		if (url === `/${NAME}/${version}` || url === `/${NAME}/latest`) return json(200, versionDoc);
		if (url === tarballPath) {
			res.writeHead(200, {
				'content-type': 'application/octet-stream',
				'content-length': data.length,
			});
			return res.end(data);
		}
		return json(404, { error: 'Not found' });
	});
	await new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(443, address, resolve);
	});
	return {
		dist,
		requests,
		tarballPath,
		tarballRequests: () => requests.filter((r) => r.url === tarballPath),
		stop: () => new Promise((resolve) => server.close(resolve)),
	};
}

/** A copy of /etc/hosts that sends registry.npmjs.org to `address`. */
function writeHosts(file, address) {
	const lines = fs
		.readFileSync('/etc/hosts', 'utf8')
		.split('\n')
		.filter((line) => !line.split(/\s+/).slice(1).includes(REGISTRY_HOST));
	fs.writeFileSync(file, `${lines.join('\n')}\n${address} ${REGISTRY_HOST}\n`);
}

/** The package's nodes in n8n's node types (GET /types/nodes.json, which needs a session). */
async function wolkvoxNodeTypes(n8n) {
	const response = await fetch(`${n8n.baseUrl}/types/nodes.json`, {
		headers: { cookie: n8n.cookie },
	});
	assert.equal(response.status, 200, 'GET /types/nodes.json');
	const types = await response.json();
	return [
		...new Set(types.map((t) => t.name).filter((name) => name.startsWith(`${NAME}.`))),
	].sort();
}

/** `n8n execute` of the daily report's Manual Trigger twin: one Agent Script row from the simulator. */
async function assertDailyReportRuns(n8n) {
	const result = await n8n.execute('envInstallDaily');
	assert.equal(result.code, 0, result.stdout + result.stderr);
	const rows = outputOf(result.run, 'Wolkvox Billing');
	assert.deepEqual(
		rows.map((item) => [item.json.report, item.json.operation, item.json.items]),
		[['agent_script', 'Andina Contact Center', 42]],
	);
}

describe(`n8n ${VERSION}: install by environment variables`, { skip: skipReason() }, () => {
	let tmp;
	let registry;
	let sim;
	let simUrl;
	let install;
	let env;
	let prefix;
	let manifest;
	const instances = [];
	let n8n;
	let started;

	/**
	 * `n8n start` in a mount namespace where registry.npmjs.org is our registry, then `body`;
	 * n8n is stopped whatever happens.
	 */
	async function whileRunning(instance, extraEnv, body) {
		try {
			await instance.start({ env: extraEnv, prefix });
			await body();
		} catch (error) {
			error.message += `\nregistry requests: ${JSON.stringify(registry.requests)}`;
			error.message += `\nn8n log:\n${instance.serverLog}`;
			throw error;
		} finally {
			await instance.stop();
		}
	}

	function installedPackageJson(instance) {
		const file = path.join(
			instance.userFolder,
			'.n8n',
			'nodes',
			'node_modules',
			NAME,
			'package.json',
		);
		return fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : undefined;
	}

	before(async () => {
		started = Date.now();
		install = ensureN8n(VERSION);
		tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'wolkvox-env-install-'));
		const tarball = packPackage(tmp);
		manifest = JSON.parse(
			execFileSync('tar', ['-xzOf', tarball, 'package/package.json'], { encoding: 'utf8' }),
		);
		const { caFile, key, cert } = makeCertificates(tmp);
		// A random loopback address: runs side by side do not compete for port 443.
		const address = `127.${crypto.randomInt(1, 255)}.${crypto.randomInt(0, 256)}.${crypto.randomInt(1, 255)}`;
		registry = await startRegistry({ address, key, cert, tarball, manifest });
		const hosts = path.join(tmp, 'hosts');
		writeHosts(hosts, address);
		prefix = [
			'unshare',
			'--mount',
			'--propagation',
			'private',
			'--',
			'sh',
			'-c',
			'mount --bind "$0" /etc/hosts && exec "$@"',
			hosts,
		];
		const npmrc = path.join(tmp, 'npmrc');
		fs.writeFileSync(npmrc, '');
		env = {
			N8N_COMMUNITY_PACKAGES_MANAGED_BY_ENV: 'true',
			N8N_COMMUNITY_PACKAGES: JSON.stringify([
				{ name: NAME, version: manifest.version, checksum: registry.dist.integrity },
			]),
			// Only our CA, for n8n's own registry requests and for the npm it runs; npm's cache
			// is fresh, so the tarball has to come from the registry.
			NODE_EXTRA_CA_CERTS: caFile,
			npm_config_cafile: caFile,
			npm_config_userconfig: npmrc,
			npm_config_cache: path.join(tmp, 'npm-cache'),
			npm_config_update_notifier: 'false',
		};
		sim = new WolkvoxSimulator({ tokens: { [TOKEN]: { limit: 1000 } } });
		simUrl = await sim.start();
	});

	after(async () => {
		for (const instance of instances) {
			await instance.stop();
			instance.cleanup();
		}
		await registry?.stop();
		await sim?.stop();
		if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
		console.log(
			`# n8n ${VERSION} env install: took ${Math.round((Date.now() - started) / 1000)} s`,
		);
	});

	test(
		'a fresh user folder: n8n start installs the package from our registry, checksum checked',
		{ timeout: 300_000 },
		async () => {
			n8n = await new N8nInstance(install).init();
			instances.push(n8n);
			assert.deepEqual(fs.readdirSync(n8n.userFolder), [], 'the user folder is fresh');
			await whileRunning(n8n, env, async () => {
				assert.match(
					n8n.serverLog,
					new RegExp(`Installed community package '${NAME}@${manifest.version}' from env`),
				);
				const downloads = registry.tarballRequests();
				assert.equal(downloads.length, 1, 'one download of the tarball');
				assert.match(downloads[0].userAgent, /^npm\//, 'npm fetched the tarball');
				// n8n read the version document (the checksum check) before npm fetched the tarball.
				const urls = registry.requests.map((r) => r.url);
				const versionDoc = urls.indexOf(`/${NAME}/${manifest.version}`);
				assert.ok(versionDoc >= 0 && versionDoc < urls.indexOf(registry.tarballPath));
				assert.equal(installedPackageJson(n8n)?.version, manifest.version);
				await n8n.setupOwner();
				assert.deepEqual(await wolkvoxNodeTypes(n8n), NODE_TYPES);
			});
		},
	);

	test(
		'the installed node runs: a Wolkvox Billing workflow with `n8n execute`',
		{ timeout: 300_000 },
		async () => {
			const credential = {
				id: 'wolkvoxEnvInstall',
				name: 'Wolkvox simulator',
				type: 'wolkvoxApi',
				data: { server: '0032', token: TOKEN, baseUrl: simUrl },
			};
			await n8n.importCredentials([credential]);
			await n8n.importWorkflows([
				withManualTrigger(
					useCredential(readExample('daily-report-csv.json'), credential),
					'envInstallDaily',
				),
			]);
			await assertDailyReportRuns(n8n);
		},
	);

	test(
		'after a restart the package is still installed, works, and is not downloaded again',
		{ timeout: 300_000 },
		async () => {
			const before = registry.requests.length;
			await whileRunning(n8n, env, async () => {
				assert.doesNotMatch(
					n8n.serverLog,
					/Installed community package|Failed to install community package/,
				);
				assert.deepEqual(registry.requests.slice(before), [], 'no registry request on the restart');
				assert.equal(installedPackageJson(n8n)?.version, manifest.version);
				await n8n.rest('POST', '/login', {
					emailOrLdapLoginId: OWNER.email,
					password: OWNER.password,
				});
				assert.deepEqual(await wolkvoxNodeTypes(n8n), NODE_TYPES);
			});
			await assertDailyReportRuns(n8n);
			assert.equal(registry.tarballRequests().length, 1, 'still one download in all');
		},
	);

	test(
		'a wrong checksum: n8n refuses the package, downloads nothing and still starts',
		{ timeout: 300_000 },
		async () => {
			const wrong = await new N8nInstance(install).init();
			instances.push(wrong);
			const before = registry.requests.length;
			const otherBytes = crypto.createHash('sha512').update('not our tarball').digest('base64');
			const wrongEnv = {
				...env,
				N8N_COMMUNITY_PACKAGES: JSON.stringify([
					{ name: NAME, version: manifest.version, checksum: `sha512-${otherBytes}` },
				]),
			};
			await whileRunning(wrong, wrongEnv, async () => {
				assert.match(
					wrong.serverLog,
					new RegExp(
						`Failed to install community package '${NAME}@${manifest.version}' from env: ` +
							'Failed to verify package checksum\\.',
					),
				);
				const urls = registry.requests.slice(before).map((r) => r.url);
				// It compared with our registry's integrity (not a network failure) and fetched no tarball.
				assert.ok(urls.includes(`/${NAME}/${manifest.version}`), JSON.stringify(urls));
				assert.ok(!urls.includes(registry.tarballPath), JSON.stringify(urls));
				assert.equal(installedPackageJson(wrong), undefined);
				await wrong.setupOwner();
				assert.deepEqual(await wolkvoxNodeTypes(wrong), []);
			});
		},
	);
});
