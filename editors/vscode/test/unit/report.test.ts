import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildArguments, JsonDiagnostic, missingParameters, parseReport, problemsByFile, utf16Column } from '../../src/report';

test('build arguments: JSON report, parameters sorted by name', () => {
  assert.deepEqual(buildArguments('/w/ci.cruddur', '/w/build', { region: 'eu-west-1', account_id: '1' }), [
    'build',
    '/w/ci.cruddur',
    '--out',
    '/w/build',
    '--format',
    'json',
    '--color',
    'never',
    '--param',
    'account_id=1',
    '--param',
    'region=eu-west-1',
  ]);
});

const e0601: JsonDiagnostic = {
  code: 'E0601',
  file: 'ci/pipeline.cruddur',
  message: 'parameter `account_id` has no value',
  severity: 'error',
  help: 'pass it: `--param account_id=VALUE`, or give the parameter a default',
  notes: [],
  span: { line: 2, column: 13, end_line: 2, end_column: 23, label: 'needed here' },
  secondary: [{ file: 'ci/params.cruddur', line: 1, column: 7, end_line: 1, end_column: 17, label: 'declared here' }],
  suppressed: null,
};

test('a report is read; waived findings and empty output give nothing', () => {
  assert.deepEqual(parseReport(''), []);
  const waived = { ...e0601, code: 'S0001', suppressed: { reason: 'ok' } };
  assert.deepEqual(parseReport(JSON.stringify({ diagnostics: [e0601, waived] })), [e0601]);
  assert.throws(() => parseReport('{"nothing": 1}'), /"diagnostics" list/);
  assert.throws(() => parseReport('not json'));
});

test('missing parameters are named once each, in order', () => {
  const connection = { ...e0601, message: 'parameter `connection_arn` has no value' };
  assert.deepEqual(missingParameters([e0601, connection, e0601, { ...e0601, code: 'E0209' }]), [
    'account_id',
    'connection_arn',
  ]);
});

test('character columns become UTF-16 columns', () => {
  assert.equal(utf16Column('abc', 1), 0);
  assert.equal(utf16Column('abc', 3), 2);
  // One character outside the Basic Multilingual Plane is two UTF-16 units.
  assert.equal(utf16Column('"🚀" x', 4), 4);
  assert.equal(utf16Column('é = 1', 3), 2);
  // Past the end of the line (the end of a span at a line break).
  assert.equal(utf16Column('ab', 4), 3);
});

test('problems are grouped by absolute file, with the label, help and the other half', () => {
  const lines = (file: string) =>
    ({
      '/w/ci/pipeline.cruddur': ['aws {', '  account = account_id', '}'],
      '/w/ci/params.cruddur': ['param account_id {}'],
    })[file];
  const problems = problemsByFile([e0601], '/w', lines);
  assert.deepEqual([...problems.keys()], ['/w/ci/pipeline.cruddur']);
  assert.deepEqual(problems.get('/w/ci/pipeline.cruddur'), [
    {
      code: 'E0601',
      severity: 'error',
      message:
        'parameter `account_id` has no value\nneeded here\nhelp: pass it: `--param account_id=VALUE`, or give the parameter a default',
      start: { line: 1, character: 12 },
      end: { line: 1, character: 22 },
      related: [
        {
          file: '/w/ci/params.cruddur',
          start: { line: 0, character: 6 },
          end: { line: 0, character: 16 },
          message: 'declared here',
        },
      ],
    },
  ]);
});
