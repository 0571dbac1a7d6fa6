'use strict';
/** Workflows the e2e suites share. */

/** A Wolkvox Billing node as a workflow holds it, using the credential { id, name }. */
function billingNode({ id, name = 'Wolkvox Billing', position, parameters, credential }) {
	return {
		id,
		name,
		type: 'n8n-nodes-wolkvox.wolkvoxBilling',
		typeVersion: 1,
		position,
		parameters: { options: {}, ...parameters },
		credentials: { wolkvoxApi: { id: credential.id, name: credential.name } },
	};
}

/**
 * Wolkvox Billing Trigger (`parameters`, every 30 minutes) → an HTTP Request that reports each
 * emitted row's `fields` to the simulator's /collect, where a test reads them. With `tagged`, the
 * mode is reported as `emit` too, so that several triggers can report to one simulator.
 */
function reportingWorkflow({ id, name, credential, simUrl, parameters, fields, tagged = false }) {
	const tag = tagged ? [{ name: 'emit', value: parameters.emit ?? 'changes' }] : [];
	return {
		id,
		name,
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: [
			{
				id: `${id}-trigger`,
				name: 'Wolkvox Billing Trigger',
				type: 'n8n-nodes-wolkvox.wolkvoxBillingTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: {
					pollTimes: { item: [{ mode: 'everyX', value: 30, unit: 'minutes' }] },
					...parameters,
				},
				credentials: { wolkvoxApi: { id: credential.id, name: credential.name } },
			},
			{
				id: `${id}-report`,
				name: 'Report',
				type: 'n8n-nodes-base.httpRequest',
				typeVersion: 4.2,
				position: [260, 0],
				parameters: {
					url: `${simUrl}/collect`,
					sendQuery: true,
					queryParameters: {
						parameters: [
							...tag,
							...fields.map((field) => ({ name: field, value: `={{ $json.${field} }}` })),
						],
					},
					options: {},
				},
			},
		],
		connections: {
			'Wolkvox Billing Trigger': { main: [[{ node: 'Report', type: 'main', index: 0 }]] },
		},
	};
}

/** The trigger on Changes of agent_script, reporting change, items, previousItems, difference. */
function changeReportingWorkflow({ id, name, credential, simUrl }) {
	return reportingWorkflow({
		id,
		name,
		credential,
		simUrl,
		parameters: { report: 'agent_script' },
		fields: ['change', 'items', 'previousItems', 'difference'],
	});
}

module.exports = { billingNode, changeReportingWorkflow, reportingWorkflow };
