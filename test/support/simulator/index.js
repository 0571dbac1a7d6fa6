'use strict';
/**
 * A Wolkvox simulator: a real HTTP server on 127.0.0.1 that answers as Wolkvox's API pages and
 * help center describe (see ../../README.md, "Testing"): the wolkvox-token header, every billing
 * report, token_info, each documented error with its status, one call at a time per token, a
 * daily quota, and the faults of real networks (latency, HTML 502, cut-off JSON, reset, hang).
 * It records every request it sees, and the most calls it ever had in flight per token.
 */
const http = require('node:http');

const {
	PRODUCTS,
	TOKEN_INFO_EXAMPLE,
	collectionExample,
	defaultReports,
	queryDate,
} = require('./data');

/** @type {Record<string, [number, string]>} Wolkvox's documented errors: status and text. */
const WOLKVOX_ERRORS = {
	unknownApi: [400, 'THE API YOU WANT TO CONSULT DOES NOT EXIST'],
	missingParameters: [400, 'SOME PARAMETERS ARE REQUIRED'],
	missingToken: [401, 'PLEASE ENTER THE WOLKVOX-TOKEN'],
	quotaExceeded: [403, 'TOKEN LIMIT EXCEEDED'],
	simultaneous: [403, 'EXCEEDS THE LIMIT OF SIMULTANEOUS REQUESTS PER TOKEN (2)'],
	invalidToken: [403, 'PLEASE VALIDATE TOKEN'],
};

/**
 * @typedef {object} RecordedRequest
 * @property {string} method
 * @property {string} path
 * @property {Record<string, string>} query
 * @property {Record<string, string | string[] | undefined>} headers
 * @property {string | undefined} token
 * @property {number} startedAt  performance.now() when the request arrived (monotonic, not a date)
 * @property {number | undefined} endedAt
 * @property {number | string | undefined} status
 * @property {string} [fault]
 * @property {number} [holdsTokenUntil] a hung call keeps the token until then, client gone or not
 */

/** The Error column of Wolkvox's error table, per status. */
const REASONS = { 400: 'BAD REQUEST', 401: 'UNAUTHORIZED', 403: 'FORBIDDEN' };

const HTML_502 =
	'<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';
const HTML_MAINTENANCE =
	'<!DOCTYPE html><html><head><title>Wolkvox</title></head><body><h1>Estamos en mantenimiento</h1><p>We are performing scheduled maintenance.</p></body></html>';

/**
 * Fault kinds, each answering one request in place of Wolkvox:
 * html502, html200 (a login or portal page answering 200), maintenance403 (HTML page), forbidden403 (empty body), status500, status503 (JSON),
 * status429, truncated (200 with cut-off JSON), notJson (200 text), empty200, reset (socket
 * destroyed), hang (never answers), redirect (302 elsewhere, or `status` to `location`),
 * simultaneous (as if another app held the token), slowBody (headers at once, then the answer
 * `bytesPerTick` bytes every `tickMs`), cutBody (headers and half the answer, then the connection
 * drops), tokenDropped (as if a proxy dropped the token header).
 */
const FAULTS = new Set([
	'html502',
	'html200',
	'maintenance403',
	'forbidden403',
	'status500',
	'status503',
	'status429',
	'truncated',
	'notJson',
	'empty200',
	'reset',
	'hang',
	'redirect',
	'simultaneous',
	'slowBody',
	'cutBody',
	'tokenDropped',
]);

class WolkvoxSimulator {
	/**
	 * @param {object} [options]
	 * @param {Record<string, {limit?: number, description?: string}>} [options.tokens] valid tokens
	 * @param {number} [options.latencyMs] delay before every answer
	 * @param {number} [options.concurrentLimit] calls a token may have in flight (Wolkvox: 1)
	 * @param {'error'|'msg'|'table'} [options.messageField] where error texts go: `table` is the
	 *   shape Wolkvox's error table suggests, the reason in `error` and the text in `msg`
	 *   ({"code":403,"error":"FORBIDDEN","msg":"PLEASE VALIDATE TOKEN"})
	 * @param {() => Date} [options.now] the clock (dates in rows, quota days)
	 */
	constructor(options = {}) {
		this.options = options;
		this.sockets = new Set();
		this.server = http.createServer((req, res) => this.handle(req, res));
		this.server.on('connection', (socket) => {
			this.sockets.add(socket);
			socket.on('close', () => this.sockets.delete(socket));
		});
		/** @type {Map<string, {limit: number, description: string, used: number}>} */
		this.tokens = new Map();
		this.latencyMs = 0;
		this.concurrentLimit = 1;
		/** @type {'error'|'msg'|'table'} */
		this.messageField = 'error';
		/** @type {string | undefined} token_info's answer as sent, when replaying the collection */
		this.tokenInfoRaw = undefined;
		/** @type {() => Date} */
		this.now = () => new Date();
		/** @type {Record<string, {code?: number|string, msg?: (rows: object[]) => string, rows?: () => object[], raw?: string | Buffer, status?: number, headers?: object}>} */
		this.reports = {};
		/** @type {Array<{kind: string, remaining: number, api?: string, holdMs?: number, status?: number, location?: string, bytesPerTick?: number, tickMs?: number}>} */
		this.faults = [];
		/** @type {RecordedRequest[]} */
		this.requests = [];
		/** @type {Map<string, number>} */
		this.inFlight = new Map();
		/** @type {Map<string, number>} the most calls ever in flight at once, per token */
		this.maxInFlight = new Map();
		/** @type {Map<string, number>} */
		this.heldUntil = new Map();
		this.reset();
	}

