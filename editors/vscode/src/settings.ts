// The extension's settings, read once into a plain object and checked, so a wrong value is
// reported by name instead of surfacing as a strange failure later.

export type Trace = 'off' | 'messages' | 'verbose';

export interface Settings {
  serverPath: string;
  cliPath: string;
  denyWarnings: boolean;
  outDir: string;
  parameters: Record<string, string>;
  trace: Trace;
}

/** Reads a setting of the `cruddur` section; `undefined` when unset. */
export type Lookup = (key: string) => unknown;

export interface Read {
  settings: Settings;
  /** Settings whose value was not usable, each with what was expected; defaults apply. */
  problems: string[];
}

export function readSettings(get: Lookup): Read {
  const problems: string[] = [];
  const text = (key: string): string => {
    const value = get(key);
    if (value === undefined || value === null) {
      return '';
    }
    if (typeof value !== 'string') {
      problems.push(`cruddur.${key} should be a string`);
      return '';
    }
    return value;
  };
  const flag = (key: string): boolean => {
    const value = get(key);
    if (value === undefined || value === null) {
      return false;
    }
    if (typeof value !== 'boolean') {
      problems.push(`cruddur.${key} should be true or false`);
      return false;
    }
    return value;
  };
  const serverPath = text('server.path');
  const cliPath = text('cli.path');
  const denyWarnings = flag('check.denyWarnings');
  const outDir = text('build.outDir');
  const parameters: Record<string, string> = {};
  const raw = get('build.parameters');
  if (raw !== undefined && raw !== null) {
    if (typeof raw !== 'object' || Array.isArray(raw)) {
      problems.push('cruddur.build.parameters should be an object of names to values');
    } else {
      for (const [name, value] of Object.entries(raw as Record<string, unknown>)) {
        if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
          problems.push(`cruddur.build.parameters: "${name}" is not a parameter name`);
        } else if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
          parameters[name] = String(value);
        } else {
          problems.push(`cruddur.build.parameters.${name} should be a string`);
        }
      }
    }
  }
  const traceValue = text('trace.server') || 'off';
  let trace: Trace = 'off';
  if (traceValue === 'off' || traceValue === 'messages' || traceValue === 'verbose') {
    trace = traceValue;
  } else {
    problems.push('cruddur.trace.server should be "off", "messages" or "verbose"');
  }
  return {
    settings: {
      serverPath,
      cliPath,
      denyWarnings,
      outDir,
      parameters,
      trace,
    },
    problems,
  };
}

/** What the language server reads from the settings (initialization options and changes). */
export function serverSettings(settings: Settings): { cruddur: { check: { denyWarnings: boolean } } } {
  return { cruddur: { check: { denyWarnings: settings.denyWarnings } } };
}

/** Settings whose change needs the server started again. */
export const RESTART_ON = ['cruddur.server.path'];
