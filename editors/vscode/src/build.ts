// "cruddur: Build pipeline": runs `cruddur build` for the program of a file into a folder,
// puts what it reports in the Problems panel, and offers the files it wrote.

import { execFile } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { expandPath, findCli, INSTALL_COMMAND } from './discovery';
import { State } from 'vscode-languageclient/node';
import { currentSettings, environment, Extension, StatusRequest } from './extension';
import { buildArguments, JsonDiagnostic, missingParameters, parseReport, Position, problemsByFile } from './report';

const REMEMBERED = 'cruddur.build.parameters';

interface Run {
  status: number;
  stdout: string;
  stderr: string;
}

function run(program: string, args: string[], cwd: string): Promise<Run> {
  return new Promise((resolve) => {
    execFile(program, args, { cwd, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const status = error ? (typeof error.code === 'number' ? error.code : 2) : 0;
      resolve({ status, stdout, stderr: stderr || (error && typeof error.code !== 'number' ? String(error) : '') });
    });
  });
}

function range(start: Position, end: Position): vscode.Range {
  return new vscode.Range(start.line, start.character, end.line, end.character);
}

function filesBelow(folder: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        walk(full);
      } else if (entry.name !== '.cruddur-output') {
        out.push(full);
      }
    }
  };
  walk(folder);
  return out;
}

/** The document to build: the one named (Explorer), else the cruddur file in view. */
async function target(uri?: vscode.Uri): Promise<vscode.TextDocument | undefined> {
  if (uri) {
    return vscode.workspace.openTextDocument(uri);
  }
  const document = vscode.window.activeTextEditor?.document;
  if (document?.languageId === 'cruddur') {
    return document;
  }
  void vscode.window.showWarningMessage('cruddur: open a .cruddur file to build its pipeline.');
  return undefined;
}

/** The folder to write: the setting, else asked (a path, relative to the workspace folder). */
async function chooseOutDir(setting: string, cwd: string): Promise<string | undefined> {
  if (setting.trim() !== '') {
    return path.resolve(cwd, expandPath(setting, environment(), cwd));
  }
  const answer = await vscode.window.showInputBox({
    title: 'cruddur build: the folder to write',
    prompt: `Relative to ${cwd}, or absolute. It is replaced whole, so it must be new, empty or written by cruddur before (set cruddur.build.outDir to stop being asked).`,
    value: 'build',
    ignoreFocusOut: true,
    validateInput: (value) => (value.trim() === '' ? 'a folder is needed' : undefined),
  });
  return answer === undefined ? undefined : path.resolve(cwd, expandPath(answer, environment(), cwd));
}

/** The parameters the program declares, as the server knows them; undefined if it cannot say. */
async function declaredParameters(ext: Extension, document: vscode.TextDocument): Promise<string[] | undefined> {
  const client = ext.client;
  if (!client || client.state !== State.Running) {
    return undefined;
  }
  try {
    const status = await client.sendRequest(StatusRequest, {
      textDocument: { uri: client.code2ProtocolConverter.asUri(document.uri) },
    });
    return status?.parameters;
  } catch {
    return undefined;
  }
}

/** A diagnostic's code; the server's carry their explanation's link: `{ value, target }`. */
function codeOf(d: vscode.Diagnostic): string | number | undefined {
  return typeof d.code === 'object' ? d.code.value : d.code;
}