	/**
	 * Back to the state the constructor gave: default reports, fresh quotas, no faults, no
	 * records. Open connections (hung calls) are closed, so nothing carries over.
	 */
	reset() {
		const options = this.options;
		for (const socket of this.sockets) socket.destroy();
		this.tokens = new Map(
			Object.entries(options.tokens ?? { 'sim-token-0032': {} }).map(([token, info]) => [
				token,
				{ limit: info.limit ?? 1000, description: info.description ?? 'n8n integration', used: 0 },
			]),
		);
		this.latencyMs = options.latencyMs ?? 0;
		this.concurrentLimit = options.concurrentLimit ?? 1;
		this.messageField = options.messageField ?? 'error';
		this.now = options.now ?? (() => new Date());
		this.reports = /** @type {typeof this.reports} */ (defaultReports(() => this.now()));
		this.tokenInfoRaw = undefined;
		this.faults = [];
		this.requests = [];
		this.inFlight = new Map();
		this.maxInFlight = new Map();
		this.heldUntil = new Map();
	}

	/** Starts listening; resolves to the base URL (http://127.0.0.1:<port>). */
	async start(port = 0, host = '127.0.0.1') {
		await new Promise((resolve, reject) => {
			this.server.once('error', reject);
			this.server.listen(port, host, () => resolve(undefined));
		});
		const address = /** @type {import('node:net').AddressInfo} */ (this.server.address());
		this.url = `http://${host}:${address.port}`;
		return this.url;
	}

	async stop() {
		for (const socket of this.sockets) socket.destroy();
		await new Promise((resolve) => this.server.close(() => resolve()));
	}

	/** Replaces a report's rows (an array, or a function returning one); `code` as sent. */
	setReport(api, rows, code = 200) {
		this.reports[api] = { code, rows: typeof rows === 'function' ? rows : () => rows };
	}

	/**
	 * Sends this exact body (and status) for a report: a string or Buffer as it is (malformed
	 * envelopes, large prepared answers), anything else as JSON.
	 */
	setRawReport(api, body, status = 200, headers = {}) {
		const raw = typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
		this.reports[api] = { raw, status, headers };
	}

	removeReport(api) {
		delete this.reports[api];
	}

	/**
	 * Every billing report and token_info answer with the example answer of Wolkvox's own
	 * collection, word for word: placeholders ("" or " ") in every field.
	 */
	useCollectionExamples() {
		for (const api of Object.keys(PRODUCTS)) this.setRawReport(api, collectionExample(api));
		this.tokenInfoRaw = TOKEN_INFO_EXAMPLE;
	}

	/**
	 * The next `times` requests (for `api` only, if given) get this fault instead of an answer.
	 * A `hang` holds the call for `holdMs` (default: Wolkvox's 60 s limit) and then drops the
	 * connection; meanwhile it counts as in flight, as a slow call does at Wolkvox even after the
	 * client gave up.
	 *
	 * @param {string} kind
	 * @param {{times?: number, api?: string, holdMs?: number, status?: number, location?: string,
	 *   bytesPerTick?: number, tickMs?: number}} [options]
	 */
	fail(kind, { times = 1, api, holdMs = 60_000, status, location, bytesPerTick, tickMs } = {}) {
		if (!FAULTS.has(kind)) throw new Error(`unknown fault ${kind}`);
		this.faults.push({
			kind,
			remaining: times,
			api,
			holdMs,
			status,
			location,
			bytesPerTick,
			tickMs,
		});
	}

	/** As if another application held the token for `ms`: calls meanwhile get SIMULTANEOUS. */
	holdToken(token, ms) {
		this.heldUntil.set(token, performance.now() + ms);
	}

	/** @param {string} token @param {{limit?: number, used?: number}} quota */
	setQuota(token, { limit, used }) {
		const info = this.tokens.get(token);
		if (limit !== undefined) info.limit = limit;
		if (used !== undefined) info.used = used;
	}

	/** Billing calls seen, optionally for one report. */
	billingRequests(api) {
		return this.requests.filter(
			(r) => r.path === '/api/v2/billing.php' && (api === undefined || r.query.api === api),
		);
	}

