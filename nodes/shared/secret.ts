/**
 * Everything about the token: reading it from the credential, the smallest token we accept,
 * deciding whether a text may reveal it, and hiding it.
 *
 * The rule is to never put untrusted text (an answer's body, a typed-in field, a redirect's host)
 * into a message when it may hold a secret, rather than to clean it up afterwards. `redact` is the
 * last line of defence behind that rule, applied to every message that leaves the package.
 */

import { WolkvoxSetupError } from './setupError';

/** Wolkvox's tokens are long random strings; anything shorter is a typo or a placeholder. */
export const MIN_TOKEN_LENGTH = 8;

/** How many characters of the token in a row count as revealing it. */
const REVEALING_RUN = 6;

/** The token of a credential's data, as the credential sends it: trimmed, '' when there is none. */
export function readToken(credentials: { token?: unknown } | undefined): string {
	const token = credentials?.token;
	return typeof token === 'string' ? token.trim() : '';
}

/** Refuses a token too short to be real, before any call: hiding it would hide ordinary words. */
export function checkToken(token: string): void {
	if (token.length >= MIN_TOKEN_LENGTH) return;
	throw new WolkvoxSetupError(
		'shortToken',
		token === ''
			? 'The Token field of the Wolkvox API credential is empty'
			: `The token in the Wolkvox API credential is too short to be a Wolkvox token (${token.length} characters)`,
		'Create a token in Wolkvox Manager (gear icon > Integrations > Tokens > Add Token) and paste all of it into the Token field of the credential.',
	);
}

/**
 * The text with the common escapes undone and in lower case, so that an echo of the token is
 * found however it was written: JSON (`\/`, `\"`, `\\`, `\u0041`), URL (`%2F`), HTML (`&#47;`).
 */
function unescaped(text: string): string {
	return text
		.replace(/\\u([0-9a-f]{4})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)))
		.replace(/%([0-9a-f]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)))
		.replace(/&#x([0-9a-f]+);/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)))
		.replace(/&#(\d+);/g, (_, dec: string) => String.fromCharCode(Number(dec)))
		.replace(/\\(.)/g, '$1')
		.toLowerCase();
}

/** A long run of letters and digits that mixes both, as random tokens do and words do not. */
const RANDOM_RUN = /(?=[a-z0-9]*\d)(?=[a-z0-9]*[a-z])[a-z0-9]{12,}/i;

/**
 * True when `text` may reveal a secret: it holds a run of the token's characters (in any case or
 * escaping), or it looks like a random key itself (another credential's token, say).
 */
export function mayRevealSecret(text: string, token: string): boolean {
	const plain = unescaped(text);
	if (RANDOM_RUN.test(plain)) return true;
	if (token === '') return false;
	const secret = token.toLowerCase();
	if (secret.length <= REVEALING_RUN) return plain.includes(secret);
	for (let at = 0; at + REVEALING_RUN <= secret.length; at++) {
		if (plain.includes(secret.slice(at, at + REVEALING_RUN))) return true;
	}
	return false;
}

/** `: "text"` for a message, or a note that it is not shown because it may be a secret. */
export function quoted(text: string, token: string, maxLength = 40): string {
	if (text.length <= maxLength && !mayRevealSecret(text, token)) return `: "${text}"`;
	return ` (its ${text.length} characters are not shown, in case they are a secret)`;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** One character of the token as a pattern: itself in any case, or JSON-, URL- or HTML-escaped. */
function charPattern(char: string): string {
	const code = char.charCodeAt(0);
	const hex = code.toString(16);
	return `(?:\\\\?${escapeRegExp(char)}|%${hex.padStart(2, '0')}|\\\\u${hex.padStart(4, '0')}|&#x0*${hex};|&#0*${code};)`;
}

/**
 * The text with every occurrence of the token replaced by [hidden], in any case and in the common
 * escapings. Tokens shorter than MIN_TOKEN_LENGTH are refused before any call, so they never get
 * here: hiding them would hide ordinary words.
 */
export function redact(text: string, token: string): string {
	if (token.length < MIN_TOKEN_LENGTH || text === '') return text;
	if (cached?.token !== token) {
		cached = { token, pattern: new RegExp([...token].map(charPattern).join(''), 'gi') };
	}
	return text.replace(cached.pattern, '[hidden]');
}

/** The last token's pattern: a run redacts many texts with one token. */
let cached: { token: string; pattern: RegExp } | undefined;
