// Builds the playground into dist/: the page, its script and style bundled by esbuild (Monaco
// and Mermaid from node_modules), Monaco's worker, the compiler's WebAssembly module, the
// examples as data, and a service worker that keeps it all for offline use. Every file but
// index.html and sw.js is named by its content's hash, so a browser never mixes two builds.
//
//   node build.mjs                     builds the module with cargo first (from the repository root)
//   CRUDDUR_WASM=path.wasm node build.mjs    takes that module instead, and runs no cargo
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

const here = path.dirname(new URL(import.meta.url).pathname);
const root = path.resolve(here, '../..');
const dist = path.join(here, 'dist');

const hash = (bytes) => createHash('sha256').update(bytes).digest('hex').slice(0, 10);

/** Writes `bytes` into dist/ as `name-HASH.ext`; its name. */
function emit(name, bytes) {
  const ext = path.extname(name);
  const file = `${path.basename(name, ext)}-${hash(bytes)}${ext}`;
  writeFileSync(path.join(dist, file), bytes);
  return file;
}

/** The compiler's module: CRUDDUR_WASM's, or built with cargo. */
function wasm() {
  if (process.env.CRUDDUR_WASM) {
    return readFileSync(process.env.CRUDDUR_WASM);
  }
  execFileSync('cargo', ['build', '-p', 'cruddur-playground', '--target', 'wasm32-unknown-unknown', '--profile', 'wasm', '--locked'], {
    cwd: root,
    stdio: 'inherit',
  });
  return readFileSync(path.join(root, 'target/wasm32-unknown-unknown/wasm/cruddur_playground.wasm'));
}

/** Every text file under `dir`, by its path relative to `dir` ('/'-separated), sorted. */
function textFiles(dir, prefix = '') {
  const files = {};
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      Object.assign(files, textFiles(full, `${prefix}${entry.name}/`));
    } else if (entry.isFile()) {
      const bytes = readFileSync(full);
      const text = bytes.toString('utf8');
      // A binary file (or one not in UTF-8) is no use in the editor: left out.
      if (!bytes.includes(0) && Buffer.from(text, 'utf8').equals(bytes)) {
        files[prefix + entry.name] = text;
      }
    }
  }
  return files;
}

/** examples/: each `NN-name.cruddur` file or `NN-name/` folder, with its title and the mistake
 *  to try from examples/README.md. */
