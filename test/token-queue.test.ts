/** The per-token queue on its own: order, expiry, cancellation, independence of tokens. */
import { wait } from '../nodes/shared/delay';
import {
	queueKey,
	QueueWaitCancelled,
	QueueWaitExpired,
	TokenQueues,
} from '../nodes/shared/tokenQueue';

const key = queueKey('token-a');
let queues = new TokenQueues();
beforeEach(() => {
	queues = new TokenQueues();
});
const runExclusive: TokenQueues['run'] = async (...args) => await queues.run(...args);
const busyQueues = () => queues.busy;

test('keys are hashes of the token alone: the token is not in them', () => {
	expect(key).toMatch(/^[0-9a-f]{64}$/);
	expect(key).not.toContain('token-a');
	expect(queueKey('token-b')).not.toBe(key);
	expect(queueKey('token-a')).toBe(key);
});

test('tasks on one key run one at a time, in the order they came', async () => {
	const log: string[] = [];
	let running = 0;
	let most = 0;
	const task = (name: string) => async () => {
		running++;
		most = Math.max(most, running);
		log.push(`start ${name}`);
		await wait(5);
		log.push(`end ${name}`);
		running--;
		return name;
	};
	const results = await Promise.all(['a', 'b', 'c'].map((name) => runExclusive(key, task(name))));
	expect(results).toEqual(['a', 'b', 'c']);
	expect(most).toBe(1);
	expect(log).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
	await wait(0);
	expect(busyQueues()).toBe(0);
});

test('a failing task frees the token for the next one', async () => {
	const first = runExclusive(key, async () => {
		throw new Error('boom');
	});
	const second = runExclusive(key, async () => 'ok');
	await expect(first).rejects.toThrow('boom');
	await expect(second).resolves.toBe('ok');
});

test('a waiter that runs out of time gives up, and later waiters still wait for the running task', async () => {
	const order: string[] = [];
	const long = runExclusive(key, async () => {
		await wait(150);
		order.push('long');
	});
	const impatient = runExclusive(key, async () => order.push('impatient'), { maxWaitMs: 30 });
	const patient = runExclusive(key, async () => order.push('patient'), { maxWaitMs: 5000 });
	await expect(impatient).rejects.toBeInstanceOf(QueueWaitExpired);
	await Promise.all([long, patient]);
	expect(order).toEqual(['long', 'patient']);
});

test('when the last waiter gives up, a newcomer still waits for the call that is running', async () => {
	let running = 0;
	let most = 0;
	const call = (ms: number) => async () => {
		running++;
		most = Math.max(most, running);
		await wait(ms);
		running--;
	};
	const first = runExclusive(key, call(150));
	const impatient = runExclusive(key, async () => 'never', { maxWaitMs: 20 });
	await expect(impatient).rejects.toBeInstanceOf(QueueWaitExpired);
	const newcomer = runExclusive(key, call(10));
	await Promise.all([first, newcomer]);
	expect(most).toBe(1);
	await wait(0);
	expect(busyQueues()).toBe(0);
});

test('the waited time is passed to the task', async () => {
	const long = runExclusive(key, async () => await wait(60));
	const waited = await runExclusive(key, async (waitedMs) => waitedMs);
	await long;
	expect(waited).toBeGreaterThanOrEqual(40);
});

test('a cancelled execution stops waiting at once', async () => {
	const controller = new AbortController();
	const long = runExclusive(key, async () => await wait(200));
	const waiting = runExclusive(key, async () => 'ran', {
		signal: controller.signal,
		maxWaitMs: 10_000,
	});
	controller.abort();
	await expect(waiting).rejects.toBeInstanceOf(QueueWaitCancelled);
	await long;
});

test('different tokens do not wait for each other', async () => {
	const other = queueKey('token-b');
	const order: string[] = [];
	await Promise.all([
		runExclusive(key, async () => {
			await wait(50);
			order.push('a');
		}),
		runExclusive(other, async () => order.push('b')),
	]);
	expect(order).toEqual(['b', 'a']);
});

test('wait() resolves true when the time is up and false when cancelled', async () => {
	await expect(wait(5)).resolves.toBe(true);
	const controller = new AbortController();
	const pending = wait(10_000, controller.signal);
	controller.abort();
	await expect(pending).resolves.toBe(false);
});

test('2,000 calls queued behind a hung call all settle: those that give up, and the rest after it', async () => {
	let releaseHung: () => void = () => {};
	const hung = runExclusive(key, async () => await new Promise<void>((r) => (releaseHung = r)));
	const outcomes = Array.from({ length: 2000 }, (_, i) =>
		runExclusive(key, async () => 'ran', { maxWaitMs: i % 2 ? 20 : 60_000 }).then(
			(value) => value,
			(error: unknown) => (error instanceof QueueWaitExpired ? 'gave up' : 'other'),
		),
	);
	await wait(50);
	releaseHung();
	await hung;
	const settled = await Promise.all(outcomes);
	expect(settled.filter((o) => o === 'gave up')).toHaveLength(1000);
	expect(settled.filter((o) => o === 'ran')).toHaveLength(1000);
	await wait(0);
	expect(busyQueues()).toBe(0);
});

test('a call that timed out marks its key for as long as Wolkvox may still run it', async () => {
	queues.noteAbandoned(key, 80);
	expect(queues.abandonedFor(key)).toBeGreaterThan(40);
	expect(queues.abandonedFor(queueKey('token-b'))).toBe(0);
	await wait(100);
	expect(queues.abandonedFor(key)).toBe(0);
});
