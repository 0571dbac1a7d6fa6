/**
 * How much of an answer the package reads: bounded before anything looks inside it, because an
 * answer may come from a proxy or a wrong address, and one n8n process serves every workflow.
 */

/**
 * The most an answer may hold, decompressed. Wolkvox's largest billing answer, 60,000 rows, is
 * about 7.5 MB; anything far beyond is not a billing report, and reading it would only fill memory.
 */
export const MAX_ANSWER_BYTES = 32 * 2 ** 20;

/**
 * The most rows an answer may hold. Wolkvox documents 60,000 at most; the margin is for a larger
 * operation, not for a proxy's `[{},{},…]`, which at 3 bytes a row would otherwise become
 * millions of items.
 */
export const MAX_ROWS = 100_000;
