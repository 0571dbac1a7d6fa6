'use strict';
/** Workflows the e2e suites share. */

/**
 * Wolkvox Billing Trigger (Changes, agent_script, every 30 minutes) → an HTTP Request that reports
 * each emitted change to the simulator's /collect, where a test reads it.
 */
function changeReportingWorkflow({ id, name, credential, simUrl }) {
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
					report: 'agent_script',
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
						parameters: ['change', 'items', 'previousItems', 'difference'].map((field) => ({
							name: field,
							value: `={{ $json.${field} }}`,
						})),
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

module.exports = { changeReportingWorkflow };
