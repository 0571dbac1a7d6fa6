/**
 * The simulator must behave as the facts file says, or tests against it prove nothing.
 * These talk to it with plain fetch, no n8n.
 */
import { WolkvoxSimulator } from './simulator';

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
