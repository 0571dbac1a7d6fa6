'use strict';
/**
 * A stand-in for an OpenAI-compatible chat model, for the AI Agent e2e test: a real HTTP server
 * on 127.0.0.1 that n8n's OpenAI Chat Model reaches through its credential's Base URL. Its first
 * answer calls the first tool it is offered with `toolArguments`; once a tool result is in the
 * conversation it answers with text that quotes it. It records every request, so a test can read
 * what n8n told the model about our tool (name, description, parameter schema).
 */
const http = require('node:http');

class ModelStub {
	/** @param {{ toolArguments?: object }} [options] */
	constructor({ toolArguments = { report: 'agent_script' } } = {}) {
		this.toolArguments = toolArguments;
		/** @type {Array<{ method: string, url: string, authorization?: string, body: any }>} */
		this.requests = [];
		this.server = http.createServer((req, res) => this.handle(req, res));
	}

	async start() {
		await new Promise((resolve) => this.server.listen(0, '127.0.0.1', () => resolve(undefined)));
		const { port } = /** @type {import('node:net').AddressInfo} */ (this.server.address());
		this.url = `http://127.0.0.1:${port}/v1`;
		return this.url;
	}

	async stop() {
		this.server.closeAllConnections();
		await new Promise((resolve) => this.server.close(resolve));
	}

	/** The tools n8n offered the model in its first request. */
	offeredTools() {
		return this.requests.find((r) => r.body?.tools)?.body.tools ?? [];
	}

	/** What the tool answered, as n8n handed it back to the model. */
	toolResults() {
		return this.requests.flatMap((r) =>
			(r.body?.messages ?? []).filter((m) => m.role === 'tool').map((m) => m.content),
		);
	}

	async handle(req, res) {
		let raw = '';
		for await (const chunk of req) raw += chunk;
		let body;
		try {
			body = raw ? JSON.parse(raw) : {};
		} catch {
			body = raw;
		}
		this.requests.push({
			method: req.method,
			url: req.url,
			authorization: req.headers.authorization,
			body,
		});
		const send = (status, value) => {
			res.writeHead(status, { 'content-type': 'application/json' });
			res.end(JSON.stringify(value));
		};
		if (req.method === 'GET' && req.url.endsWith('/models')) {
			return send(200, { object: 'list', data: [{ id: 'stub-model', object: 'model' }] });
		}
		if (req.method !== 'POST' || !req.url.endsWith('/chat/completions')) {
			return send(404, { error: { message: `no route ${req.method} ${req.url}` } });
		}
		const message = this.reply(body);
		const answer = {
			id: `chatcmpl-${this.requests.length}`,
			object: 'chat.completion',
			created: 0,
			model: body.model,
			choices: [{ index: 0, message, finish_reason: message.tool_calls ? 'tool_calls' : 'stop' }],
			usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
		};
		if (!body.stream) return send(200, answer);
		res.writeHead(200, { 'content-type': 'text/event-stream' });
		const delta = message.tool_calls
			? {
					role: 'assistant',
					tool_calls: message.tool_calls.map((call, index) => ({ index, ...call })),
				}
			: { role: 'assistant', content: message.content };
		for (const choice of [
			{ index: 0, delta, finish_reason: null },
			{ index: 0, delta: {}, finish_reason: answer.choices[0].finish_reason },
		]) {
			res.write(
				`data: ${JSON.stringify({ ...answer, object: 'chat.completion.chunk', choices: [choice] })}\n\n`,
			);
		}
		res.end('data: [DONE]\n\n');
	}

	/** A tool call first; the tool's result, quoted, once there is one. */
	reply(body) {
		const result = [...(body.messages ?? [])].reverse().find((m) => m.role === 'tool');
		const tool = body.tools?.[0]?.function?.name;
		if (!result && tool) {
			return {
				role: 'assistant',
				content: null,
				tool_calls: [
					{
						id: 'call_1',
						type: 'function',
						function: { name: tool, arguments: JSON.stringify(this.toolArguments) },
					},
				],
			};
		}
		const text =
			typeof result?.content === 'string' ? result.content : JSON.stringify(result?.content);
		return { role: 'assistant', content: `The tool answered: ${text}` };
	}
}

module.exports = { ModelStub };
