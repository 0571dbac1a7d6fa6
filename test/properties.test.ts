/**
 * Property-based tests (fast-check, 10,000 cases each) on the two places where anything at all
 * can come in: Wolkvox's answer, and what users type as the server number.
 */
import fc from 'fast-check';
import { NodeApiError } from 'n8n-workflow';

import { readAnswer } from '../nodes/shared/answer';
import { billingNode } from './support/engine/node';
import { countOf, shapeRow } from '../nodes/shared/rows';
import { toNodeApiError, WolkvoxFailure } from '../nodes/shared/errors';
import { SecretGuard } from '../nodes/shared/secret';
import { normalizeBaseUrl, normalizeServer } from '../nodes/shared/baseUrl';
import { WolkvoxSetupError } from '../nodes/shared/setupError';

const RUNS = { numRuns: 10_000 };
const SECRET = 'prop-secret-token-4711';
const node = billingNode();

describe('the response parser', () => {
	const wolkvoxTexts = fc.constantFrom(
		'THE API YOU WANT TO CONSULT DOES NOT EXIST',
		'SOME PARAMETERS ARE REQUIRED',
		'PLEASE ENTER THE WOLKVOX-TOKEN',
		'TOKEN LIMIT EXCEEDED',
		'EXCEEDS THE LIMIT OF SIMULTANEOUS REQUESTS PER TOKEN (2)',
		'PLEASE VALIDATE TOKEN',
		'Information found for the current month',
	);
	const text = fc.oneof(fc.string(), wolkvoxTexts, fc.constant(SECRET));
	const row = fc.oneof(
		fc.record(
			{
				operation: text,
				description: text,
				items: fc.oneof(
					fc.string(),
					fc.integer().map(String),
					fc.double().map(String),
					fc.integer(),
				),
				date: text,
			},
			{ requiredKeys: [] },
		),
		fc.dictionary(fc.string(), fc.jsonValue()),
		fc.jsonValue(),
	);
	const envelope = fc.record(
		{
			code: fc.oneof(
				fc.constant(200),
				fc.constant('200'),
				fc.constant(' 200 '),
				fc.integer({ min: 100, max: 599 }),
				fc.string(),
				fc.jsonValue(),
			),
			error: fc.option(text),
			msg: fc.option(text),
			data: fc.oneof(fc.array(row, { maxLength: 5 }), fc.jsonValue()),
		},
		{ requiredKeys: [] },
	);
	const body = fc.oneof(
		envelope.map((e) => JSON.stringify(e)),
		envelope.chain((e) => {
			const full = JSON.stringify(e);
			return fc.nat({ max: full.length }).map((cut) => full.slice(0, cut));
		}),
		fc.jsonValue().map((v) => JSON.stringify(v)),
		fc.string(),
		fc.string().map((s) => `<html><body>${s}</body></html>`),
		fc.constant(''),
	);
	const status = fc.oneof(
		fc.constantFrom(200, 201, 204, 301, 302, 400, 401, 403, 404, 429, 500, 502, 503),
		fc.integer({ min: 100, max: 599 }),
	);

	test('returns a list of object rows, or throws a failure that becomes an n8n error', () => {
		fc.assert(
			fc.property(status, body, fc.boolean(), (statusCode, text, keepText) => {
				let rows: unknown[];
				try {
					rows = readAnswer({ statusCode, body: text }, new SecretGuard(SECRET));
				} catch (error) {
					expect(error).toBeInstanceOf(WolkvoxFailure);
					const nodeError = toNodeApiError(node, error as WolkvoxFailure, {
						host: 'wv0032.wolkvox.com',
						report: 'agent_script',
						timeoutSeconds: 60,
						guard: new SecretGuard(SECRET),
					});
					expect(nodeError).toBeInstanceOf(NodeApiError);
					expect(nodeError.message.length).toBeGreaterThan(0);
					expect(nodeError.description?.length).toBeGreaterThan(0);
					expect(`${nodeError.message} ${nodeError.description}`).not.toContain(SECRET);
					return;
				}
				// Success only for a 2xx answer with code 200 and a list of object rows.
				expect(statusCode >= 200 && statusCode < 300).toBe(true);
				const parsed = JSON.parse(text);
				expect([200, '200']).toContainEqual(
					typeof parsed.code === 'string' ? parsed.code.trim() : parsed.code,
				);
				expect(rows).toEqual(parsed.data);
				for (const raw of rows) {
					expect(typeof raw === 'object' && raw !== null && !Array.isArray(raw)).toBe(true);
					const shaped = shapeRow('agent_script', raw, { keepItemsAsText: keepText });
					expect(shaped.report).toBe('agent_script');
					if (!keepText && typeof shaped.items === 'string') {
						// A number's text stays text only when the number would lose digits.
						const text = shaped.items.trim();
						if (/^-?\d+(\.\d+)?$/.test(text)) {
							expect(Math.abs(Number(text))).toBeGreaterThan(Number.MAX_SAFE_INTEGER);
						}
					}
				}
			}),
			RUNS,
		);
	});
});

