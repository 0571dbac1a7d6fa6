/**
 * Where a Wolkvox credential may send its token: the server number's forms, the Base URL rules,
 * and the host guard.
 *
 * Wolkvox hosts every operation on `wv<digits>.wolkvox.com`. Users paste the server number in many
 * shapes, so we accept a few documented forms and refuse everything else before any request:
 * a typo must never turn into a request (with the token in it) to some other host.
 * This module has no n8n imports so the credential, the nodes and the tests can all share it.
 */
import { guardOf, NO_TOKEN, type SecretGuard } from './secret';
import { WolkvoxSetupError } from './setupError';

export const SERVER_EXAMPLES = '0032, wv0032, wv0032.wolkvox.com or https://wv0032.wolkvox.com/…';

// digits | wv + digits | [http(s)://]wv + digits + .wolkvox.com [/path, ?query or #hash]
const SERVER_FORMS =
	/^(?:(\d+)|wv(\d+)|(?:https?:\/\/)?wv(\d+)\.wolkvox\.com(?::443)?(?:[/?#][^\s]*)?)$/i;

/** How many digits Wolkvox writes a server number with; shorter ones are padded with zeros. */
const SERVER_DIGITS = 4;

/** Server numbers are short; a longer run of digits is a pasted phone or account number. */
const MAX_SERVER_DIGITS = 10;

/**
 * The Server input, quoted for an error message, only when it is a near miss of a server number
 * (a typo such as wv0032.wolkvox.co): anything else may be a secret pasted into the wrong field.
 */
function quotedServer(text: string, guard: SecretGuard): string {
	const leftover = text.toLowerCase().replace(/https?:\/\/|wv|wolkvox|\.com|\d|[./:]/g, '');
	return leftover.length <= 3 ? guard.quoted(text) : guard.quoted(text, 0);
}

/**
 * Returns the host `wv<digits>.wolkvox.com` for any accepted form, or throws. `guard` knows the
 * token, which the error must not repeat.
 */
export function normalizeServer(input: unknown, guard: SecretGuard = NO_TOKEN): string {
	const text = typeof input === 'string' || typeof input === 'number' ? String(input).trim() : '';
	if (text === '') {
		throw new WolkvoxSetupError(
			'badServer',
			'The Server field of the Wolkvox credential is empty',
			`Enter the server number Wolkvox support gave you, for example ${SERVER_EXAMPLES}.`,
		);
	}
	const match = SERVER_FORMS.exec(text);
	const digits = match ? (match[1] ?? match[2] ?? match[3]) : undefined;
	if (digits === undefined || digits.length > MAX_SERVER_DIGITS) {
		throw new WolkvoxSetupError(
			'badServer',
			`The Server field of the Wolkvox credential is not a Wolkvox server number${quotedServer(text, guard)}`,
			`Accepted forms: ${SERVER_EXAMPLES}. The number comes from Wolkvox support and is part ` +
				'of the address you use for Wolkvox Manager. If you pasted the token here, move it to ' +
				'the Token field. To reach Wolkvox through a proxy, leave Server as it is and set ' +
				'Base URL instead.',
		);
	}
	// Wolkvox's server numbers have four digits (wv0010, wv0032, wv9901): "32" is wv0032.
	return `wv${digits.padStart(SERVER_DIGITS, '0')}.wolkvox.com`;
}

/**
 * The text without the slashes at its end, in one pass from the end: `/\/+$/` would try every
 * run of slashes from its start, which is quadratic in a path of many slashes.
 */
function withoutTrailingSlashes(text: string): string {
	let end = text.length;
	while (end > 0 && text.charCodeAt(end - 1) === 47) end--;
	return text.slice(0, end);
}

function parseUrl(text: string): URL | undefined {
	try {
		return new URL(text);
	} catch {
		return undefined;
	}
}

function isLoopback(hostname: string): boolean {
	const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
	return host === 'localhost' || host === '::1' || /^127(?:\.\d{1,3}){3}$/.test(host);
}

/** Validates the optional Base URL: https anywhere, plain http only on this machine. */
export function normalizeBaseUrl(input: string, guard: SecretGuard = NO_TOKEN): string {
	const url = parseUrl(input.trim());
	if (!url) {
		// Not repeated: a Base URL that is no URL may well be the token in the wrong field.
		throw new WolkvoxSetupError(
			'badBaseUrl',
			'The Base URL of the Wolkvox credential is not a URL',
			'Leave Base URL empty to use https://wv<server>.wolkvox.com, or enter a full address such ' +
				'as https://proxy.example.com/wolkvox.',
		);
	}
	const setupError = (problem: string, fix: string) =>
		new WolkvoxSetupError('badBaseUrl', `The Base URL of the Wolkvox credential ${problem}`, fix);
	if (url.protocol !== 'https:' && url.protocol !== 'http:') {
		const safe = /^[a-z][a-z+.-]{0,9}:$/i.test(url.protocol) && !guard.mayReveal(url.protocol);
		const scheme = safe ? ` (it starts with ${url.protocol}//)` : '';
		throw setupError(`must start with https://${scheme}`, 'Use an https:// address.');
	}
	if (url.protocol === 'http:' && !isLoopback(url.hostname)) {
		throw setupError(
			'uses plain http:// for a host that is not this machine',
			'The token would travel unencrypted. Use https://, or http:// only for localhost / 127.0.0.1.',
		);
	}
	if (url.username || url.password || url.search || url.hash) {
		throw setupError(
			'must not contain a user name, password, query or #fragment',
			'Enter only the scheme, host, optional port and optional path prefix.',
		);
	}
	return `${url.origin}${withoutTrailingSlashes(url.pathname)}`;
}

/** The URL every request of this credential starts with: the Base URL, or the Wolkvox host. */
export function resolveBaseUrl(credentials: {
	server?: unknown;
	baseUrl?: unknown;
	token?: unknown;
}): string {
	const guard = guardOf(credentials);
	const baseUrl = typeof credentials.baseUrl === 'string' ? credentials.baseUrl.trim() : '';
	if (baseUrl !== '') return normalizeBaseUrl(baseUrl, guard);
	return `https://${normalizeServer(credentials.server, guard)}`;
}

/**
 * Joins a base and a path the way axios does: string concatenation, not URL resolution, and a
 * URL with a scheme or starting with // (protocol-relative) replaces the base.
 */
export function joinUrl(baseUrl: string, url: string): string {
	if (/^([a-z][a-z\d+\-.]*:)?\/\//i.test(url)) return url;
	return `${withoutTrailingSlashes(baseUrl)}/${url.replace(/^\/+/, '')}`;
}

/**
 * True when `target` lies under `baseUrl` (same origin, same path prefix). The credential checks
 * this before it attaches the token, so even another node using this credential with a foreign
 * URL cannot carry the token away.
 */
export function isUnderBase(target: string, baseUrl: string): boolean {
	const to = parseUrl(target);
	const base = parseUrl(baseUrl);
	if (!to || !base) return false;
	if (to.origin !== base.origin || to.username || to.password) return false;
	const prefix = withoutTrailingSlashes(base.pathname);
	return prefix === '' || to.pathname === prefix || to.pathname.startsWith(`${prefix}/`);
}
