/** Another origin for leak tests: an HTTP server on 127.0.0.1 that records what reaches it. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Recorder {
	url: string;
	requests: Array<{ method?: string; url?: string; headers: http.IncomingHttpHeaders }>;
	close(): Promise<void>;
}

export async function startRecorder(): Promise<Recorder> {
	const requests: Recorder['requests'] = [];
	const server = http.createServer((req, res) => {
		requests.push({ method: req.method, url: req.url, headers: req.headers });
		res.writeHead(200, { 'content-type': 'application/json' });
		res.end('{"code":200,"data":[]}');
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		// localhost, not 127.0.0.1: another origin than the simulator's base URL.
		url: `http://localhost:${port}`,
		requests,
		close: async () => {
			server.closeAllConnections();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
}