describe('row shaping', () => {
	/** What shaping has always meant: every field as parsed, in order, `report` added last (or
	 * where the row already had one), `items` as a number when it reads as one. */
	function expected(raw: object, keepText: boolean): object {
		const row: Record<string, unknown> = { ...raw };
		row.report = 'agent_script';
		if (!keepText && typeof row.items === 'string') row.items = countOf(row.items) ?? row.items;
		return row;
	}
	const BILLING = ['operation', 'description', 'items', 'date'];
	const value = fc.oneof(
		fc.string(),
		fc.stringMatching(/^ ?-?\d{1,16}(\.\d{1,3})? ?$/),
		fc.double(),
		fc.integer(),
		fc.constant(null),
		fc.boolean(),
		fc.dictionary(fc.string(), fc.string(), { maxKeys: 2 }),
	);
	// Rows as JSON.parse builds them: Wolkvox's four fields in order, and any other keys, subsets
	// and orders, "__proto__", "report" and index-like keys included.
	const key = fc.oneof(
		fc.constantFrom(...BILLING, 'report', '__proto__', '0', 'extra'),
		fc.string(),
	);
	const entries = fc.oneof(
		fc.tuple(value, value, value, value).map((values) => values.map((v, i) => [BILLING[i], v])),
		fc.uniqueArray(fc.tuple(key, value), { selector: ([k]) => k, maxLength: 6 }),
	);
	const parsedRow = entries.map(
		(list) =>
			JSON.parse(
				`{${list.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`).join(',')}}`,
			) as object,
	);

	test('every row comes out with its fields, order, values and types, whatever its keys', () => {
		fc.assert(
			fc.property(parsedRow, fc.boolean(), fc.boolean(), (raw, keepText, reuse) => {
				const want = expected(raw, keepText);
				const before = JSON.stringify(Object.entries(raw));
				const shaped = shapeRow('agent_script', raw, { keepItemsAsText: keepText, reuse });
				expect(Object.entries(shaped)).toEqual(Object.entries(want));
				expect(Object.getPrototypeOf(shaped)).toBe(Object.prototype);
				// Only the last user of an answer may have its rows changed in place.
				if (!reuse) expect(JSON.stringify(Object.entries(raw))).toBe(before);
			}),
			RUNS,
		);
	});
});

/** Every run of 6 characters of a token, lower-cased: none may appear in what we show. */
const runsOf = (key: string) =>
	Array.from({ length: key.length - 5 }, (_, i) => key.slice(i, i + 6).toLowerCase());

/** What the error of an answer shows (message and description, lower-cased); '' if it is read. */
function shownFor(answer: Parameters<typeof readAnswer>[0], key: string): string {
	const guard = new SecretGuard(key);
	try {
		readAnswer(answer, guard);
		return '';
	} catch (error) {
		const nodeError = toNodeApiError(node, error as WolkvoxFailure, {
			host: 'wv0032.wolkvox.com',
			report: 'agent_script',
			timeoutSeconds: 60,
			guard,
		});
		return `${nodeError.message} ${nodeError.description}`.toLowerCase();
	}
}

describe('answers that echo the token', () => {
	const runs = runsOf(SECRET);
	const echo = fc
		.tuple(
			fc.nat({ max: SECRET.length - 6 }),
			fc.integer({ min: 6, max: SECRET.length }),
			fc.constantFrom<(t: string) => string>(
				(t) => t,
				(t) => t.toUpperCase(),
				(t) => t.toLowerCase(),
				(t) => JSON.stringify(t).slice(1, -1).replace(/\//g, '\\/'),
				(t) => encodeURIComponent(t),
				(t) => [...t].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join(''),
			),
			fc.string({ maxLength: 10 }),
			fc.string({ maxLength: 10 }),
		)
		.map(
			([from, length, encode, before, after]) =>
				`${before}${encode(SECRET.slice(from, from + length))}${after}`,
		);
	const body = fc.oneof(
		echo,
		echo.map((text) => JSON.stringify({ code: 500, error: text, data: null })),
		echo.map((text) => JSON.stringify({ code: 403, msg: text })),
		echo.map((text) => `<html>${text}</html>`),
		echo.map((text) => JSON.stringify({ code: 200, msg: 'ok', data: text })),
	);
	const status = fc.constantFrom(200, 302, 400, 403, 404, 429, 500, 502);
	const location = fc.option(echo.map((text) => `https://${text}.example.net/x`));

	test('no run of the token, in any case or escaping, reaches a message or description', () => {
		fc.assert(
			fc.property(status, body, location, (statusCode, text, where) => {
				const shown = shownFor({ statusCode, body: text, location: where ?? undefined }, SECRET);
				for (const run of runs) expect(shown).not.toContain(run);
			}),
			RUNS,
		);
	});
});

