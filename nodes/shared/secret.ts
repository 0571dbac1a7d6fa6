/**
 * Everything about the token: reading it from the credential, the tokens we accept, deciding
 * whether a text may reveal it, and hiding it.
 *
 * The rule is to never put untrusted text (an answer's body, a typed-in field, a redirect's host)
 * into a message when it may hold a secret, rather than to clean it up afterwards. `redact` is the
 * last line of defence behind that rule, applied to every message that leaves the package.
 *
 * Every function here takes time linear in its text and bounded by the token's length: texts come
 * from webhooks, models and answers, and one long text must not stall the n8n process.
 */

import { WolkvoxSetupError } from './setupError';

/** Wolkvox's tokens are long random strings; anything shorter is a typo or a placeholder. */
export const MIN_TOKEN_LENGTH = 8;

/** Far beyond any Wolkvox token; a longer paste is something else, and would slow every check. */
export const MAX_TOKEN_LENGTH = 512;

/** How many characters of the token in a row count as revealing it. */
const REVEALING_RUN = 6;

/**
 * The longest text `mayRevealSecret` reads. Messages only ever quote short texts; a longer one is
 * treated as revealing without being read, so no caller can make the check slow.
 */
export const MAX_INSPECTED_LENGTH = 1000;

/** The token of a credential's data, as the credential sends it: trimmed, '' when there is none. */
export function readToken(credentials: { token?: unknown } | undefined): string {
	const token = credentials?.token;
	return typeof token === 'string' ? token.trim() : '';
}

/** The first character HTTP does not allow in a header value as we send it (visible ASCII). */
function firstBadCharacter(token: string): number {
	for (let i = 0; i < token.length; i++) {
		const code = token.charCodeAt(i);
		if (code < 0x21 || code > 0x7e) return i;
	}
	return -1;
}

const codePoint = (char: number) => `U+${char.toString(16).toUpperCase().padStart(4, '0')}`;

/**
 * Refuses, before any call, a token that cannot be a Wolkvox token: too short (hiding it would
 * hide ordinary words), too long, or holding a character a header cannot carry (a space, a line
 * break, an invisible character pasted along with it), which would otherwise fail deep in the
 * HTTP client as a vague network error.
 */
export function checkToken(token: string): void {
	const fix =
		'Create a token in Wolkvox Manager (gear icon > Integrations > Tokens > Add Token) and paste all of it into the Token field of the credential.';
	if (token.length < MIN_TOKEN_LENGTH) {
		throw new WolkvoxSetupError(
			'shortToken',
			token === ''
				? 'The Token field of the Wolkvox API credential is empty'
				: `The token in the Wolkvox API credential is too short to be a Wolkvox token (${token.length} characters)`,
			fix,
		);
	}
	if (token.length > MAX_TOKEN_LENGTH) {
		throw new WolkvoxSetupError(
			'badToken',
			`The token in the Wolkvox API credential is too long to be a Wolkvox token (${token.length} characters)`,
			`${fix} Wolkvox tokens are letters and digits, far shorter than ${MAX_TOKEN_LENGTH} characters.`,
		);
	}
	const bad = firstBadCharacter(token);
	if (bad >= 0) {
		throw new WolkvoxSetupError(
			'badToken',
			`The token in the Wolkvox API credential holds a character a token cannot have (${codePoint(token.charCodeAt(bad))} at position ${bad + 1} of ${token.length})`,
			`Spaces, line breaks and invisible characters (often copied along with the token) cannot be sent to Wolkvox. ${fix}`,
		);
	}
}

/**
 * The text with the common escapes undone and in lower case, so that an echo of the token is
 * found however it was written: JSON (`\/`, `\"`, `\\`, `\u0041`), URL (`%2F`), HTML (`&#47;`).
 */
