'use strict';
/**
 * A baseline for npm run bench, never shipped: the least a node can do to turn a Wolkvox answer
 * into one item per row. n8n's own request helper fetches and parses the body; each row becomes an
 * item as it is, with no field added, no typing and no checks. What it costs beyond HTTP Request
 * alone is what n8n's one-item-per-row output costs any node.
 */
class MinimalRows {
	constructor() {
		this.description = {
			displayName: 'Minimal Rows',
			name: 'minimalRows',
			group: ['transform'],
			version: 1,
			description: 'Benchmark baseline: one item per row of a JSON answer’s data',
			defaults: { name: 'Minimal Rows' },
			inputs: ['main'],
			outputs: ['main'],
			credentials: [{ name: 'httpHeaderAuth', required: true }],
			properties: [{ displayName: 'URL', name: 'url', type: 'string', default: '' }],
		};
	}

	async execute() {
		const body = await this.helpers.httpRequestWithAuthentication.call(this, 'httpHeaderAuth', {
			url: this.getNodeParameter('url', 0),
			json: true,
		});
		const rows = body.data;
		const pairedItem = { item: 0 };
		const items = new Array(rows.length);
		for (let i = 0; i < rows.length; i++) items[i] = { json: rows[i], pairedItem };
		return [items];
	}
}

module.exports = { MinimalRows };
