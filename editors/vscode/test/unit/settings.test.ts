import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readSettings, serverSettings } from '../../src/settings';

const from = (values: Record<string, unknown>) => (key: string) => values[key];

test('unset settings read as their defaults', () => {
  const { settings, problems } = readSettings(from({}));
  assert.deepEqual(settings, {
    serverPath: '',
    cliPath: '',
    denyWarnings: false,
    outDir: '',
    parameters: {},
    trace: 'off',
  });
  assert.deepEqual(problems, []);
});

test('every setting is read', () => {
  const { settings, problems } = readSettings(
    from({
      'server.path': '/bin/cruddur-lsp',
      'cli.path': '/bin/cruddur',
      'check.denyWarnings': true,
      'build.outDir': 'build',
      'build.parameters': { account_id: '123456789012', retries: 3 },
      'trace.server': 'verbose',
    }),
  );
  assert.deepEqual(problems, []);
  assert.deepEqual(settings, {
    serverPath: '/bin/cruddur-lsp',
    cliPath: '/bin/cruddur',
    denyWarnings: true,
    outDir: 'build',
    parameters: { account_id: '123456789012', retries: '3' },
    trace: 'verbose',
  });
  assert.deepEqual(serverSettings(settings), { cruddur: { check: { denyWarnings: true } } });
});

test('unusable values are named and fall back to defaults', () => {
  const { settings, problems } = readSettings(
    from({
      'server.path': 42,
      'check.denyWarnings': 'yes',
      'build.parameters': { 'not a name': 'x', account_id: { nested: true }, region: 'eu-west-1' },
      'trace.server': 'loud',
    }),
  );
  assert.equal(settings.serverPath, '');
  assert.equal(settings.denyWarnings, false);
  assert.deepEqual(settings.parameters, { region: 'eu-west-1' });
  assert.equal(settings.trace, 'off');
  assert.deepEqual(problems, [
    'cruddur.server.path should be a string',
    'cruddur.check.denyWarnings should be true or false',
    'cruddur.build.parameters: "not a name" is not a parameter name',
    'cruddur.build.parameters.account_id should be a string',
    'cruddur.trace.server should be "off", "messages" or "verbose"',
  ]);
});

test('parameters given as a list are refused as a whole', () => {
  const { settings, problems } = readSettings(from({ 'build.parameters': ['account_id=1'] }));
  assert.deepEqual(settings.parameters, {});
  assert.deepEqual(problems, ['cruddur.build.parameters should be an object of names to values']);
});
