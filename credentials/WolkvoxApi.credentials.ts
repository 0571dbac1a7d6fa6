import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestOptions,
	INodeProperties,
} from 'n8n-workflow';

import {
	isUnderBase,
	joinUrl,
	resolveBaseUrl,
	SERVER_EXAMPLES,
	WolkvoxSetupError,
} from '../nodes/shared/server';

/** The only header Wolkvox reads the token from. */
export const TOKEN_HEADER = 'wolkvox-token';

export class WolkvoxApi implements ICredentialType {
	name = 'wolkvoxApi';

	displayName = 'Wolkvox API';

	icon = {
		light: 'file:wolkvox.svg',
		dark: 'file:wolkvox.dark.svg',
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
			description: `The server number of your Wolkvox operation, from Wolkvox support. Accepted forms: ${SERVER_EXAMPLES}.`,
		},
		{
			displayName: 'Token',
			name: 'token',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'Created in Wolkvox Manager: gear icon > Integrations > Tokens > Add Token. Every call counts against the token’s daily quota, and the Test button below makes one call.',
		},
		{
			displayName:
				'Advanced: leave Base URL empty to call https://wv{server}.wolkvox.com. Set it only to go through a proxy or to reach a local Wolkvox simulator; the token is then sent there.',
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
				'Replaces https://wv{server}.wolkvox.com. Must be https://, except http:// for localhost or 127.0.0.1.',
		},
	];

	/**
	 * Attaches the token, but only to requests that go to this credential's own server: a typo in
	 * Server, or another node pointing this credential at a foreign URL, fails here before any
	 * byte is sent.
	 */
	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		const baseUrl = resolveBaseUrl(credentials);
		const baseURL = requestOptions.baseURL || baseUrl;
		// Older request-style callers (HTTP Request with this credential) give the address as
		// `uri`; when both are set, n8n sends to `url`.
		const { uri } = requestOptions as IHttpRequestOptions & { uri?: unknown };
		const target = requestOptions.url ?? (uri === undefined ? '' : String(uri));
		if (!isUnderBase(joinUrl(baseURL, target), baseUrl)) {
			throw new WolkvoxSetupError(
				'The Wolkvox API credential only sends its token to its own server, and this request goes elsewhere',
				`The request is not under ${baseUrl}. Use this credential only with Wolkvox nodes, or with URLs on that server.`,
				'server',
			);
		}
		return {
			...requestOptions,
			baseURL,
			headers: {
				...requestOptions.headers,
				[TOKEN_HEADER]: String(credentials.token ?? '').trim(),
			},
		};
	}

	// Costs one call of the token's daily quota (Wolkvox counts token_info like any other call).
	test: ICredentialTestRequest = {
		request: {
			method: 'GET',
			url: '/api/v2/information.php',
			qs: { api: 'token_info' },
		},
		rules: [
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
		],
	};
}
