// Finding the programs the extension runs: the language server `cruddur-lsp` and the
// compiler `cruddur`. Pure functions over what they are given (settings, PATH, a file test), so
// the unit tests need no VS Code and no real files.

import * as path from 'path';

export interface Environment {
  /** The `PATH` variable. */
  pathVariable: string;
  /** The user's home folder, for settings written as `~/…`. */
  home: string;
  /** `process.platform`. */
  platform: string;
  /** Whether a file exists and may be run. */
  isExecutable(file: string): boolean;
}

export type Found =
  | { kind: 'found'; path: string; from: 'setting' | 'beside the server' | 'PATH' }
  | { kind: 'missing'; reason: string; tried: string[] };

/** The file name of a program on this platform (`cruddur-lsp.exe` on Windows). */
export function programName(name: string, platform: string): string {
  return platform === 'win32' ? `${name}.exe` : name;
}

/** A path from a setting: `~/` is the home folder; a relative path is relative to `base`. */
export function expandPath(setting: string, env: Environment, base?: string): string {
  let p = setting.trim();
  if (p === '~' || p.startsWith('~/') || p.startsWith('~\\')) {
    p = path.join(env.home, p.slice(1));
  }
  if (!path.isAbsolute(p) && base !== undefined) {
    p = path.join(base, p);
  }
  return p;
}

/** Every folder of `PATH`, in order, without empty entries. */
export function pathFolders(env: Environment): string[] {
  const separator = env.platform === 'win32' ? ';' : ':';
  return env.pathVariable.split(separator).filter((folder) => folder.length > 0);
}

/** `name` in the first folder of `PATH` that has it. */
export function onPath(name: string, env: Environment): string | undefined {
  const file = programName(name, env.platform);
  for (const folder of pathFolders(env)) {
    const candidate = path.join(folder, file);
    if (env.isExecutable(candidate)) {
      return candidate;
    }
  }
  return undefined;
}

/**
 * The language server: the `cruddur.server.path` setting when set (and then only it: a wrong
 * setting is reported, not silently replaced by another program), else `cruddur-lsp` on PATH.
 */
export function findServer(setting: string, env: Environment, base?: string): Found {
  return find('cruddur-lsp', 'cruddur.server.path', setting, env, base, []);
}

/**
 * The compiler: the `cruddur.cli.path` setting when set, else `cruddur` in the folder of the
 * server (both are installed by `cargo install` into one folder), else on PATH.
 */
export function findCli(setting: string, serverPath: string | undefined, env: Environment, base?: string): Found {
  const beside = serverPath ? [path.join(path.dirname(serverPath), programName('cruddur', env.platform))] : [];
  return find('cruddur', 'cruddur.cli.path', setting, env, base, beside);
}

function find(
  name: string,
  settingName: string,
  setting: string,
  env: Environment,
  base: string | undefined,
  beside: string[],
): Found {
  if (setting.trim() !== '') {
    const configured = expandPath(setting, env, base);
    if (env.isExecutable(configured)) {
      return { kind: 'found', path: configured, from: 'setting' };
    }
    return {
      kind: 'missing',
      reason: `${settingName} is "${setting}", and there is no program that can be run at ${configured}`,
      tried: [configured],
    };
  }
  for (const candidate of beside) {
    if (env.isExecutable(candidate)) {
      return { kind: 'found', path: candidate, from: 'beside the server' };
    }
  }
  const found = onPath(name, env);
  if (found) {
    return { kind: 'found', path: found, from: 'PATH' };
  }
  const tried = [...beside, ...pathFolders(env).map((folder) => path.join(folder, programName(name, env.platform)))];
  return { kind: 'missing', reason: `${name} is not on PATH and ${settingName} is not set`, tried };
}

/** The command that installs the language server and the compiler from a clone of cruddur. */
export const INSTALL_COMMAND = 'cargo install --locked --path lsp && cargo install --locked --path compiler';
