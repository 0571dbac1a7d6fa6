// Lint for what never ships: tests, the simulator, benchmarks and scripts. The package itself is
// linted by n8n's own default config (eslint.config.mjs, which n8n's Cloud check requires as is).
// These files run in Node and jest, so n8n Cloud's rules for node code (no process, no timers)
// do not apply; the usual JavaScript and TypeScript mistakes do.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
	{ ignores: ['dist/**', 'node_modules/**'] },
	{
		files: ['**/*.{js,mjs,cjs}'],
		extends: [js.configs.recommended],
		languageOptions: { globals: { ...globals.node } },
	},
	{
		files: ['**/*.ts'],
		extends: [js.configs.recommended, tseslint.configs.recommended],
		languageOptions: { globals: { ...globals.node, ...globals.jest } },
	},
);
