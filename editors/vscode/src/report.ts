// What `cruddur build --format json` says, read into plain data: diagnostics by file with
// ranges in the editor's units, and the parameters that had no value. No VS Code here.

import * as path from 'path';

export interface Span {
  line: number;
  column: number;
  end_line: number;
  end_column: number;
  label?: string | null;
}

export interface JsonDiagnostic {
  code: string;
  file: string;
  message: string;
  severity: 'error' | 'warning';
  help?: string | null;
  notes?: string[];
  span: Span;
  secondary?: (Span & { file: string })[];
  suppressed?: unknown;
}

/** A position as an editor counts: line from 0, column in UTF-16 code units from 0. */
export interface Position {
  line: number;
  character: number;
}

export interface Problem {
  code: string;
  severity: 'error' | 'warning';
  message: string;
  start: Position;
  end: Position;
  related: { file: string; start: Position; end: Position; message: string }[];
}

/** The arguments of `cruddur build` for a program. */
export function buildArguments(target: string, outDir: string, parameters: Record<string, string>): string[] {
  const args = ['build', target, '--out', outDir, '--format', 'json', '--color', 'never'];
  for (const name of Object.keys(parameters).sort()) {
    args.push('--param', `${name}=${parameters[name]}`);
  }
  return args;
}

/** The diagnostics of a JSON report; an empty list for empty output (a clean build). */
export function parseReport(stdout: string): JsonDiagnostic[] {
  if (stdout.trim() === '') {
    return [];
  }
  const parsed = JSON.parse(stdout) as { diagnostics?: JsonDiagnostic[] };
  if (!parsed || !Array.isArray(parsed.diagnostics)) {
    throw new Error('the compiler printed JSON without a "diagnostics" list');
  }
  return parsed.diagnostics.filter((d) => !d.suppressed);
}

/**
 * The UTF-16 offset in `lineText` of the 1-based character column `column` (the compiler
 * counts Unicode scalar values; the editor counts UTF-16 code units).
 */
export function utf16Column(lineText: string, column: number): number {
  let units = 0;
  let chars = 0;
  for (const ch of lineText) {
    if (chars >= column - 1) {
      break;
    }
    units += ch.length;
    chars += 1;
  }
  return units + Math.max(0, column - 1 - chars);
}

function position(lines: (file: string) => string[] | undefined, file: string, line: number, column: number): Position {
  const text = lines(file)?.[line - 1] ?? '';
  return { line: Math.max(0, line - 1), character: utf16Column(text, column) };
}

/**
 * The report's problems by absolute file path. `lines` gives a file's lines (for the UTF-16
 * columns); `cwd` is where the compiler ran (its paths are relative to it).
 */
export function problemsByFile(
  diagnostics: JsonDiagnostic[],
  cwd: string,
  lines: (file: string) => string[] | undefined,
): Map<string, Problem[]> {
  const out = new Map<string, Problem[]>();
  for (const d of diagnostics) {
    const file = path.resolve(cwd, d.file);
    let message = d.message;
    if (d.span.label && d.span.label !== d.message) {
      message += `\n${d.span.label}`;
    }
    if (d.help) {
      message += `\nhelp: ${d.help}`;
    }
    for (const note of d.notes ?? []) {
      message += `\nnote: ${note}`;
    }
    const problem: Problem = {
      code: d.code,
      severity: d.severity,
      message,
      start: position(lines, file, d.span.line, d.span.column),
      end: position(lines, file, d.span.end_line, d.span.end_column),
      related: (d.secondary ?? []).map((s) => {
        const other = path.resolve(cwd, s.file);
        return {
          file: other,
          start: position(lines, other, s.line, s.column),
          end: position(lines, other, s.end_line, s.end_column),
          message: s.label ?? '',
        };
      }),
    };
    const list = out.get(file) ?? [];
    list.push(problem);
    out.set(file, list);
  }
  return out;
}

/** Parameters the build needed and did not get (E0601), by name, in order. */
export function missingParameters(diagnostics: JsonDiagnostic[]): string[] {
  const names: string[] = [];
  for (const d of diagnostics) {
    if (d.code !== 'E0601') {
      continue;
    }
    const match = /parameter `([A-Za-z_][A-Za-z0-9_]*)`/.exec(d.message);
    if (match && !names.includes(match[1])) {
      names.push(match[1]);
    }
  }
  return names;
}
