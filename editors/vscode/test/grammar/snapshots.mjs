#!/usr/bin/env node
// Snapshot test of the grammar over every example in the repository's examples/ folder.
//
//   node test/grammar/snapshots.mjs            compare (fails on any difference)
//   node test/grammar/snapshots.mjs --update   rewrite the snapshots
//
// vscode-tmgrammar-snap keeps `<file>.snap` next to its input, and writes a missing one
// instead of failing. So the examples are copied, with their committed snapshots from
// test/grammar/snapshots/, into a temporary folder and checked there; an example without a
// snapshot, or a snapshot without an example, fails the test. A changed example fails too:
// a snapshot holds the source lines it was made from.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const extension = path.resolve(here, '..', '..');
const examples = path.resolve(extension, '..', '..', 'examples');
const snapshots = path.join(here, 'snapshots');
const grammar = path.join(extension, 'syntaxes', 'cruddur.tmLanguage.json');

const args = process.argv.slice(2);
const update = args.includes('--update') || args.includes('-u');
if (args.some((a) => !['--update', '-u'].includes(a))) {
  console.error('usage: node test/grammar/snapshots.mjs [--update]');
  process.exit(2);
}

const byName = (a, b) => (a < b ? -1 : a > b ? 1 : 0);
const sources = fs.readdirSync(examples).filter((f) => f.endsWith('.cruddur')).sort(byName);
fs.mkdirSync(snapshots, { recursive: true });
const snaps = fs.readdirSync(snapshots).filter((f) => f.endsWith('.cruddur.snap')).sort(byName);
if (sources.length === 0) {
  console.error(`no .cruddur files in ${examples}`);
  process.exit(1);
}

const missing = sources.filter((f) => !snaps.includes(`${f}.snap`));
const stale = snaps.filter((s) => !sources.includes(s.slice(0, -'.snap'.length)));
if (!update && (missing.length || stale.length)) {
  for (const f of missing) console.error(`missing snapshot for examples/${f}`);
  for (const s of stale) console.error(`snapshot without an example: test/grammar/snapshots/${s}`);
  console.error('run `node test/grammar/snapshots.mjs --update` and commit test/grammar/snapshots/');
  process.exit(1);
}

// The snapshot tool: from the extension's node_modules, else from PATH.
function snapCommand() {
  try {
    const require = createRequire(path.join(extension, 'package.json'));
    const pkg = require.resolve('vscode-tmgrammar-test/package.json');
    const bin = JSON.parse(fs.readFileSync(pkg, 'utf8')).bin['vscode-tmgrammar-snap'];
    return [process.execPath, [path.join(path.dirname(pkg), bin)]];
  } catch {
    return [process.platform === 'win32' ? 'vscode-tmgrammar-snap.cmd' : 'vscode-tmgrammar-snap', []];
  }
}

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'cruddur-snapshots-'));
let status = 1;
try {
  for (const f of sources) {
    fs.copyFileSync(path.join(examples, f), path.join(work, f));
    if (!update) fs.copyFileSync(path.join(snapshots, `${f}.snap`), path.join(work, `${f}.snap`));
  }
  const [command, prefix] = snapCommand();
  // Run in the temporary folder: no package.json there, so only this grammar is loaded.
  const result = spawnSync(
    command,
    [...prefix, ...(update ? ['--updateSnapshot'] : []), '--scope', 'source.cruddur', '--grammar', grammar, '*.cruddur'],
    { cwd: work, stdio: 'inherit', shell: process.platform === 'win32' },
  );
  if (result.error) throw result.error;
  status = result.status === 0 ? 0 : 1;
  if (update && status === 0) {
    for (const s of stale) fs.rmSync(path.join(snapshots, s));
    for (const f of sources) {
      fs.copyFileSync(path.join(work, `${f}.snap`), path.join(snapshots, `${f}.snap`));
    }
    console.log(`${sources.length} snapshots written to test/grammar/snapshots/`);
  } else if (status !== 0 && !update) {
    console.error('the grammar or an example changed: if the new tokens are right, run');
    console.error('`node test/grammar/snapshots.mjs --update` and commit test/grammar/snapshots/');
  }
} finally {
  fs.rmSync(work, { recursive: true, force: true });
}
process.exit(status);