/** The build's findings as editor diagnostics, leaving out those the server already shows. */
function show(ext: Extension, diagnostics: JsonDiagnostic[], cwd: string): number {
  const lines = (file: string): string[] | undefined => {
    const open = vscode.workspace.textDocuments.find((d) => d.uri.fsPath === file);
    if (open) {
      return open.getText().split(/\r?\n/);
    }
    try {
      return fs.readFileSync(file, 'utf8').split(/\r?\n/);
    } catch {
      return undefined;
    }
  };
  ext.buildDiagnostics.clear();
  let shown = 0;
  for (const [file, problems] of problemsByFile(diagnostics, cwd, lines)) {
    const uri = vscode.Uri.file(file);
    const live = vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'cruddur');
    const list: vscode.Diagnostic[] = [];
    for (const problem of problems) {
      const where = range(problem.start, problem.end);
      if (live.some((d) => codeOf(d) === problem.code && d.range.isEqual(where))) {
        continue;
      }
      const diagnostic = new vscode.Diagnostic(
        where,
        problem.message,
        problem.severity === 'error' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning,
      );
      diagnostic.code = problem.code;
      diagnostic.source = 'cruddur build';
      diagnostic.relatedInformation = problem.related.map(
        (r) => new vscode.DiagnosticRelatedInformation(new vscode.Location(vscode.Uri.file(r.file), range(r.start, r.end)), r.message),
      );
      list.push(diagnostic);
    }
    shown += problems.length;
    ext.buildDiagnostics.set(uri, list);
  }
  return shown;
}

