/**
 * Runs workflows in n8n's real engine (n8n-core's WorkflowExecute) inside jest: real parameter
 * and expression resolution, real `httpRequestWithAuthentication` over HTTP, and the credential's
 * real `authenticate`, resolved the way n8n's CLI credentials helper does it. Nothing of ours is
 * mocked; only the app around the engine (database, UI) is absent.
 *
 * Workflow: Start (emits the given input items) -> Wolkvox Billing.
 */
import { Logger } from '@n8n/backend-common';
import { Container } from '@n8n/di';
import { ExecuteContext, ExecutionLifecycleHooks, RoutingNode, WorkflowExecute } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	ICredentials,
	ICredentialType,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	INode,
	INodeCredentialsDetails,
	INodeExecutionData,
	INodeParameters,
	INodeProperties,
	INodeType,
	INodeTypes,
	IRun,
	IVersionedNodeType,
	IWorkflowExecuteAdditionalData,
	Workflow as WorkflowType,
} from 'n8n-workflow';
import {
	createDeferredPromise,
	createEmptyRunExecutionData,
	createRunExecutionData,
	ICredentialsHelper,
	NodeConnectionTypes,
	Workflow,
} from 'n8n-workflow';

import { WolkvoxApi } from '../../credentials/WolkvoxApi.credentials';
import { WolkvoxBilling } from '../../nodes/WolkvoxBilling/WolkvoxBilling.node';

export const BILLING_TYPE = 'n8n-nodes-wolkvox.wolkvoxBilling';
const START_TYPE = 'test.start';
export const NODE_NAME = 'Wolkvox Billing';

/** Passes its input through: stands in for n8n-nodes-base's Manual Trigger. */
class StartNode implements INodeType {
	description = {
		displayName: 'Start',
		name: 'start',
		group: ['input'],
		version: 1,
		description: 'Emits the items it was given',
		defaults: { name: 'Start' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [] as INodeProperties[],
	} as INodeType['description'];

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [this.getInputData()];
	}
}

class NodeTypes implements INodeTypes {
	private readonly types: Record<string, INodeType> = {
		[START_TYPE]: new StartNode(),
		[BILLING_TYPE]: new WolkvoxBilling(),
	};

	getByName(name: string): INodeType | IVersionedNodeType {
		return this.getByNameAndVersion(name);
	}

	getByNameAndVersion(name: string): INodeType {
		const type = this.types[name];
		if (!type) throw new Error(`unknown node type ${name}`);
		return type;
	}

	getKnownTypes() {
		return {};
	}
}

const credentialTypes: Record<string, ICredentialType> = { wolkvoxApi: new WolkvoxApi() };

/** n8n's CLI credentials helper, reduced to what a node run uses. */
class CredentialsHelper extends ICredentialsHelper {
	constructor(private readonly data: ICredentialDataDecryptedObject | undefined) {
		super();
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		requestOptions: IHttpRequestOptions,
		workflow: WorkflowType,
		node: INode,
	): Promise<IHttpRequestOptions> {
		const type = credentialTypes[typeName];
		if (typeof type?.authenticate === 'function') {
			return await type.authenticate(credentials, requestOptions);
		}
		if (type?.authenticate?.type === 'generic') {
			// As the CLI does: resolve each `={{$credentials...}}` value with the credential data.
			for (const [outerKey, outer] of Object.entries(type.authenticate.properties)) {
				const target = ((requestOptions as unknown as IDataObject)[outerKey] ??= {}) as IDataObject;
				for (const [key, value] of Object.entries(outer as IDataObject)) {
					target[key] = workflow.expression.getSimpleParameterValue(
						node,
						value as string,
						'internal',
						{ $credentials: credentials },
					) as string;
				}
			}
		}
		return requestOptions;
	}

	async preAuthentication() {
		return undefined;
	}

	getParentTypes() {
		return [];
	}

	async getDecrypted(
		_additionalData: IWorkflowExecuteAdditionalData,
		_nodeCredentials: INodeCredentialsDetails,
		_type: string,
	): Promise<ICredentialDataDecryptedObject> {
		if (!this.data) throw new Error('no credentials given to the test');
		return { ...this.data };
	}

	async getCredentials(): Promise<ICredentials> {
		throw new Error('not used by these tests');
	}

	async updateCredentials() {}

	async updateCredentialsOauthTokenData() {}

	getCredentialsProperties(type: string): INodeProperties[] {
		return credentialTypes[type]?.properties ?? [];
	}
}

/** Every log line n8n and our nodes write during tests, at every level, for leak checks. */
export interface LogLine {
	level: string;
	message: string;
	meta?: unknown;
}
export const logLines: LogLine[] = [];

class CapturingLogger {
	error(message: string, meta?: unknown) {
		logLines.push({ level: 'error', message, meta });
	}

	warn(message: string, meta?: unknown) {
		logLines.push({ level: 'warn', message, meta });
	}

	info(message: string, meta?: unknown) {
		logLines.push({ level: 'info', message, meta });
	}

	debug(message: string, meta?: unknown) {
		logLines.push({ level: 'debug', message, meta });
	}

	scoped() {
		return this;
	}
}
Container.set(Logger, new CapturingLogger() as unknown as Logger);

export interface RunOptions {
	/** Parameters of the Wolkvox Billing node. */
	parameters?: INodeParameters;
	/** Decrypted data of the node's wolkvoxApi credential. */
	credentials?: ICredentialDataDecryptedObject;
	/** Items the Start node emits (one empty item by default). */
	input?: IDataObject[];
	/** Sets the node's On Error to "Continue" (continueOnFail). */
	continueOnFail?: boolean;
}

