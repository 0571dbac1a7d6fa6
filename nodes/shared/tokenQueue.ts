/**
 * One call at a time per token, across the whole n8n process.
 *
 * Wolkvox refuses a call on a token while another is running on it. Items of one execution,
 * several executions, and the trigger and action nodes all share this queue, so they take turns
 * instead of colliding. Keys are hashes: the token itself is never kept here.
 */
import { createHash } from 'crypto';

const tails = new Map<string, Promise<void>>();

export function queueKey(baseUrl: string, token: string): string {
	return createHash('sha256').update(`${baseUrl}\n${token}`).digest('hex');
}

/** Runs `task` once every earlier task on the same key has settled. */
export async function runExclusive<T>(key: string, task: () => Promise<T>): Promise<T> {
	const previous = tails.get(key) ?? Promise.resolve();
	let release: () => void = () => {};
	const mine = new Promise<void>((resolve) => {
		release = resolve;
	});
	const tail = previous.then(() => mine);
	tails.set(key, tail);
	try {
		await previous;
		return await task();
	} finally {
		release();
		if (tails.get(key) === tail) tails.delete(key);
	}
}

/** How many keys have calls running or waiting; for tests. */
export function busyQueues(): number {
	return tails.size;
}