export async function runBuild(ext: Extension, uri?: vscode.Uri): Promise<boolean> {
  const document = await target(uri);
  if (!document) {
    return false;
  }
  if (document.isUntitled) {
    void vscode.window.showWarningMessage('cruddur: save the file first; a build reads it from disk.');
    return false;
  }
  // The whole program is read from disk: every unsaved file of it is saved first.
  const unsaved = vscode.workspace.textDocuments.filter(
    (d) => d.isDirty && !d.isUntitled && (d.languageId === 'cruddur' || path.basename(d.uri.fsPath) === 'cruddur.toml'),
  );
  for (const d of unsaved) {
    if (!(await d.save())) {
      void vscode.window.showWarningMessage(`cruddur: ${vscode.workspace.asRelativePath(d.uri)} could not be saved; nothing built.`);
      return false;
    }
  }
  const settings = currentSettings(ext.output, document.uri);
  const env = environment();
  const file = document.uri.fsPath;
  const cwd = vscode.workspace.getWorkspaceFolder(document.uri)?.uri.fsPath ?? path.dirname(file);
  const serverPath = ext.server?.kind === 'found' ? ext.server.path : undefined;
  const cli = findCli(settings.cliPath, serverPath, env, cwd);
  if (cli.kind === 'missing') {
    const copy = 'Copy install command';
    const choice = await vscode.window.showErrorMessage(
      `cruddur: the compiler \`cruddur\` was not found (${cli.reason}). Install it with \`${INSTALL_COMMAND}\`, or set cruddur.cli.path.`,
      copy,
    );
    if (choice === copy) {
      await vscode.env.clipboard.writeText(INSTALL_COMMAND);
    }
    return false;
  }
  const outDir = await chooseOutDir(settings.outDir, cwd);
  if (!outDir) {
    return false;
  }
  // Values asked for before, then the settings'; only for parameters the program declares
  // (the compiler refuses others), when the server can say which.
  const remembered = ext.context.workspaceState.get<Record<string, string>>(REMEMBERED, {});
  const known: Record<string, string> = { ...remembered, ...settings.parameters };
  const declared = await declaredParameters(ext, document);
  const parameters: Record<string, string> = {};
  for (const [name, value] of Object.entries(known)) {
    if (declared === undefined || declared.includes(name)) {
      parameters[name] = value;
    }
  }

  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'cruddur build' },
    async () => {
      for (let attempt = 0; ; attempt++) {
        const args = buildArguments(file, outDir, parameters);
        ext.output.appendLine(`$ ${cli.path} ${args.join(' ')}`);
        const ran = await run(cli.path, args, cwd);
        let diagnostics: JsonDiagnostic[];
        try {
          diagnostics = parseReport(ran.stdout);
        } catch (error) {
          return { ran, diagnostics: undefined, error: String(error) };
        }
        const missing = missingParameters(diagnostics).filter((name) => !Object.hasOwn(parameters, name));
        if (ran.status === 0 || missing.length === 0 || attempt > 0) {
          return { ran, diagnostics, error: undefined };
        }
        for (const name of missing) {
          const value = await vscode.window.showInputBox({
            title: 'cruddur build',
            prompt: `Value of the parameter \`${name}\` (--param ${name}=VALUE); kept for this workspace`,
            ignoreFocusOut: true,
            validateInput: (value) => (value === '' ? 'a parameter needs a value' : undefined),
          });
          if (value === undefined) {
            return { ran, diagnostics, error: undefined };
          }
          parameters[name] = value;
          remembered[name] = value;
        }
        await ext.context.workspaceState.update(REMEMBERED, remembered);
      }
    },
  );
  if (result.ran.stderr.trim() !== '') {
    ext.output.appendLine(result.ran.stderr.trimEnd());
  }
  if (!result.diagnostics) {
    ext.output.appendLine(`could not read the compiler's report: ${result.error}`);
    void vscode.window.showErrorMessage(`cruddur build failed: ${result.ran.stderr.trim() || result.error}`);
    return false;
  }
  const count = show(ext, result.diagnostics, cwd);
  if (result.ran.status !== 0) {
    const errors = result.diagnostics.filter((d) => d.severity === 'error').length;
    if (errors > 0) {
      const choice = await vscode.window.showErrorMessage(
        `cruddur build: nothing written (${plural(errors, 'error')}, shown in the Problems panel).`,
        'Show Problems',
      );
      if (choice) {
        await vscode.commands.executeCommand('workbench.actions.view.problems');
      }
      return false;
    }
    // Not the program's fault: the folder, a parameter the compiler refuses, …
    const reason = result.ran.stderr.trim().replace(/^error: /, '') || `exit status ${result.ran.status}`;
    const fromSettings = settings.outDir.trim() !== '';
    const action = fromSettings ? 'Open settings' : 'Choose another folder…';
    const choice = await vscode.window.showErrorMessage(`cruddur build: nothing written: ${reason}`, action);
    if (choice === 'Open settings') {
      await vscode.commands.executeCommand('workbench.action.openSettings', 'cruddur.build');
    } else if (choice) {
      return runBuild(ext, document.uri);
    }
    return false;
  }
  const written = filesBelow(outDir);
  for (const f of written) {
    ext.output.appendLine(`  ${path.relative(outDir, f)}`);
  }
  const warnings = count > 0 ? ` (${plural(count, 'warning')} in the Problems panel)` : '';
  const open = 'Open a file…';
  const choice = await vscode.window.showInformationMessage(
    `cruddur build: wrote ${plural(written.length, 'file')} to ${vscode.workspace.asRelativePath(outDir)}${warnings}.`,
    open,
  );
  if (choice === open) {
    const picked = await vscode.window.showQuickPick(
      written.map((f) => ({ label: path.relative(outDir, f), file: f })),
      { title: `Written to ${outDir}` },
    );
    if (picked) {
      await vscode.window.showTextDocument(vscode.Uri.file(picked.file));
    }
  }
  return true;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** "cruddur: Forget build parameters": the values asked for are asked again. */
export async function forgetParameters(ext: Extension): Promise<void> {
  const remembered = Object.keys(ext.context.workspaceState.get<Record<string, string>>(REMEMBERED, {}));
  await ext.context.workspaceState.update(REMEMBERED, undefined);
  void vscode.window.showInformationMessage(
    remembered.length > 0
      ? `cruddur: forgot the values of ${remembered.join(', ')}; a build asks again.`
      : 'cruddur: no parameter values were kept.',
  );
}

/** Build findings go stale when their file is edited. */
export function forgetOnEdit(ext: Extension): vscode.Disposable {
  return vscode.workspace.onDidChangeTextDocument((event) => {
    if (event.contentChanges.length > 0 && ext.buildDiagnostics.has(event.document.uri)) {
      ext.buildDiagnostics.delete(event.document.uri);
    }
  });
}
