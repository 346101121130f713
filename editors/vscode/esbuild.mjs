// Bundles the extension into dist/ (one file, `vscode` left to the host), copies the graph
// view's scripts beside it, and with --tests bundles the unit tests into dist-test/.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, readdirSync, rmSync } from 'fs';

const production = process.argv.includes('--production');
const tests = process.argv.includes('--tests');

const common = { bundle: true, platform: 'node', format: 'cjs', target: 'node20', external: ['vscode'], logLevel: 'warning' };

if (tests) {
  rmSync('dist-test', { recursive: true, force: true });
  const entryPoints = readdirSync('test/unit')
    .filter((f) => f.endsWith('.test.ts'))
    .map((f) => `test/unit/${f}`);
  await build({ ...common, entryPoints, outdir: 'dist-test', sourcemap: 'inline' });
} else {
  rmSync('dist', { recursive: true, force: true });
  await build({
    ...common,
    entryPoints: ['src/extension.ts'],
    outfile: 'dist/extension.js',
    minify: production,
    sourcemap: !production,
  });
  mkdirSync('dist', { recursive: true });
  copyFileSync('node_modules/mermaid/dist/mermaid.min.js', 'dist/mermaid.min.js');
  copyFileSync('media/graph-view.js', 'dist/graph-view.js');
}
