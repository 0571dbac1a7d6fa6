/** A Wolkvox Billing node as a workflow holds it, for tests that build errors or check parameters. */
import type { INode } from 'n8n-workflow';

export function billingNode(type = 'n8n-nodes-wolkvox.wolkvoxBilling'): INode {
	return {
		id: 'billing',
		name: 'Wolkvox Billing',
		type,
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
	};
}
