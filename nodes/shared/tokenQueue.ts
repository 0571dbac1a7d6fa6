/**
 * One call at a time per token, across the whole n8n process.
 *
 * Wolkvox refuses a call on a token while another is running on it. Items of one execution,
 * several executions, and the trigger and action nodes all share this queue, so they take turns
 * instead of colliding. Keys are hashes: the token itself is never kept here.
 */
import { createHash } from 'crypto';

import { wait } from './delay';

/**
 * The queue a token's calls share. Wolkvox's limit is per token, whatever address a credential
 * reaches it by (a proxy, 127.0.0.1 or localhost), so the key is the token alone, hashed.
 */
export function queueKey(token: string): string {
	return createHash('sha256').update(token).digest('hex');
}

/** The wait for earlier calls on the token ran past `maxWaitMs`. */
export class QueueWaitExpired extends Error {
	constructor(readonly waitedMs: number) {
		super('queue wait expired');
		this.name = 'QueueWaitExpired';
	}
}

/** The execution was cancelled while waiting for the token. */
export class QueueWaitCancelled extends Error {
	constructor() {
		super('queue wait cancelled');
		this.name = 'QueueWaitCancelled';
	}
}

export interface ExclusiveOptions {
	/** Give up waiting for the token after this long. */
	maxWaitMs?: number;
	/** Stop waiting when this aborts (the execution was cancelled). */
	signal?: AbortSignal;
}

/** Queues per key, and the calls we gave up on that may still hold a key at Wolkvox. */
export class TokenQueues {
	private readonly tails = new Map<string, Promise<void>>();

	/** Until when (performance.now()) a call we gave up on may still run at Wolkvox, per key. */
	private readonly abandoned = new Map<string, number>();

	/** How many keys have calls running or waiting. */
	get busy(): number {
		return this.tails.size;
	}

	/**
	 * Runs `task` once every earlier task on the same key has settled, passing it how long it
	 * waited. A task that gives up waiting frees its place at once; later tasks still wait for
	 * the ones before it.
	 */
	async run<T>(
		key: string,
		task: (waitedMs: number) => Promise<T>,
		options: ExclusiveOptions = {},
	): Promise<T> {
		const { tails } = this;
		const previous = tails.get(key);
		let release: () => void = () => {};
		const mine = new Promise<void>((resolve) => {
			release = resolve;
		});
		const tail = previous ? previous.then(async () => await mine) : mine;
		tails.set(key, tail);
		const queuedAt = performance.now();
		try {
			// Most calls find the token free: no timer, no extra tick.
			if (previous) await waitForTurn(previous, options);
			return await task(performance.now() - queuedAt);
		} finally {
			release();
			// Forget the key only once everything queued up to here has finished: a waiter that
			// gave up early must not let the next caller overtake a call still running.
			void tail.then(() => {
				if (tails.get(key) === tail) tails.delete(key);
			});
		}
	}

	/** A call on this key timed out here; Wolkvox may go on with it for up to `forMs`. */
	noteAbandoned(key: string, forMs: number): void {
		const now = performance.now();
		for (const [other, until] of this.abandoned) if (until <= now) this.abandoned.delete(other);
		this.abandoned.set(key, Math.max(this.abandoned.get(key) ?? 0, now + forMs));
	}

	/** How long an abandoned call on this key may still run at Wolkvox; 0 when none may. */
	abandonedFor(key: string): number {
		return Math.max(0, (this.abandoned.get(key) ?? 0) - performance.now());
	}
}

/** The queues of this n8n process: every node and execution in it shares them. */
export const tokenQueues = new TokenQueues();

async function waitForTurn(previous: Promise<void>, { maxWaitMs, signal }: ExclusiveOptions) {
	if (maxWaitMs === undefined && !signal) return await previous;
	if (signal?.aborted) throw new QueueWaitCancelled();
	const started = performance.now();
	// Stops the timer's wait once our turn comes first.
	const turnCame = new AbortController();
	const cancel = signal ? AbortSignal.any([turnCame.signal, signal]) : turnCame.signal;
	const outcome = await Promise.race([
		previous.then(() => 'turn' as const),
		wait(maxWaitMs ?? 2 ** 31 - 1, cancel).then((elapsed) =>
			elapsed ? ('expired' as const) : ('cancelled' as const),
		),
	]);
	turnCame.abort();
	if (outcome === 'expired') throw new QueueWaitExpired(performance.now() - started);
	if (outcome === 'cancelled' && signal?.aborted) throw new QueueWaitCancelled();
}