	clearRecords() {
		this.requests = [];
		this.maxInFlight.clear();
	}

	takeFault(api) {
		const index = this.faults.findIndex((f) => f.api === undefined || f.api === api);
		if (index < 0) return undefined;
		const fault = this.faults[index];
		fault.remaining -= 1;
		if (fault.remaining <= 0) this.faults.splice(index, 1);
		return fault;
	}

	handle(req, res) {
		const url = new URL(req.url, 'http://simulator');
		const token = req.headers['wolkvox-token'];
		/** @type {RecordedRequest} */
		const record = {
			method: req.method ?? '',
			path: url.pathname,
			query: Object.fromEntries(url.searchParams),
			headers: { ...req.headers },
			token,
			startedAt: performance.now(),
			endedAt: undefined,
			status: undefined,
		};
		this.requests.push(record);

		const key = typeof token === 'string' ? token : '(none)';
		const before = this.inFlight.get(key) ?? 0;
		this.inFlight.set(key, before + 1);
		this.maxInFlight.set(key, Math.max(this.maxInFlight.get(key) ?? 0, before + 1));
		let released = false;
		const release = () => {
			if (released) return;
			// A hung call goes on at Wolkvox after the client gave up, holding the token.
			const holdLeft = (record.holdsTokenUntil ?? 0) - performance.now();
			if (holdLeft > 0) {
				setTimeout(release, holdLeft).unref();
				record.holdsTokenUntil = undefined;
				return;
			}
			released = true;
			record.endedAt = performance.now();
			this.inFlight.set(key, (this.inFlight.get(key) ?? 1) - 1);
		};
		res.on('finish', release);
		res.on('close', release);

		const answer = () => this.answer(req, res, url, token, before, record);
		if (this.latencyMs > 0) setTimeout(answer, this.latencyMs);
		else answer();
	}

	send(res, record, status, body, contentType = 'application/json; charset=utf-8', headers = {}) {
		record.status = status;
		if (res.destroyed) return;
		const all = {
			'content-type': contentType,
			'content-length': Buffer.byteLength(body),
			...headers,
		};
		// A header given as null is left out: no Content-Length means a chunked answer.
		for (const [name, value] of Object.entries(all)) if (value === null) delete all[name];
		res.writeHead(status, all);
		res.end(body);
	}

	sendEnvelope(res, record, status, envelope) {
		this.send(res, record, status, JSON.stringify(envelope));
	}

	sendError(res, record, [status, message]) {
		const envelope = { code: status, error: null, msg: null, data: null };
		if (this.messageField === 'table') {
			envelope.error = REASONS[status] ?? 'ERROR';
			envelope.msg = message;
		} else envelope[this.messageField] = message;
		this.sendEnvelope(res, record, status, envelope);
	}

	answer(req, res, url, token, inFlightBefore, record) {
		// Where test workflows report what they received (an HTTP Request node after a trigger).
		if (url.pathname === '/collect')
			return this.sendEnvelope(res, record, 200, { collected: true });
		const api = url.searchParams.get('api') ?? undefined;
		const fault = this.takeFault(api);
		if (fault) return this.answerFault(req, res, record, fault.kind, fault);

		if (req.method !== 'GET') return this.sendError(res, record, WOLKVOX_ERRORS.unknownApi);
		if (typeof token !== 'string' || token === '') {
			return this.sendError(res, record, WOLKVOX_ERRORS.missingToken);
		}
		const info = this.tokens.get(token);
		if (!info) return this.sendError(res, record, WOLKVOX_ERRORS.invalidToken);
		if (
			inFlightBefore >= this.concurrentLimit ||
			(this.heldUntil.get(token) ?? 0) > performance.now()
		) {
			return this.sendError(res, record, WOLKVOX_ERRORS.simultaneous);
		}
		if (info.used >= info.limit) return this.sendError(res, record, WOLKVOX_ERRORS.quotaExceeded);

		if (url.pathname === '/api/v2/information.php') {
			if (!api) return this.sendError(res, record, WOLKVOX_ERRORS.missingParameters);
			if (api !== 'token_info') return this.sendError(res, record, WOLKVOX_ERRORS.unknownApi);
			info.used += 1;
			if (this.tokenInfoRaw !== undefined) return this.send(res, record, 200, this.tokenInfoRaw);
			// As the collection answers: code as a string, msg with its leading space, every
			// field a string; all_token_today counts the uses of all the operation's tokens.
			let allTokensToday = 0;
			for (const other of this.tokens.values()) allTokensToday += other.used;
			return this.sendEnvelope(res, record, 200, {
				code: '200',
				error: null,
				msg: ' 1 records were found',
				data: [
					{
						description: info.description,
						token_limit: String(info.limit),
						token_use_today: String(info.used),
						all_token_today: String(allTokensToday),
						available_consumption_options: String(Math.max(0, info.limit - info.used)),
					},
				],
			});
		}
		if (url.pathname !== '/api/v2/billing.php') {
			return this.sendError(res, record, WOLKVOX_ERRORS.unknownApi);
		}
		if (!api) return this.sendError(res, record, WOLKVOX_ERRORS.missingParameters);
		const report = this.reportOf(api);
		if (!report) return this.sendError(res, record, WOLKVOX_ERRORS.unknownApi);
		info.used += 1;
		if (report.raw !== undefined) {
			return this.send(res, record, report.status, report.raw, undefined, report.headers);
		}
		const rows = report.rows();
		return this.sendEnvelope(res, record, 200, {
			code: report.code,
			error: null,
			msg: report.msg ? report.msg(rows) : 'Information found for the current month',
			data: rows,
		});
	}

