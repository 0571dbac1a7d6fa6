/** Benchmarks run on demand (npm run bench:*), never in npm test: they print, they do not assert time. */
const base = require('../jest.config.js');

module.exports = {
	...base,
	rootDir: '..',
	roots: ['<rootDir>/bench'],
	testMatch: ['**/*.bench.ts'],
	testTimeout: 600_000,
};