describe('answers that echo a random token in groups', () => {
	/** A token of Wolkvox's shape: random letters and digits, so no word of ours holds a run. */
	const KEY = 'Q7vK2mX9pL4tR8wZ3nB6cJ1h';
	const runs = runsOf(KEY);
	const separator = fc.constantFrom('-', ' ', ' - ', '.', '_', ':', '\\u002d', '%20');
	const echo = fc
		.tuple(
			fc.nat({ max: KEY.length - 6 }),
			fc.integer({ min: 6, max: KEY.length }),
			fc.integer({ min: 1, max: 6 }),
			separator,
			fc.string({ maxLength: 10 }),
		)
		.map(([from, length, size, between, before]) => {
			const part = KEY.slice(from, from + length);
			const groups = part.match(new RegExp(`.{1,${size}}`, 'g')) ?? [];
			return `${before}Token ${groups.join(between)} not allowed`;
		});
	const body = fc.oneof(
		echo.map((text) => JSON.stringify({ code: 403, error: text, data: null })),
		echo.map((text) => JSON.stringify({ code: 500, msg: text })),
		echo,
	);
	const status = fc.constantFrom(200, 400, 403, 500, 502);

	test('no run of it, joined, reaches a message or description', () => {
		fc.assert(
			fc.property(status, body, (statusCode, text) => {
				const shown = shownFor({ statusCode, body: text }, KEY).replace(/[^a-z0-9]/g, '');
				for (const run of runs) expect(shown).not.toContain(run);
			}),
			RUNS,
		);
	});

	test('redact hides it whole, however it is grouped', () => {
		fc.assert(
			fc.property(fc.integer({ min: 1, max: 8 }), separator, (size, between) => {
				const groups = KEY.match(new RegExp(`.{1,${size}}`, 'g')) ?? [];
				const text = `Token ${groups.join(between.startsWith('\\') || between.startsWith('%') ? '-' : between)} here`;
				expect(new SecretGuard(KEY).redact(text)).toBe('Token [hidden] here');
			}),
			RUNS,
		);
	});
});