function unescaped(text: string): string {
	return text
		.replace(/\\u([0-9a-f]{4})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)))
		.replace(/%([0-9a-f]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)))
		.replace(/&#x([0-9a-f]{1,6});/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)))
		.replace(/&#(\d{1,7});/g, (_, dec: string) => String.fromCharCode(Number(dec)))
		.replace(/\\(.)/g, '$1')
		.toLowerCase();
}

const isDigit = (code: number) => code >= 48 && code <= 57;
const isLetter = (code: number) => code >= 97 && code <= 122;

/**
 * True when the (lower-case) text holds a run of 12 or more letters and digits that mixes both, as
 * random keys do and words do not. One pass: a pattern with look-aheads rescans every run from
 * each of its positions, which is quadratic in the run's length.
 */
function hasRandomRun(text: string): boolean {
	let length = 0;
	let digits = false;
	let letters = false;
	for (let i = 0; i <= text.length; i++) {
		const code = i < text.length ? text.charCodeAt(i) : 0;
		if (isDigit(code) || isLetter(code)) {
			length++;
			digits ||= isDigit(code);
			letters ||= isLetter(code);
			continue;
		}
		if (length >= 12 && digits && letters) return true;
		length = 0;
		digits = letters = false;
	}
	return false;
}

/** Letters and digits only: an echo written in groups ("Q7vK2-mX9pL 4tR8w") is found joined. */
const joined = (text: string) => text.replace(/[^a-z0-9]+/g, '');

/** True when `text` holds any REVEALING_RUN characters in a row of `secret`. */
function holdsRunOf(text: string, secret: string): boolean {
	if (secret.length <= REVEALING_RUN) return secret !== '' && text.includes(secret);
	for (let at = 0; at + REVEALING_RUN <= secret.length; at++) {
		if (text.includes(secret.slice(at, at + REVEALING_RUN))) return true;
	}
	return false;
}

/**
 * True when `text` may reveal a secret: it holds a run of the token's characters (in any case or
 * escaping, contiguous or in groups), it looks like a random key itself (another credential's
 * token, say), or it is too long to inspect.
 */
function mayRevealSecret(text: string, token: string): boolean {
	if (text.length > MAX_INSPECTED_LENGTH) return true;
	const plain = unescaped(text);
	if (hasRandomRun(plain)) return true;
	if (token === '') return false;
	const secret = token.toLowerCase();
	return holdsRunOf(plain, secret) || holdsRunOf(joined(plain), joined(secret));
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&');

/** One character of the token as a pattern: itself in any case, or JSON-, URL- or HTML-escaped. */
function charPattern(char: string): string {
	const code = char.charCodeAt(0);
	const hex = code.toString(16);
	return `(?:\\\\?${escapeRegExp(char)}|%${hex.padStart(2, '0')}|\\\\u${hex.padStart(4, '0')}|&#x0*${hex};|&#0*${code};)`;
}

/** What may stand between the groups of an echoed token: spaces, hyphens, dots, and the like. */
const GROUP_SEPARATORS = ' \t-_.:/,';

/**
 * The token as a pattern, its characters in any case and escaping, with up to three separators
 * between any two of them. Separators the token itself holds are left out, so each character of
 * a text can be read only one way and matching stays linear.
 */
function tokenPattern(token: string): RegExp {
	const separators = [...GROUP_SEPARATORS].filter((char) => !token.includes(char));
	const between = separators.length ? `[${escapeRegExp(separators.join(''))}]{0,3}` : '';
	return new RegExp([...token].map(charPattern).join(between), 'gi');
}

/**
 * The text with every occurrence of the token replaced by [hidden], in any case, in the common
 * escapings and written in groups. Tokens outside MIN_TOKEN_LENGTH..MAX_TOKEN_LENGTH are refused
 * before any call, so they never get here: hiding a short one would hide ordinary words.
 */
function redact(text: string, token: string): string {
	if (token.length < MIN_TOKEN_LENGTH || token.length > MAX_TOKEN_LENGTH || text === '') {
		return text;
	}
	if (cached?.token !== token) cached = { token, pattern: tokenPattern(token) };
	return text.replace(cached.pattern, '[hidden]');
}

/** The last token's pattern: a run redacts many texts with one token. */
let cached: { token: string; pattern: RegExp } | undefined;

/**
 * What a message may say, for one credential's token: built once per run, handed to whatever
 * builds a message, so that the token itself travels no further. Every text an error or log line
 * takes from outside passes one of its checks.
 */
export class SecretGuard {
	constructor(private readonly token: string) {}

	/** True when the text may reveal a secret (a run of the token, a random key, or too long to read). */
	mayReveal(text: string): boolean {
		return mayRevealSecret(text, this.token);
	}

	/** `: "text"` for a message, or a note that it is not shown because it may be a secret. */
	quoted(text: string, maxLength = 40): string {
		if (text.length <= maxLength && !this.mayReveal(text)) return `: "${text}"`;
		return ` (its ${text.length} characters are not shown, in case they are a secret)`;
	}

	/** The text with every occurrence of the token hidden, in any case, escaping or grouping. */
	redact(text: string): string {
		return redact(text, this.token);
	}
}

/** The guard of a credential's data (its token as the credential sends it). */
export function guardOf(credentials: { token?: unknown } | undefined): SecretGuard {
	return new SecretGuard(readToken(credentials));
}

/** For texts checked before any credential is known: only random keys are held back. */
export const NO_TOKEN = new SecretGuard('');
