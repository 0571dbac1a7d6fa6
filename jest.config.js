/** @type {import('jest').Config} */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	transform: {
		'^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }],
	},
	setupFiles: ['<rootDir>/test/support/engine/setup-env.js'],
	setupFilesAfterEnv: ['<rootDir>/test/support/engine/teardown.ts'],
	testTimeout: 30000,
};
