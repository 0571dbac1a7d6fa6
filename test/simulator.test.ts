/**
 * The simulator must behave as the facts file says, or tests against it prove nothing.
 * These talk to it with plain fetch, no n8n.
 */
import { WolkvoxSimulator } from './support/simulator';

let sim: WolkvoxSimulator;
let url: string;
beforeEach(async () => {
	sim = new WolkvoxSimulator({ tokens: { good: { limit: 3 } } });
	url = await sim.start();
});
afterEach(async () => {
	await sim.stop();
});

const get = async (path: string, token?: string) => {
	const response = await fetch(`${url}${path}`, {
		headers: token === undefined ? {} : { 'wolkvox-token': token },
	});
	// eslint-disable-next-line @typescript-eslint/no-explicit-any -- answers of every shape, read by the tests
	return { status: response.status, body: (await response.json().catch(() => undefined)) as any };
};

test.each(['__proto__', 'constructor', 'toString', 'hasOwnProperty'])(
	'api=%s is an unknown report like any other, not a crash',
	async (api) => {
		expect(await get(`/api/v2/billing.php?api=${api}`, 'good')).toMatchObject({
			status: 400,
			body: { error: 'THE API YOU WANT TO CONSULT DOES NOT EXIST' },
		});
	},
);

test('answers each documented error with its status and text', async () => {
	expect(await get('/api/v2/billing.php?api=agent_script')).toMatchObject({
		status: 401,
		body: { code: 401, error: 'PLEASE ENTER THE WOLKVOX-TOKEN' },
	});
	expect(await get('/api/v2/billing.php?api=agent_script', 'bad')).toMatchObject({
		status: 403,
		body: { error: 'PLEASE VALIDATE TOKEN' },
	});
	expect(await get('/api/v2/billing.php?api=nope', 'good')).toMatchObject({
		status: 400,
		body: { error: 'THE API YOU WANT TO CONSULT DOES NOT EXIST' },
	});
	expect(await get('/api/v2/billing.php', 'good')).toMatchObject({
		status: 400,
		body: { error: 'SOME PARAMETERS ARE REQUIRED' },
	});
});

test('counts a daily quota per token', async () => {
	for (let i = 0; i < 3; i++)
		expect((await get('/api/v2/billing.php?api=agent_script', 'good')).status).toBe(200);
	expect(await get('/api/v2/billing.php?api=agent_script', 'good')).toMatchObject({
		status: 403,
		body: { error: 'TOKEN LIMIT EXCEEDED' },
	});
});

test('refuses a second call while one is in flight on the same token', async () => {
	sim.latencyMs = 50;
	const [a, b] = await Promise.all([
		get('/api/v2/billing.php?api=agent_script', 'good'),
		get('/api/v2/billing.php?api=ivr_calls', 'good'),
	]);
	expect([a.status, b.status].sort()).toEqual([200, 403]);
	expect([a.body.error, b.body.error]).toContain(
		'EXCEEDS THE LIMIT OF SIMULTANEOUS REQUESTS PER TOKEN (2)',
	);
	expect(sim.maxInFlight.get('good')).toBe(2);
});

test('stereo_rec answers the code as the string "200"; token_info reports use', async () => {
	expect((await get('/api/v2/billing.php?api=stereo_rec', 'good')).body.code).toBe('200');
	expect((await get('/api/v2/information.php?api=token_info', 'good')).body.data[0]).toMatchObject({
		token_limit: '3',
		token_use_today: '2',
	});
});

test.each([
	['interactions', 200, '3 records were found'],
	['stereo_rec', '200', 'Information found for the current month'],
	['nlp_ai', '200', 'Information found for the current month'],
	['tts_chars', 200, 'Information found for the current month'],
])('%s answers as Wolkvox’s collection does: code %j, msg %j', async (api, code, msg) => {
	const { body } = await get(`/api/v2/billing.php?api=${api}`, 'good');
	expect([body.code, body.msg]).toEqual([code, msg]);
});

test('token_info answers as the collection does; all_token_today counts every token', async () => {
	await sim.stop();
	sim = new WolkvoxSimulator({ tokens: { good: { limit: 3 }, other: { limit: 5 } } });
	url = await sim.start();
	await get('/api/v2/billing.php?api=agent_script', 'other');
	await get('/api/v2/billing.php?api=agent_script', 'other');
	const { body } = await get('/api/v2/information.php?api=token_info', 'good');
	expect(body).toEqual({
		code: '200',
		error: null,
		msg: ' 1 records were found',
		data: [
			{
				description: 'n8n integration',
				token_limit: '3',
				token_use_today: '1',
				all_token_today: '3',
				available_consumption_options: '2',
			},
		],
	});
});

test('the collection’s examples are replayed word for word', async () => {
	sim.useCollectionExamples();
	const raw = async (path: string) =>
		await (await fetch(`${url}${path}`, { headers: { 'wolkvox-token': 'good' } })).text();
	expect(await raw('/api/v2/billing.php?api=nlp_ai')).toBe(
		'{\r\n    "code": "200",\r\n    "error": null,\r\n    "msg": "Information found for the current month",\r\n    "data": [\r\n        {\r\n            "operation": " ",\r\n            "description": " ",\r\n            "items": " ",\r\n            "date": " "\r\n        }\r\n    ]\r\n}',
	);
	expect(JSON.parse(await raw('/api/v2/billing.php?api=interactions')).msg).toBe(
		'1 records were found',
	);
	expect(JSON.parse(await raw('/api/v2/information.php?api=token_info')).data[0]).toEqual({
		description: ' ',
		token_limit: ' ',
		token_use_today: ' ',
		all_token_today: ' ',
		available_consumption_options: ' ',
	});
});

test('errors in the shape of Wolkvox’s error table: reason in `error`, text in `msg`', async () => {
	sim.messageField = 'table';
	expect(await get('/api/v2/billing.php?api=agent_script', 'bad')).toEqual({
		status: 403,
		body: { code: 403, error: 'FORBIDDEN', msg: 'PLEASE VALIDATE TOKEN', data: null },
	});
	expect((await get('/api/v2/billing.php?api=nope', 'good')).body).toMatchObject({
		code: 400,
		error: 'BAD REQUEST',
		msg: 'THE API YOU WANT TO CONSULT DOES NOT EXIST',
	});
});

test('with Wolkvox’s documented limit of 2 calls at once, the third is refused with “(2)”', async () => {
	sim.concurrentLimit = 2;
	sim.latencyMs = 50;
	const answers = await Promise.all(
		['agent_script', 'ivr_calls', 'tts_chars'].map((api) =>
			get(`/api/v2/billing.php?api=${api}`, 'good'),
		),
	);
	expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 403]);
	expect(answers.map((a) => a.body.error)).toContain(
		'EXCEEDS THE LIMIT OF SIMULTANEOUS REQUESTS PER TOKEN (2)',
	);
});

test('faults are served once each, then normal answers resume', async () => {
	sim.fail('html502');
	sim.fail('status503', { times: 2 });
	const statuses = [];
	for (let i = 0; i < 4; i++)
		statuses.push((await get('/api/v2/billing.php?api=agent_script', 'good')).status);
	expect(statuses).toEqual([502, 503, 503, 200]);
	expect(sim.requests.map((r) => r.fault)).toEqual([
		'html502',
		'status503',
		'status503',
		undefined,
	]);
});