	/** The report named `api`; never an inherited property such as __proto__ or toString. */
	reportOf(api) {
		return typeof api === 'string' && Object.hasOwn(this.reports, api)
			? this.reports[api]
			: undefined;
	}

	/**
	 * The report's whole answer (agent_script's for another name; a raw body as set), for faults
	 * that send part of it, with its headers written: the body is declared whole, as Wolkvox does.
	 */
	startFaultAnswer(res, api) {
		const report = this.reportOf(api) ?? this.reports.agent_script;
		const body = Buffer.from(
			report.raw ?? JSON.stringify({ code: 200, error: null, msg: 'ok', data: report.rows() }),
		);
		res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length });
		return body;
	}

	/** Headers at once, then the report's answer a few bytes at a time. */
	answerSlowly(res, record, { api, bytesPerTick = 1, tickMs = 300 }) {
		record.status = 200;
		const body = this.startFaultAnswer(res, api);
		let at = 0;
		const timer = setInterval(() => {
			if (res.destroyed || at >= body.length) {
				clearInterval(timer);
				if (!res.destroyed) res.end();
				return;
			}
			res.write(body.subarray(at, at + bytesPerTick));
			at += bytesPerTick;
		}, tickMs);
		res.on('close', () => clearInterval(timer));
	}

	answerFault(req, res, record, kind, fault = {}) {
		record.fault = kind;
		switch (kind) {
			case 'html502':
				return this.send(res, record, 502, HTML_502, 'text/html');
			case 'html200':
				return this.send(res, record, 200, HTML_MAINTENANCE, 'text/html; charset=utf-8');
			case 'maintenance403':
				return this.send(res, record, 403, HTML_MAINTENANCE, 'text/html; charset=utf-8');
			case 'forbidden403':
				return this.send(res, record, 403, '', 'text/plain');
			case 'status500':
				return this.send(
					res,
					record,
					500,
					JSON.stringify({ code: 500, error: null, msg: null, data: null }),
				);
			case 'status503':
				return this.send(res, record, 503, 'Service Unavailable', 'text/plain');
			case 'status429':
				return this.send(res, record, 429, 'Too Many Requests', 'text/plain');
			case 'truncated':
				return this.send(
					res,
					record,
					200,
					'{"code":200,"error":null,"msg":"Information found for the current month","data":[{"operation":"Andina Con',
				);
			case 'notJson':
				return this.send(res, record, 200, 'OK', 'text/plain');
			case 'empty200':
				return this.send(res, record, 200, '', 'application/json');
			case 'redirect':
				record.status = fault.status ?? 302;
				res.writeHead(record.status, {
					location: fault.location ?? 'https://login.example.net/wolkvox?next=%2Fapi',
					'content-length': 0,
				});
				return res.end();
			case 'slowBody':
				return this.answerSlowly(res, record, { ...fault, api: record.query.api });
			case 'cutBody': {
				record.status = 'cut';
				const body = this.startFaultAnswer(res, record.query.api);
				res.write(body.subarray(0, body.length >> 1));
				return setTimeout(() => req.socket.destroy(), 50);
			}
			case 'simultaneous':
				return this.sendError(res, record, WOLKVOX_ERRORS.simultaneous);
			case 'tokenDropped':
				return this.sendError(res, record, WOLKVOX_ERRORS.missingToken);
			case 'reset':
				record.status = 'reset';
				return req.socket.destroy();
			case 'hang': {
				record.status = 'hang';
				record.holdsTokenUntil = performance.now() + (fault.holdMs ?? 60_000);
				const timer = setTimeout(() => req.socket.destroy(), fault.holdMs ?? 60_000);
				res.on('close', () => clearTimeout(timer));
				return undefined;
			}
			default:
				throw new Error(`unhandled fault ${kind}`);
		}
	}
}

module.exports = { WolkvoxSimulator, WOLKVOX_ERRORS, FAULTS, queryDate };
