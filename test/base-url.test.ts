import {
	isUnderBase,
	joinUrl,
	normalizeBaseUrl,
	normalizeServer,
	resolveBaseUrl,
} from '../nodes/shared/baseUrl';
import { WolkvoxSetupError } from '../nodes/shared/setupError';

describe('server number', () => {
	test.each([
		['0032', 'wv0032.wolkvox.com'],
		[' 0032 ', 'wv0032.wolkvox.com'],
		['wv0032', 'wv0032.wolkvox.com'],
		['WV0032', 'wv0032.wolkvox.com'],
		['wv0032.wolkvox.com', 'wv0032.wolkvox.com'],
		['wv0032.WOLKVOX.com', 'wv0032.wolkvox.com'],
		['https://wv0032.wolkvox.com', 'wv0032.wolkvox.com'],
		['https://wv0032.wolkvox.com/', 'wv0032.wolkvox.com'],
		['https://wv0032.wolkvox.com/api/v2/billing.php?api=agent_script', 'wv0032.wolkvox.com'],
		['http://wv9901.wolkvox.com/manager#home', 'wv9901.wolkvox.com'],
		['https://wv0048.wolkvox.com:443/', 'wv0048.wolkvox.com'],
		['wv0032.wolkvox.com/api', 'wv0032.wolkvox.com'],
		// Wolkvox writes four digits: a shorter number gets leading zeros.
		['32', 'wv0032.wolkvox.com'],
		[32, 'wv0032.wolkvox.com'],
		['wv32', 'wv0032.wolkvox.com'],
		['wv68.wolkvox.com', 'wv0068.wolkvox.com'],
		['9901', 'wv9901.wolkvox.com'],
		['12345', 'wv12345.wolkvox.com'],
	])('%j means %s', (input, host) => {
		expect(normalizeServer(input)).toBe(host);
	});

	test.each([
		'',
		'   ',
		'wv',
		'abc',
		'32a',
		'wv0032.wolkvox.co',
		'wv0032.wolkvox.com.evil.example',
		'wv0032.wolkvox.comevil',
		'https://wv0032.wolkvox.com@evil.example/',
		'https://evil.example/wv0032.wolkvox.com',
		'https://0032',
		'https://wv0032',
		'0032.wolkvox.com',
		'wv0032.evil.com',
		'ftp://wv0032.wolkvox.com',
		'https://wv0032.wolkvox.com:8443/',
		'https://user@wv0032.wolkvox.com/',
		'wv 0032',
		'12345678901',
		'wv0032.wolkvox.com\nHost: evil',
	])('refuses %j, naming the Server field and the accepted forms', (input) => {
		let thrown: unknown;
		try {
			normalizeServer(input);
		} catch (error) {
			thrown = error;
		}
		expect(thrown).toBeInstanceOf(WolkvoxSetupError);
		const error = thrown as WolkvoxSetupError;
		expect(error.kind).toBe('badServer');
		expect(error.message).toMatch(/Server field/);
		expect(error.description).toContain(
			'0032, wv0032, wv0032.wolkvox.com or https://wv0032.wolkvox.com/',
		);
	});

	test('non-text values are refused as empty', () => {
		expect(() => normalizeServer(undefined)).toThrow(/Server field .* is empty/);
		expect(() => normalizeServer(null)).toThrow(WolkvoxSetupError);
	});
});

describe('base URL', () => {
	test.each([
		['https://proxy.example.com', 'https://proxy.example.com'],
		['https://proxy.example.com/', 'https://proxy.example.com'],
		['https://proxy.example.com/wolkvox/', 'https://proxy.example.com/wolkvox'],
		['http://127.0.0.1:8732', 'http://127.0.0.1:8732'],
		['http://localhost:8732/', 'http://localhost:8732'],
		['http://[::1]:8732', 'http://[::1]:8732'],
	])('accepts %s', (input, normalized) => {
		expect(normalizeBaseUrl(input)).toBe(normalized);
	});

	test.each([
		['http://proxy.example.com', /plain http:\/\//],
		['http://10.0.0.5:8080', /plain http:\/\//],
		['ftp://proxy.example.com', /must start with https:\/\//],
		['not a url', /is not a URL/],
		['https://user:pass@proxy.example.com', /user name, password/],
		['https://proxy.example.com/?x=1', /query/],
	])('refuses %s', (input, message) => {
		expect(() => normalizeBaseUrl(input)).toThrow(message);
	});

	test('the credential resolves to the Base URL when set, else to the Wolkvox host', () => {
		expect(resolveBaseUrl({ server: '0032' })).toBe('https://wv0032.wolkvox.com');
		expect(resolveBaseUrl({ server: '0032', baseUrl: '  ' })).toBe('https://wv0032.wolkvox.com');
		expect(resolveBaseUrl({ server: 'typo!', baseUrl: 'http://127.0.0.1:1' })).toBe(
			'http://127.0.0.1:1',
		);
	});
});

describe('host guard', () => {
	test('joins like axios does', () => {
		expect(joinUrl('https://a.example/p/', '/api/x')).toBe('https://a.example/p/api/x');
		expect(joinUrl('https://a.example', 'https://b.example/x')).toBe('https://b.example/x');
	});

	test.each([
		['https://wv0032.wolkvox.com/api/v2/billing.php', 'https://wv0032.wolkvox.com', true],
		['https://wv0033.wolkvox.com/api/v2/billing.php', 'https://wv0032.wolkvox.com', false],
		['http://wv0032.wolkvox.com/api', 'https://wv0032.wolkvox.com', false],
		['https://wv0032.wolkvox.com.evil.example/api', 'https://wv0032.wolkvox.com', false],
		['https://proxy.example/wolkvox/api/v2/billing.php', 'https://proxy.example/wolkvox', true],
		['https://proxy.example/other/api', 'https://proxy.example/wolkvox', false],
		['https://proxy.example/wolkvoxevil/api', 'https://proxy.example/wolkvox', false],
		['https://u:p@wv0032.wolkvox.com/api', 'https://wv0032.wolkvox.com', false],
		['not a url', 'https://wv0032.wolkvox.com', false],
	])('%s under %s: %s', (target, base, expected) => {
		expect(isUnderBase(target, base)).toBe(expected);
	});
});
