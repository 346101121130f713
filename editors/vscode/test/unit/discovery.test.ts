import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Environment, expandPath, findCli, findServer, INSTALL_COMMAND, onPath } from '../../src/discovery';

/** An environment whose executable files are exactly `files`. */
function env(files: string[], pathVariable = '/usr/local/bin:/usr/bin', platform = 'linux'): Environment {
  return { pathVariable, home: '/home/ada', platform, isExecutable: (f) => files.includes(f) };
}

test('the server is found on PATH, first folder first', () => {
  const found = findServer('', env(['/usr/bin/cruddur-lsp', '/usr/local/bin/cruddur-lsp']));
  assert.deepEqual(found, { kind: 'found', path: '/usr/local/bin/cruddur-lsp', from: 'PATH' });
});

test('the server setting wins over PATH', () => {
  const found = findServer('/opt/cruddur/cruddur-lsp', env(['/opt/cruddur/cruddur-lsp', '/usr/bin/cruddur-lsp']));
  assert.deepEqual(found, { kind: 'found', path: '/opt/cruddur/cruddur-lsp', from: 'setting' });
});

test('a wrong setting is reported, not replaced by the server on PATH', () => {
  const found = findServer('/opt/nothing/cruddur-lsp', env(['/usr/bin/cruddur-lsp']));
  assert.equal(found.kind, 'missing');
  assert.match(found.kind === 'missing' ? found.reason : '', /cruddur\.server\.path is "\/opt\/nothing\/cruddur-lsp"/);
});

test('a setting with ~ or relative to the workspace folder is expanded', () => {
  assert.equal(expandPath('~/.cargo/bin/cruddur-lsp', env([])), '/home/ada/.cargo/bin/cruddur-lsp');
  assert.equal(expandPath('target/debug/cruddur-lsp', env([]), '/work/repo'), '/work/repo/target/debug/cruddur-lsp');
  const found = findServer(' ~/bin/cruddur-lsp ', env(['/home/ada/bin/cruddur-lsp']));
  assert.deepEqual(found, { kind: 'found', path: '/home/ada/bin/cruddur-lsp', from: 'setting' });
});

test('nothing found says why and lists where it looked', () => {
  const found = findServer('', env([], '/a::/b'));
  assert.deepEqual(found, {
    kind: 'missing',
    reason: 'cruddur-lsp is not on PATH and cruddur.server.path is not set',
    tried: ['/a/cruddur-lsp', '/b/cruddur-lsp'],
  });
  assert.match(INSTALL_COMMAND, /cargo install --locked --path lsp/);
});

test('on Windows the program has .exe and PATH is split at ;', () => {
  const windows = env(['C:\\tools/cruddur-lsp.exe'], 'C:\\tools;C:\\bin', 'win32');
  assert.equal(onPath('cruddur-lsp', windows), 'C:\\tools/cruddur-lsp.exe');
});

test('the compiler is looked for beside the server before PATH', () => {
  const files = ['/home/ada/.cargo/bin/cruddur', '/usr/bin/cruddur'];
  const found = findCli('', '/home/ada/.cargo/bin/cruddur-lsp', env(files));
  assert.deepEqual(found, { kind: 'found', path: '/home/ada/.cargo/bin/cruddur', from: 'beside the server' });
  assert.deepEqual(findCli('', undefined, env(files)), { kind: 'found', path: '/usr/bin/cruddur', from: 'PATH' });
  assert.deepEqual(findCli('/x/cruddur', '/usr/bin/cruddur-lsp', env(['/x/cruddur', ...files])), {
    kind: 'found',
    path: '/x/cruddur',
    from: 'setting',
  });
});
