import type {
	IAuthenticateRuleResponseCode,
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestOptions,
	INodeProperties,
} from 'n8n-workflow';

import { isUnderBase, joinUrl, resolveBaseUrl, SERVER_EXAMPLES } from '../nodes/shared/baseUrl';
import { checkToken, readToken } from '../nodes/shared/secret';
import { WolkvoxSetupError } from '../nodes/shared/setupError';
import { INFORMATION_PATH, TOKEN_INFO } from '../nodes/shared/tokenUsage';

/** The only header Wolkvox reads the token from. */
export const TOKEN_HEADER = 'wolkvox-token';

/** Wolkvox's own limit for one call, and so the longest any request with this credential takes. */
const WHOLE_CALL_MS = 60_000;

/** How long the Test button waits for Wolkvox before saying it did not answer. */
const TEST_TIMEOUT_MS = 20_000;

/**
 * The Test button's request (token_info). n8n runs it with a 5-minute timeout of its own, which
 * the test request cannot change, so its deadline is set here.
 */
function isTestRequest(requestOptions: IHttpRequestOptions): boolean {
	const api = (requestOptions.qs as { api?: unknown } | undefined)?.api;
	return requestOptions.url === INFORMATION_PATH && api === TOKEN_INFO;
}

/**
 * A deadline for the whole of a request that is not one of the Wolkvox nodes' (they bring their
 * own, as `wolkvoxSignal`): the Test button and HTTP Request with this credential. The HTTP
 * client's `timeout` only bounds silences, so a server trickling its answer could hold it for
 * ever. The execution's own cancel signal, when n8n gave one, still stops it.
 */
function wholeCallSignal(requestOptions: IHttpRequestOptions): AbortSignal {
	const asked = Number(requestOptions.timeout);
	const ms = isTestRequest(requestOptions)
		? TEST_TIMEOUT_MS
		: Number.isFinite(asked) && asked > 0
			? Math.min(asked, WHOLE_CALL_MS)
			: WHOLE_CALL_MS;
	const deadline = AbortSignal.timeout(ms);
	const abortSignal = requestOptions.abortSignal as AbortSignal | undefined;
	return abortSignal ? AbortSignal.any([abortSignal, deadline]) : deadline;
}

const NOT_WOLKVOX =
	'The server answered, but not as Wolkvox’s API does (no code and data in its answer). Check the Server number, or the Base URL if you set one.';

export class WolkvoxApi implements ICredentialType {
	name = 'wolkvoxApi';

	displayName = 'Wolkvox API';

	icon = {
		light: 'file:../icons/wolkvox.svg',
		dark: 'file:../icons/wolkvox.dark.svg',
	} as const;

	documentationUrl = 'https://www.npmjs.com/package/n8n-nodes-wolkvox#credentials';

	// Field names are stored in users' saved credentials: never rename them.
	properties: INodeProperties[] = [
		{
			displayName: 'Server',
			name: 'server',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'e.g. 0032',
			description: `The server number Wolkvox support gave you, in any of these forms: ${SERVER_EXAMPLES}. Shorter numbers get leading zeros: 32 is wv0032.`,
		},
		{
			displayName: 'Token',
			name: 'token',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'Created in Wolkvox Manager (gear icon > Integrations > Tokens > Add Token); every call counts against its daily quota, the Test button’s one call included.',
		},
		{
			displayName:
				'Advanced: set Base URL only to go through a proxy or to reach a local Wolkvox simulator, as the token is then sent there.',
			name: 'baseUrlNotice',
			type: 'notice',
			default: '',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: '',
			placeholder: 'e.g. https://wolkvox-proxy.example.com',
			description:
				'Replaces https://wv{server}.wolkvox.com: an https:// address, or http:// on localhost only',
		},
	];

	/**
	 * Attaches the token, but only to requests that go to this credential's own server, and never
	 * lets them follow a redirect: a typo in Server, another node pointing this credential at a
	 * foreign URL, or a server answering "go there" fails here or stops, with the token unsent.
	 * This runs for every request with this credential: the nodes, the Test button, and HTTP
	 * Request set to use it.
	 */
	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		const token = readToken(credentials);
		checkToken(token);
		const baseUrl = resolveBaseUrl(credentials);
		const baseURL = requestOptions.baseURL || baseUrl;
		// Older request-style callers (HTTP Request with this credential) give the address as
		// `uri`; when both are set, n8n sends to `url`.
		const { uri, wolkvoxSignal } = requestOptions as IHttpRequestOptions & {
			uri?: unknown;
			wolkvoxSignal?: AbortSignal;
		};
		const target = requestOptions.url ?? (uri === undefined ? '' : String(uri));
		if (!isUnderBase(joinUrl(baseURL, target), baseUrl)) {
			throw new WolkvoxSetupError(
				'foreignHost',
				'The Wolkvox API credential only sends its token to its own server, and this request goes elsewhere',
				`The request is not under ${baseUrl}. Use this credential only with Wolkvox nodes, or with URLs on that server.`,
			);
		}
		return {
			...requestOptions,
			baseURL,
			headers: { ...requestOptions.headers, [TOKEN_HEADER]: token },
			// n8n's HTTP client drops only Authorization and Cookie on a redirect: ours must not
			// follow any. The request-style names are for HTTP Request's older code path.
			disableFollowRedirect: true,
			...{ followRedirect: false, followAllRedirects: false, maxRedirects: 0 },
			abortSignal: wolkvoxSignal ?? wholeCallSignal(requestOptions),
		};
	}

	// Costs one call of the token's daily quota (Wolkvox counts token_info like any other call).
	// An HTTP 2xx alone proves nothing (a proxy or web page answers 200 too): Wolkvox's answer
	// has a code and a data list.
	test: ICredentialTestRequest = {
		request: {
			method: 'GET',
			url: INFORMATION_PATH,
			qs: { api: TOKEN_INFO },
		},
		// n8n reads both kinds of rule from one list; its types (2.8) want one kind per list.
		rules: [
			{
				type: 'responseSuccessBody',
				properties: { key: 'code', value: undefined, message: NOT_WOLKVOX },
			},
			{
				type: 'responseSuccessBody',
				properties: { key: 'data', value: undefined, message: NOT_WOLKVOX },
			},
			{
				type: 'responseSuccessBody',
				properties: { key: 'data', value: null, message: NOT_WOLKVOX },
			},
			{
				type: 'responseCode',
				properties: {
					value: 403,
					message:
						'Wolkvox refused the token (HTTP 403): it is invalid or expired, its daily quota is used up, or another request is using it right now. Check it in Wolkvox Manager > Integrations > Tokens.',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 401,
					message: 'Wolkvox received no token (HTTP 401): paste the token into the Token field.',
				},
			},
		] as unknown as IAuthenticateRuleResponseCode[],
	};
}
