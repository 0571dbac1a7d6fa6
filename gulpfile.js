// Copies what TypeScript does not emit into dist/: the icons, and the codex (.node.json) files
// n8n reads beside each node.
const { src, dest } = require('gulp');

function copyAssets() {
	return src(['icons/*.svg', 'nodes/**/*.json'], { base: '.', encoding: false }).pipe(dest('dist'));
}

exports['build:assets'] = copyAssets;
exports.default = copyAssets;