export interface RunResult {
	run: IRun;
	/** The Wolkvox Billing node's output items. */
	items: INodeExecutionData[];
	/** The error the node failed with, as n8n stored it in the run data. */
	error?: IDataObject;
}

export async function runBilling(options: RunOptions = {}): Promise<RunResult> {
	const start: INode = {
		id: 'start',
		name: 'Start',
		type: START_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
	};
	const billing: INode = {
		id: 'billing',
		name: NODE_NAME,
		type: BILLING_TYPE,
		typeVersion: 1,
		position: [200, 0],
		parameters: options.parameters ?? {},
		credentials: { wolkvoxApi: { id: '1', name: 'Wolkvox test' } },
		...(options.continueOnFail ? { onError: 'continueRegularOutput' as const } : {}),
	};
	const workflow = new Workflow({
		id: 'test',
		nodes: [start, billing],
		connections: {
			Start: { main: [[{ node: NODE_NAME, type: NodeConnectionTypes.Main, index: 0 }]] },
		},
		active: false,
		nodeTypes: new NodeTypes(),
		settings: {},
	});

	const hooks = new ExecutionLifecycleHooks('manual', 'test-execution', {
		id: 'test',
		name: 'test',
		active: false,
		activeVersionId: null,
		isArchived: false,
		createdAt: new Date(),
		updatedAt: new Date(),
		nodes: [start, billing],
		connections: {},
	} as unknown as ConstructorParameters<typeof ExecutionLifecycleHooks>[2]);
	const finished = createDeferredPromise<IRun>();
	hooks.addHandler('workflowExecuteAfter', (run) => finished.resolve(run));

	const additionalData = {
		hooks,
		credentialsHelper: new CredentialsHelper(options.credentials),
		executionId: 'test-execution',
		currentNodeParameters: undefined,
		variables: {},
		restApiUrl: 'http://localhost:5678/rest',
		instanceBaseUrl: 'http://localhost:5678',
		webhookBaseUrl: 'http://localhost:5678/webhook',
		webhookWaitingBaseUrl: 'http://localhost:5678/webhook-waiting',
		webhookTestBaseUrl: 'http://localhost:5678/webhook-test',
		formWaitingBaseUrl: 'http://localhost:5678/form-waiting',
		setExecutionStatus: () => {},
		sendDataToUI: () => {},
		logAiEvent: () => {},
	} as unknown as IWorkflowExecuteAdditionalData;

	const input = (options.input ?? [{}]).map((json) => ({ json }));
	const runExecutionData = createRunExecutionData({
		executionData: {
			nodeExecutionStack: [{ node: start, data: { main: [input] }, source: null }],
		},
	});
	const workflowExecute = new WorkflowExecute(additionalData, 'manual', runExecutionData);
	await workflowExecute.processRunExecutionData(workflow);
	const run = await finished.promise;

	const task = run.data.resultData.runData[NODE_NAME]?.[0];
	return {
		run,
		items: task?.data?.main?.[0] ?? [],
		error: task?.error as unknown as IDataObject | undefined,
	};
}

/** Credentials pointing the node at a simulator. */
export function simulatorCredentials(baseUrl: string, token: string, server = '0032') {
	return { server, token, baseUrl };
}

/**
 * Runs the credential's Test request the way n8n's CLI credentials tester does: a temporary node
 * whose only parameter routes `test.request`, executed by n8n-core's RoutingNode with the
 * decrypted credential (so the request passes through our `authenticate`).
 */
export async function runCredentialTest(
	data: ICredentialDataDecryptedObject,
): Promise<{ ok: true; body: unknown } | { ok: false; error: Error & IDataObject }> {
	const credentialType = credentialTypes.wolkvoxApi;
	const node: INode = {
		id: 'temp',
		name: 'Temp-Node',
		type: 'test.credentialTest',
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
		credentials: { wolkvoxApi: { id: '1', name: 'Wolkvox test' } },
	};
	const nodeType: INodeType = {
		description: {
			displayName: 'Credential test',
			name: 'credentialTest',
			group: ['input'],
			version: 1,
			description: '',
			defaults: {},
			inputs: [NodeConnectionTypes.Main],
			outputs: [NodeConnectionTypes.Main],
			credentials: [{ name: 'wolkvoxApi', required: true }],
			properties: [
				{
					displayName: 'Temp',
					name: 'temp',
					type: 'string',
					routing: { request: credentialType.test!.request },
					default: '',
				},
			],
		},
	};
	const nodeTypes: INodeTypes = {
		getByName: () => nodeType,
		getByNameAndVersion: () => nodeType,
		getKnownTypes: () => ({}),
	};
	const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes });
	const additionalData = {
		credentialsHelper: new CredentialsHelper(data),
		currentNodeParameters: node.parameters,
		variables: {},
	} as unknown as IWorkflowExecuteAdditionalData;
	const context = new ExecuteContext(
		workflow,
		node,
		additionalData,
		'internal',
		createEmptyRunExecutionData(),
		0,
		[],
		{ main: [[{ json: {} }]] },
		{ node, data: {}, source: null },
		[],
	);
	const routingNode = new RoutingNode(context, nodeType, {
		id: '1',
		name: 'Wolkvox test',
		type: 'wolkvoxApi',
		data,
	});
	try {
		const output = await routingNode.runNode();
		return { ok: true, body: output?.[0]?.[0]?.json };
	} catch (error) {
		return { ok: false, error: error as Error & IDataObject };
	}
}
