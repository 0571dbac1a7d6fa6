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
import {
	ExecuteContext,
	ExecutionLifecycleHooks,
	PollContext,
	RoutingNode,
	WorkflowExecute,
} from 'n8n-core';
import { commonPollingParameters } from 'n8n-core/dist/nodes-loader/constants';
import { TriggersAndPollers } from 'n8n-core/dist/execution-engine/triggers-and-pollers';
import type {
	ICredentialDataDecryptedObject,
	ICredentials,
	ICredentialType,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	INode,
	INodeExecutionData,
	INodeParameters,
	INodeProperties,
	INodeType,
	INodeTypes,
	IRun,
	IVersionedNodeType,
	IWorkflowExecuteAdditionalData,
	WorkflowActivateMode,
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

import { WolkvoxApi } from '../../../credentials/WolkvoxApi.credentials';
import { PACING } from '../../../nodes/shared/call';
import { WolkvoxBilling } from '../../../nodes/WolkvoxBilling/WolkvoxBilling.node';
import { WolkvoxBillingTrigger } from '../../../nodes/WolkvoxBillingTrigger/WolkvoxBillingTrigger.node';

export const BILLING_TYPE = 'n8n-nodes-wolkvox.wolkvoxBilling';
export const TOOL_TYPE = 'n8n-nodes-wolkvox.wolkvoxBillingTool';
export const TRIGGER_TYPE = 'n8n-nodes-wolkvox.wolkvoxBillingTrigger';
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

/** As n8n's node loader does: polling nodes get the Poll Times parameter in front. */
function loaded(nodeType: INodeType): INodeType {
	if (nodeType.description.polling) {
		nodeType.description.properties = [
			...commonPollingParameters,
			...nodeType.description.properties,
		];
	}
	return nodeType;
}

/**
 * Backoff as in production but 100 times shorter, so retry tests take milliseconds; a call that
 * timed out holds the token at the simulator for its holdMs (tests use about 1 s), not 60 s.
 */
const TEST_PACING = { baseDelayMs: 10, maxDelayMs: 100, abandonedCallMs: 1200 };
// The call layer reads its waits at each call: the tests' are a hundred times shorter.
Object.assign(PACING, TEST_PACING);

/**
 * The node as n8n offers it to AI agents (`usableAsTool`): the same node under a name ending in
 * "Tool", which n8n's '@tool' display conditions read. n8n also moves it to an ai_tool output;
 * here it keeps its main input and output, as n8n 2.x's engine runs a tool an agent calls: one
 * input item holding the tool's arguments, which $fromAI() reads.
 */
function asTool(nodeType: INodeType): INodeType {
	const { description } = nodeType;
	return Object.create(nodeType, {
		description: {
			value: {
				...description,
				name: `${description.name}Tool`,
				displayName: `${description.displayName} Tool`,
			},
		},
	}) as INodeType;
}

class NodeTypes implements INodeTypes {
	private readonly types: Record<string, INodeType> = {
		[START_TYPE]: new StartNode(),
		[BILLING_TYPE]: loaded(new WolkvoxBilling()),
		[TOOL_TYPE]: asTool(new WolkvoxBilling()),
		[TRIGGER_TYPE]: loaded(new WolkvoxBillingTrigger()),
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
	): Promise<IHttpRequestOptions> {
		// As the CLI does for a credential whose `authenticate` is a function (ours is).
		const type = credentialTypes[typeName];
		if (typeof type?.authenticate !== 'function') {
			throw new Error(`${typeName}: only function authenticate is supported here`);
		}
		return await type.authenticate(credentials, requestOptions);
	}

	async preAuthentication() {
		return undefined;
	}

	getParentTypes() {
		return [];
	}

	async getDecrypted(): Promise<ICredentialDataDecryptedObject> {
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
	/** Runs the node as the AI tool n8n makes of it. */
	tool?: boolean;
	/** Stops the execution after this long, as the editor's Stop button or a timeout does. */
	cancelAfterMs?: number;
}

export interface RunResult {
	run: IRun;
	/** The Wolkvox Billing node's output items. */
	items: INodeExecutionData[];
	/** The error the node failed with, as n8n stored it in the run data. */
	error?: IDataObject;
}

function additionalDataFor(
	credentials: ICredentialDataDecryptedObject | undefined,
	hooks?: ExecutionLifecycleHooks,
): IWorkflowExecuteAdditionalData {
	return {
		hooks,
		credentialsHelper: new CredentialsHelper(credentials),
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
}

const CREDENTIALS = { wolkvoxApi: { id: '1', name: 'Wolkvox test' } };

/** Runs a workflow in WorkflowExecute from `startNode`, and returns `node`'s first run. */
async function execute(
	nodes: INode[],
	connections: WorkflowType['connectionsBySourceNode'],
	startNode: INode,
	startItems: INodeExecutionData[],
	resultNode: string,
	credentials: ICredentialDataDecryptedObject | undefined,
	cancelAfterMs?: number,
): Promise<RunResult> {
	const workflow = new Workflow({
		id: 'test',
		nodes,
		connections,
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
		nodes,
		connections: {},
	} as unknown as ConstructorParameters<typeof ExecutionLifecycleHooks>[2]);
	const finished = createDeferredPromise<IRun>();
	hooks.addHandler('workflowExecuteAfter', (run) => finished.resolve(run));

	const runExecutionData = createRunExecutionData({
		executionData: {
			nodeExecutionStack: [{ node: startNode, data: { main: [startItems] }, source: null }],
		},
	});
	const workflowExecute = new WorkflowExecute(
		additionalDataFor(credentials, hooks),
		'manual',
		runExecutionData,
	);
	const running = workflowExecute.processRunExecutionData(workflow);
	const stop =
		cancelAfterMs === undefined ? undefined : setTimeout(() => running.cancel(), cancelAfterMs);
	await running;
	const run = await finished.promise;
	clearTimeout(stop);

	const task = run.data.resultData.runData[resultNode]?.[0];
	return {
		run,
		items: task?.data?.main?.[0] ?? [],
		error: task?.error as unknown as IDataObject | undefined,
	};
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
		type: options.tool ? TOOL_TYPE : BILLING_TYPE,
		typeVersion: 1,
		position: [200, 0],
		parameters: options.parameters ?? {},
		credentials: CREDENTIALS,
		...(options.continueOnFail ? { onError: 'continueRegularOutput' as const } : {}),
	};
	const input = (options.input ?? [{}]).map((json) => ({ json }));
	return await execute(
		[start, billing],
		{ Start: { main: [[{ node: NODE_NAME, type: NodeConnectionTypes.Main, index: 0 }]] } },
		start,
		input,
		NODE_NAME,
		options.credentials,
		options.cancelAfterMs,
	);
}

export const TRIGGER_NAME = 'Wolkvox Billing Trigger';

function triggerNode(parameters: INodeParameters): INode {
	return {
		id: 'trigger',
		name: TRIGGER_NAME,
		type: TRIGGER_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters,
		credentials: CREDENTIALS,
	};
}

/** "Fetch Test Event": a manual execution that starts at the trigger, as the editor runs it. */
export async function fetchTestEvent(options: {
	parameters?: INodeParameters;
	credentials?: ICredentialDataDecryptedObject;
}): Promise<RunResult> {
	const node = triggerNode(options.parameters ?? {});
	return await execute([node], {}, node, [], TRIGGER_NAME, options.credentials);
}

export interface PollResult {
	items: INodeExecutionData[] | null;
	error?: Error & IDataObject;
}

let triggerWorkflows = 0;

/**
 * An activated polling trigger, driven the way n8n drives one, with what n8n stores of its static
 * data modelled as n8n does it. In both, activating runs one poll at once (with the activation's
 * PollContext, in its activation mode) and stores the static data after it.
 *  - n8n 2.8 and 2.41 by default: the scheduled polls reuse that Workflow and PollContext, through
 *    TriggersAndPollers.runPoll; static data is stored again only after a poll that emits
 *    (deactivating stores nothing new either). A restart activates again, in mode "init".
 *  - n8n 2.41's durable scheduler (`durableScheduler`): each scheduled poll loads the workflow as
 *    stored, with a new PollContext in activation mode "update"; the state is stored after a poll
 *    that emits, and with `durableCursors` (N8N_POLLER_DURABLE_CURSORS_ENABLED) after every
 *    successful poll. A restart runs no poll at activation: the scheduled job already exists.
 */
export function activateTrigger(options: {
	parameters?: INodeParameters;
	credentials?: ICredentialDataDecryptedObject;
	durableScheduler?: boolean;
	durableCursors?: boolean;
	/** n8n 2.41's PollContext.getPollBudgetMs (n8n-core 2.8's context has none, so it is added). */
	pollBudgetMs?: number;
	/** The workflow's time zone setting (n8n's default when unset). */
	timezone?: string;
}) {
	const node = triggerNode({
		pollTimes: { item: [{ mode: 'everyX', value: 5, unit: 'minutes' }] },
		...(options.parameters ?? {}),
	});
	// A copy the test can edit, as a user edits the credential of an active workflow.
	const credentialData = options.credentials ? { ...options.credentials } : undefined;
	const additionalData = additionalDataFor(credentialData);
	const pollers = Container.get(TriggersAndPollers);
	// n8n keeps static data as JSON in its database.
	const copy = (data: IDataObject): IDataObject => JSON.parse(JSON.stringify(data)) as IDataObject;
	let stored: IDataObject = {};
	// The trigger remembers its latest state per workflow id in this process (beside what n8n
	// stores); a new id stands for a new process, which has never seen the workflow.
	let workflowId = `test-trigger-${++triggerWorkflows}`;
	let workflow!: Workflow;
	let context!: PollContext;
	/** The next poll is the one activation runs at once. */
	let activationPoll = true;
	const load = (mode: WorkflowActivateMode) => {
		workflow = new Workflow({
			id: workflowId,
			nodes: [node],
			connections: {},
			active: true,
			nodeTypes: new NodeTypes(),
			settings: options.timezone ? { timezone: options.timezone } : {},
			staticData: copy(stored),
		});
		context = new PollContext(workflow, node, additionalData, 'trigger', mode);
		if (options.pollBudgetMs !== undefined) {
			Object.assign(context, { getPollBudgetMs: () => options.pollBudgetMs });
		}
	};
	let activationMode: WorkflowActivateMode = 'activate';
	const activate = (mode: WorkflowActivateMode) => {
		load(mode);
		activationMode = mode;
		activationPoll = true;
	};
	let loseNextStore = false;
	const store = () => {
		if (loseNextStore) loseNextStore = false;
		else stored = copy(workflow.staticData);
	};
	activate('activate');
	return {
		/** What the node holds in its static data now. */
		get state() {
			return workflow.getStaticData('node', node) as IDataObject;
		},
		/** What n8n has stored of it. */
		get storedState() {
			return (stored[`node:${node.name}`] ?? {}) as IDataObject;
		},
		/** The poll at activation, then each scheduled poll. */
		async poll(): Promise<PollResult> {
			const atActivation = activationPoll;
			if (options.durableScheduler && !atActivation) load('update');
			try {
				const data = await pollers.runPoll(workflow, node, context);
				// A failed activation poll fails the activation; n8n activates again later.
				activationPoll = false;
				const cursors = options.durableScheduler && options.durableCursors;
				if (atActivation || data || cursors) store();
				return { items: data ? data[0] : null };
			} catch (error) {
				// A failed activation poll fails the activation: n8n activates again later, anew.
				if (atActivation) load(activationMode);
				return { items: null, error: error as Error & IDataObject };
			}
		},
		/** The next write n8n would make fails (a database error, a lost lease). */
		loseNextStore() {
			loseNextStore = true;
		},
		/** The user deactivates the workflow and activates it again. */
		reactivate() {
			activate('activate');
		},
		/** n8n stops without storing anything more, and starts again: a new process. */
		restart() {
			workflowId = `test-trigger-${++triggerWorkflows}`;
			if (options.durableScheduler) {
				load('update');
				activationPoll = false;
			} else activate('init');
		},
		/** The user saves the active workflow: n8n activates it again in mode "update". */
		saveActive() {
			activate('update');
		},
		/** What n8n stored is replaced (edited in its database, or written by another version), and n8n restarts. */
		replaceStored(state: IDataObject) {
			stored = { [`node:${node.name}`]: state };
			this.restart();
		},
		/** The user edits the credential (its Server, Base URL or token); n8n reads it at each poll. */
		editCredential(data: ICredentialDataDecryptedObject) {
			if (!credentialData) throw new Error('the trigger was activated without a credential');
			for (const key of Object.keys(credentialData)) delete credentialData[key];
			Object.assign(credentialData, data);
		},
		/** Change the node's parameters, as editing the workflow does. */
		setParameters(parameters: INodeParameters) {
			Object.assign(node.parameters, parameters);
		},
	};
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
	let body: IDataObject | undefined;
	try {
		const output = await routingNode.runNode();
		body = output?.[0]?.[0]?.json;
	} catch (error) {
		return { ok: false, error: error as Error & IDataObject };
	}
	// As n8n's CredentialsTester (CLI) then reads the answer: a success-body rule whose key holds
	// its value fails the test with the rule's message.
	for (const rule of credentialType.test!.rules ?? []) {
		const { type, properties } = rule as { type: string; properties: IDataObject };
		if (type !== 'responseSuccessBody') continue;
		const value = String(properties.key)
			.split('.')
			.reduce<unknown>((at, key) => (at as IDataObject | undefined)?.[key], body);
		if (value === properties.value) {
			return { ok: false, error: new Error(String(properties.message)) as Error & IDataObject };
		}
	}
	return { ok: true, body };
}