function examples() {
  const dir = path.join(root, 'examples');
  const readme = readFileSync(path.join(dir, 'README.md'), 'utf8');
  // `## [02 · A container on ECS Fargate](02-cruddur-backend-fargate.cruddur)`, its section
  // running to the next heading; the mistake is the paragraph starting `**Try this mistake:**`.
  const sections = new Map();
  for (const match of readme.matchAll(/^## \[(\d\d) · (.+?)\]\(.*?\)\n([\s\S]*?)(?=^## |(?![\s\S]))/gm)) {
    const [, number, title, body] = match;
    const mistake = /^\*\*Try this mistake:\*\*\s*((?:.+\n?)+)/m.exec(body);
    // The page checks as you type: "`cruddur check --format short` reports" is "cruddur reports" there.
    const text = mistake?.[1].trim().replace(/\s*\n\s*/g, ' ').replace('`cruddur check --format short` reports', 'cruddur reports');
    sections.set(number, { title, mistake: text ?? null });
  }
  return readdirSync(dir)
    .filter((name) => /^\d\d-/.test(name))
    .sort()
    .map((name) => {
      const full = path.join(dir, name);
      const folder = statSync(full).isDirectory();
      if (!folder && !name.endsWith('.cruddur')) {
        return null;
      }
      const id = name.replace(/\.cruddur$/, '');
      const section = sections.get(name.slice(0, 2));
      return {
        id,
        title: section?.title ?? id.slice(3).replace(/-/g, ' '),
        main: folder ? 'pipeline.cruddur' : name,
        files: folder ? textFiles(full) : { [name]: readFileSync(full, 'utf8') },
        mistake: section?.mistake ?? null,
      };
    })
    .filter(Boolean);
}

/** The outputs a page needs, offline too, following the metafile's imports from `starts`.
 *  Lazy imports are followed only where the page uses them: Mermaid's flowchart and its
 *  layout, not its twenty other diagram kinds, which stay in dist/ unused. */
function needed(metafile, starts) {
  const lazy = /node_modules\/(monaco-editor\/|mermaid\/dist\/mermaid\.core\.mjs$|mermaid\/dist\/chunks\/mermaid\.core\/(flowDiagram|dagre)-)/;
  const seen = new Set();
  const visit = (output) => {
    if (seen.has(output)) return;
    seen.add(output);
    for (const { path: imported, kind } of metafile.outputs[output]?.imports ?? []) {
      if (imported in metafile.outputs && (kind !== 'dynamic-import' || lazy.test(metafile.outputs[imported].entryPoint ?? ''))) {
        visit(imported);
      }
    }
  };
  starts.forEach(visit);
  return [...seen];
}

const relative = (output) => path.relative(dist, path.resolve(here, output)).split(path.sep).join('/');

rmSync(dist, { recursive: true, force: true });
mkdirSync(dist, { recursive: true });

const wasmFile = emit('cruddur_playground.wasm', wasm());
const examplesFile = emit('examples.json', JSON.stringify(examples()));
// The language reference, which the explanations link to (read when a link is followed).
const referenceFile = emit('language.md', readFileSync(path.join(root, 'spec/language.md')));

const common = {
  bundle: true,
  minify: true,
  target: 'es2022',
  outdir: dist,
  metafile: true,
  logLevel: 'warning',
};

// Monaco's worker: a module of its own, which Monaco starts from the name given below.
const worker = await build({
  ...common,
  entryPoints: { 'editor.worker': 'monaco-editor/editor/editor.worker.js' },
  format: 'esm',
  entryNames: '[name]-[hash]',
});
const workerFile = relative(Object.keys(worker.metafile.outputs).find((out) => out.endsWith('.js')));

const page = await build({
  ...common,
  entryPoints: { main: 'src/main.ts' },
  format: 'esm',
  splitting: true,
  entryNames: '[name]-[hash]',
  chunkNames: 'chunks/[name]-[hash]',
  assetNames: 'assets/[name]-[hash]',
  loader: { '.ttf': 'file' },
  define: {
    __WASM__: JSON.stringify(wasmFile),
    __EXAMPLES__: JSON.stringify(examplesFile),
    __REFERENCE__: JSON.stringify(referenceFile),
    __WORKER__: JSON.stringify(workerFile),
  },
});
const [script, { cssBundle: style }] = Object.entries(page.metafile.outputs).find(([, out]) => out.entryPoint === 'src/main.ts');

const html = readFileSync(path.join(here, 'index.html'), 'utf8').replace(
  '<!--assets-->',
  [
    `<link rel="stylesheet" href="${relative(style)}">`,
    `<link rel="modulepreload" href="${relative(script)}">`,
    `<link rel="preload" href="${wasmFile}" as="fetch" crossorigin>`,
    `<link rel="preload" href="${examplesFile}" as="fetch" crossorigin>`,
    `<script type="module" src="${relative(script)}"></script>`,
  ].join('\n'),
);
writeFileSync(path.join(dist, 'index.html'), html);

// The service worker keeps what the page loads; its cache is named by their content, so a
// new build replaces the cache whole.
const assets = [
  'index.html',
  wasmFile,
  examplesFile,
  referenceFile,
  workerFile,
  ...needed(page.metafile, [script, style]).map(relative),
].sort();
const digest = createHash('sha256');
for (const file of assets) {
  digest.update(file).update(readFileSync(path.join(dist, file)));
}
const version = digest.digest('hex').slice(0, 10);
const sw = readFileSync(path.join(here, 'src/sw.js'), 'utf8')
  .replace('__CACHE__', JSON.stringify(`cruddur-playground-${version}`))
  .replace('__ASSETS__', JSON.stringify(assets, null, 2));
writeFileSync(path.join(dist, 'sw.js'), sw);

// The licences of the packages bundled, from the metafiles: one file beside the page.
const packages = new Set(
  [page, worker].flatMap((result) => Object.keys(result.metafile.inputs)).flatMap((input) => /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input)?.[1] ?? []),
);
const notices = [...packages].sort().map((name) => {
  const dir = path.join(here, 'node_modules', name);
  const { version, license } = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
  const texts = readdirSync(dir).filter((file) => /^(licen[cs]e|notice|copying)/i.test(file)).sort();
  return [`${name} ${version} (${license})`, ...texts.map((file) => readFileSync(path.join(dir, file), 'utf8').trim())].join('\n\n');
});
writeFileSync(path.join(dist, 'THIRD-PARTY-NOTICES.txt'), `The playground bundles these packages from npm.\n\n${notices.join(`\n\n${'-'.repeat(78)}\n\n`)}\n`);

// What a visitor downloads, compressed as a server would send it.
const gz = (files) => files.reduce((sum, file) => sum + gzipSync(readFileSync(path.join(dist, file))).length, 0);
const kb = (bytes) => `${(bytes / 1024).toFixed(0)} KiB`;
const all = readdirSync(dist, { recursive: true }).filter((file) => statSync(path.join(dist, file)).isFile());
console.log(
  `dist/: ${assets.length} files loaded by the page, ${kb(gz(assets))} gzipped (the module ${kb(gz([wasmFile]))}, ` +
    `the script ${kb(gz([relative(script)]))}); ${all.length} files in all, ${kb(gz(all))} gzipped`,
);