describe('the server normaliser', () => {
	const isDigit = (c: string) => c >= '0' && c <= '9';
	const allDigits = (s: string) => s.length > 0 && [...s].every(isDigit);
	// ASCII-only lower-casing: the documented forms are ASCII.
	const asciiLower = (s: string) => s.replace(/[A-Z]/g, (c) => c.toLowerCase());

	/** The documented forms, read step by step (independently of the implementation's regex). */
	function oracle(input: string): string | undefined {
		const t = asciiLower(input.trim());
		let digits: string | undefined;
		if (allDigits(t)) digits = t;
		else if (t.startsWith('wv') && allDigits(t.slice(2))) digits = t.slice(2);
		else {
			let rest = t;
			if (rest.startsWith('https://')) rest = rest.slice(8);
			else if (rest.startsWith('http://')) rest = rest.slice(7);
			if (!rest.startsWith('wv')) return undefined;
			rest = rest.slice(2);
			let n = 0;
			while (n < rest.length && isDigit(rest[n])) n++;
			if (n === 0) return undefined;
			digits = rest.slice(0, n);
			rest = rest.slice(n);
			if (!rest.startsWith('.wolkvox.com')) return undefined;
			rest = rest.slice('.wolkvox.com'.length);
			if (rest.startsWith(':443')) rest = rest.slice(4);
			if (rest !== '' && (!'/?#'.includes(rest[0]) || /\s/.test(rest))) return undefined;
		}
		// Four digits, as Wolkvox writes them: shorter numbers get leading zeros.
		return digits.length <= 10 ? `wv${digits.padStart(4, '0')}.wolkvox.com` : undefined;
	}

	function actual(input: string): string | undefined {
		try {
			return normalizeServer(input);
		} catch (error) {
			expect(error).toBeInstanceOf(WolkvoxSetupError);
			expect((error as WolkvoxSetupError).kind).toBe('badServer');
			return undefined;
		}
	}

	const digits = fc.stringMatching(/^\d{1,10}$/);
	const randomCase = (s: string) =>
		fc
			.array(fc.boolean(), { minLength: s.length, maxLength: s.length })
			.map((flags) => [...s].map((c, i) => (flags[i] ? c.toUpperCase() : c)).join(''));
	const tail = fc.oneof(
		fc.constant(''),
		fc.constant('/'),
		fc.webPath(),
		fc.constant('/api/v2/billing.php?api=agent_script'),
		fc.constant('#top'),
	);
	const documented = fc
		.tuple(digits, fc.integer({ min: 0, max: 4 }), tail, fc.constantFrom('', ' ', '\t'))
		.chain(([d, form, path, pad]) => {
			const shapes = [
				d,
				`wv${d}`,
				`wv${d}.wolkvox.com`,
				`https://wv${d}.wolkvox.com${path}`,
				`http://wv${d}.wolkvox.com${path}`,
			];
			return randomCase(shapes[form]).map((s) => `${pad}${s}${pad}`);
		});
	const mutated = fc
		.tuple(
			documented,
			fc.nat(),
			fc.string({ minLength: 1, maxLength: 2 }),
			fc.constantFrom('insert', 'delete', 'replace'),
		)
		.map(([s, at, c, how]) => {
			const i = at % (s.length + 1);
			if (how === 'insert') return s.slice(0, i) + c + s.slice(i);
			if (how === 'delete') return s.slice(0, i) + s.slice(i + 1);
			return s.slice(0, i) + c + s.slice(i + 1);
		});
	// A host form followed by what typos and attacks put right after it.
	const hostThenJunk = fc
		.tuple(
			digits,
			fc.constantFrom('', 'https://', 'http://', 'HTTPS://', 'ftp://', '//'),
			fc.constantFrom(
				':8443',
				':443',
				':',
				'.',
				'..',
				'.evil.example',
				'@evil.example',
				'\\',
				'%2F',
				' x',
				'\n',
				'/ok',
				'?a=1',
				'#x',
				':443/x',
				':80',
			),
		)
		.map(([d, scheme, junk]) => `${scheme}wv${d}.wolkvox.com${junk}`);
	const anything = fc.oneof(
		documented,
		mutated,
		hostThenJunk,
		fc.string(),
		fc.string({ unit: 'binary' }),
		fc.webUrl(),
		fc.domain(),
		fc.stringMatching(/^(https?:\/\/)?w?v?\d{0,12}(\.[a-z]{1,8}){0,3}(:\d{1,5})?(\/[a-z]*)?$/),
	);

	test('accepts every documented form, whatever the case and padding, as wv<digits>.wolkvox.com', () => {
		fc.assert(
			fc.property(documented, (input) => {
				const host = actual(input);
				expect(host).toMatch(/^wv\d{1,10}\.wolkvox\.com$/);
				expect(host).toBe(oracle(input));
			}),
			RUNS,
		);
	});

	test('accepts exactly the documented forms, and never produces another host', () => {
		fc.assert(
			fc.property(anything, (input) => {
				const host = actual(input);
				expect(host).toBe(oracle(input));
				if (host !== undefined) expect(host).toMatch(/^wv\d{1,10}\.wolkvox\.com$/);
			}),
			RUNS,
		);
	});

	test('the Base URL is https, or http on this machine only, or refused', () => {
		fc.assert(
			fc.property(
				fc.oneof(
					fc.webUrl({ withQueryParameters: true, withFragments: true }),
					fc.string(),
					fc.webUrl().map((u) => u.replace(/^https/, 'http')),
				),
				(input) => {
					let url: string;
					try {
						url = normalizeBaseUrl(input);
					} catch (error) {
						expect(error).toBeInstanceOf(WolkvoxSetupError);
						return;
					}
					const parsed = new URL(url);
					expect(parsed.search + parsed.hash + parsed.username + parsed.password).toBe('');
					if (parsed.protocol === 'http:')
						expect(['localhost', '[::1]']).toContain(
							parsed.hostname.replace(/^127(\.\d+){3}$/, 'localhost'),
						);
					else expect(parsed.protocol).toBe('https:');
				},
			),
			RUNS,
		);
	});
});
