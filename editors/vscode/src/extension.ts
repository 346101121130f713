// The cruddur extension: starts the language server `cruddur-lsp` for `.cruddur` files and adds
// what a language server does not: commands (restart, build, graph, format), a status bar item
// with the program's error count, and a clear message when the server is not installed.

import * as fs from 'fs';
import * as os from 'os';
import * as vscode from 'vscode';
import {
  DidChangeConfigurationNotification,
  DocumentFormattingRequest,
  LanguageClient,
  LanguageClientOptions,
  RequestType,
  ServerOptions,
  State,
  TextDocumentIdentifier,
} from 'vscode-languageclient/node';
import { Environment, findServer, Found, INSTALL_COMMAND } from './discovery';
import { forgetOnEdit, forgetParameters, runBuild } from './build';
import { GraphPanel } from './graph';
import { readSettings, serverSettings, Settings, RESTART_ON } from './settings';

export interface ProgramStatus {
  errors: number;
  warnings: number;
  files: string[];
  /** The names of the program's `param`s. */
  parameters: string[];
}

export interface ProgramGraph {
  mermaid: string | null;
  pipelines: number;
  errors: number;
}

interface ProgramParams {
  textDocument: TextDocumentIdentifier;
}

export const StatusRequest = new RequestType<ProgramParams, ProgramStatus | null, void>('cruddur/status');
export const GraphRequest = new RequestType<ProgramParams, ProgramGraph | null, void>('cruddur/graph');

export function environment(): Environment {
  return {
    pathVariable: process.env.PATH ?? '',
    home: os.homedir(),
    platform: process.platform,
    isExecutable(file: string): boolean {
      try {
        if (!fs.statSync(file).isFile()) {
          return false;
        }
        fs.accessSync(file, fs.constants.X_OK);
        return true;
      } catch {
        return false;
      }
    },
  };
}

/** The folder relative settings are read against: the first workspace folder. */
export function baseFolder(): string | undefined {
  return vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
}

/** The settings, as they apply to `scope` (a file: its folder's settings in a multi-root workspace). */
export function currentSettings(output?: vscode.OutputChannel, scope?: vscode.Uri): Settings {
  const section = vscode.workspace.getConfiguration('cruddur', scope);
  const { settings, problems } = readSettings((key) => section.get(key));
  for (const problem of problems) {
    output?.appendLine(`settings: ${problem}; the default applies`);
  }
  return settings;
}

/** Everything the extension holds while active. */
export class Extension {
  client: LanguageClient | undefined;
  server: Found | undefined;
  readonly output: vscode.LogOutputChannel;
  readonly status: vscode.StatusBarItem;
  readonly buildDiagnostics: vscode.DiagnosticCollection;
  private statusTimer: NodeJS.Timeout | undefined;

  constructor(readonly context: vscode.ExtensionContext) {
    this.output = vscode.window.createOutputChannel('cruddur', { log: true });
    this.status = vscode.window.createStatusBarItem('cruddur.status', vscode.StatusBarAlignment.Left, 10);
    this.status.name = 'cruddur';
    this.buildDiagnostics = vscode.languages.createDiagnosticCollection('cruddur build');
    context.subscriptions.push(this.output, this.status, this.buildDiagnostics, this.running);
  }

  /** Starts, stops and restarts run one after another, never two at once. */
  private lifecycle: Promise<void> = Promise.resolve();
  private readonly running = new vscode.EventEmitter<void>();
  /** Fires each time a server is up and answering. */
  readonly onRunning = this.running.event;

  private queue(work: () => Promise<void>): Promise<void> {
    this.lifecycle = this.lifecycle.then(work, work);
    return this.lifecycle;
  }

  start(): Promise<void> {
    return this.queue(() => this.startNow());
  }

  stop(): Promise<void> {
    return this.queue(() => this.stopNow());
  }

  restart(): Promise<void> {
    return this.queue(async () => {
      await this.stopNow();
      this.output.appendLine('restarting the language server');
      await this.startNow();
    });
  }

  private async startNow(): Promise<void> {
    const settings = currentSettings(this.output);
    this.server = findServer(settings.serverPath, environment(), baseFolder());
    if (this.server.kind === 'missing') {
      this.showState('missing');
      this.output.appendLine(`cruddur-lsp not found: ${this.server.reason}; looked at ${this.server.tried.join(', ')}`);
      void this.offerInstall(this.server.reason);
      return;
    }
    this.output.appendLine(`starting ${this.server.path} (from ${this.server.from})`);
    const serverOptions: ServerOptions = {
      run: { command: this.server.path, args: [] },
      debug: { command: this.server.path, args: [] },
    };
    // No `synchronize.fileEvents`: the server registers its own file watchers.
    const clientOptions: LanguageClientOptions = {
      documentSelector: [
        { scheme: 'file', language: 'cruddur' },
        { scheme: 'untitled', language: 'cruddur' },
      ],
      outputChannel: this.output,
      initializationOptions: { denyWarnings: settings.denyWarnings },
      middleware: {
        handleDiagnostics: (uri, diagnostics, next) => {
          next(uri, diagnostics);
          if (client === this.client) {
            this.refreshStatusSoon();
          }
        },
      },
    };
    const client = new LanguageClient('cruddur', 'cruddur', serverOptions, clientOptions);
    client.onDidChangeState((event) => {
      // A client being replaced says nothing about the server in use.
      if (client !== this.client) {
        return;
      }
      if (event.newState === State.Running) {
        this.showState('running');
        this.refreshStatusSoon();
        // A setting changed while the server started is sent now.
        this.sendSettings();
        this.running.fire();
      } else if (event.newState === State.Starting) {
        this.showState('starting');
      } else {
        this.showState('stopped');
      }
    });
    this.client = client;
    this.showState('starting');
    try {
      await client.start();
    } catch (error) {
      this.showState('stopped');
      this.output.appendLine(`the server did not start: ${String(error)}`);
      void vscode.window
        .showErrorMessage(`cruddur: the language server ${this.server.path} did not start: ${String(error)}`, 'Show output')
        .then((choice) => choice && this.output.show());
    }
  }

  private async stopNow(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (!client) {
      return;
    }
    // A client still starting cannot be stopped: let it finish first.
    if (client.state === State.Starting) {
      await client.start().catch(() => undefined);
    }
    await client.dispose(5000).catch(() => undefined);
  }

  private sendSettings(): void {
    const client = this.client;
    if (client?.state === State.Running) {
      const settings = serverSettings(currentSettings(this.output));
      this.output.appendLine(`settings for the server: ${JSON.stringify(settings)}`);
      client
        .sendNotification(DidChangeConfigurationNotification.type, { settings })
        .catch((error: unknown) => this.output.appendLine(`could not send the settings: ${String(error)}`));
    }
  }

  /** Tells the server of settings it reads; starts it again when its own path changed. */
  async settingsChanged(event: vscode.ConfigurationChangeEvent): Promise<void> {
    if (RESTART_ON.some((key) => event.affectsConfiguration(key))) {
      await this.restart();
    } else if (event.affectsConfiguration('cruddur.check')) {
      this.sendSettings();
    }
  }

  private async offerInstall(reason: string): Promise<void> {
    const copy = 'Copy install command';
    const set = 'Set server path…';
    const choice = await vscode.window.showErrorMessage(
      `cruddur: the language server cruddur-lsp was not found (${reason}). ` +
        `Install it from a clone of cruddur with \`${INSTALL_COMMAND}\`, ` +
        'or set cruddur.server.path to where it is; then run "cruddur: Restart server".',
      copy,
      set,
    );
    if (choice === copy) {
      await vscode.env.clipboard.writeText(INSTALL_COMMAND);
      void vscode.window.showInformationMessage(`Copied: ${INSTALL_COMMAND}`);
    } else if (choice === set) {
      await vscode.commands.executeCommand('workbench.action.openSettings', 'cruddur.server.path');
    }
  }

  private state: 'starting' | 'running' | 'stopped' | 'missing' = 'starting';

  private showState(state: 'starting' | 'running' | 'stopped' | 'missing'): void {
    this.state = state;
    switch (state) {
      case 'starting':
        this.status.text = '$(sync~spin) cruddur';
        this.status.tooltip = 'cruddur: the language server is starting';
        this.status.command = 'cruddur.showOutput';
        break;
      case 'running':
        this.status.text = '$(check) cruddur';
        this.status.tooltip = `cruddur: ${this.server?.kind === 'found' ? this.server.path : ''} is running`;
        this.status.command = 'workbench.actions.view.problems';
        break;
      case 'stopped':
        this.status.text = '$(circle-slash) cruddur';
        this.status.tooltip = 'cruddur: the language server stopped. Click to restart it.';
        this.status.command = 'cruddur.restartServer';
        break;
      case 'missing':
        this.status.text = '$(warning) cruddur-lsp not found';
        this.status.tooltip = `cruddur: install the language server: ${INSTALL_COMMAND}`;
        this.status.command = 'cruddur.restartServer';
        break;
    }
    this.status.backgroundColor =
      state === 'missing' || state === 'stopped' ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    this.updateVisibility();
  }

  /** Shown while a cruddur file is in view, or when something is wrong with the server. */
  updateVisibility(): void {
    const editor = vscode.window.activeTextEditor;
    if (editor?.document.languageId === 'cruddur' || this.state === 'missing' || this.state === 'stopped') {
      this.status.show();
    } else {
      this.status.hide();
    }
  }

  refreshStatusSoon(): void {
    if (this.statusTimer) {
      clearTimeout(this.statusTimer);
    }
    this.statusTimer = setTimeout(() => void this.refreshStatus(), 50);
  }

  /** The count of the program of the file in view: its errors, and warnings. */
  private async refreshStatus(): Promise<void> {
    this.updateVisibility();
    const editor = vscode.window.activeTextEditor;
    const client = this.client;
    if (!client || client.state !== State.Running || editor?.document.languageId !== 'cruddur') {
      return;
    }
    let status: ProgramStatus | null;
    try {
      status = await client.sendRequest(StatusRequest, {
        textDocument: { uri: client.code2ProtocolConverter.asUri(editor.document.uri) },
      });
    } catch {
      return;
    }
    if (this.state !== 'running' || editor !== vscode.window.activeTextEditor) {
      return;
    }
    if (!status) {
      // Not known to the server yet (just opened): no count rather than another file's.
      this.status.text = '$(check) cruddur';
      this.status.tooltip = 'cruddur: the language server is running';
      return;
    }
    const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
    if (status.errors > 0) {
      this.status.text = `$(error) cruddur: ${plural(status.errors, 'error')}`;
    } else if (status.warnings > 0) {
      this.status.text = `$(warning) cruddur: ${plural(status.warnings, 'warning')}`;
    } else {
      this.status.text = '$(check) cruddur';
    }
    const files = status.files.length;
    this.status.tooltip =
      `cruddur: this program (${plural(files, 'file')}) has ${plural(status.errors, 'error')} ` +
      `and ${plural(status.warnings, 'warning')}. Click for the Problems panel.`;
  }

  /** Formats the active cruddur document through the server, whatever the default formatter. */
  async formatDocument(): Promise<void> {
    const editor = vscode.window.activeTextEditor;
    const client = this.client;
    if (!editor || editor.document.languageId !== 'cruddur') {
      void vscode.window.showWarningMessage('cruddur: open a .cruddur file to format it.');
      return;
    }
    if (!client || client.state !== State.Running) {
      void vscode.window.showWarningMessage('cruddur: the language server is not running.');
      return;
    }
    const document = editor.document;
    const version = document.version;
    const options = editor.options;
    try {
      const edits = await client.sendRequest(DocumentFormattingRequest.type, {
        textDocument: { uri: client.code2ProtocolConverter.asUri(document.uri) },
        options: {
          tabSize: typeof options.tabSize === 'number' ? options.tabSize : 2,
          insertSpaces: options.insertSpaces !== false,
        },
      });
      // Edits for a text that has changed since would land in the wrong places.
      if (!edits || edits.length === 0 || document.version !== version) {
        return;
      }
      const workspaceEdit = new vscode.WorkspaceEdit();
      workspaceEdit.set(document.uri, await client.protocol2CodeConverter.asTextEdits(edits));
      await vscode.workspace.applyEdit(workspaceEdit);
    } catch (error) {
      void vscode.window.showErrorMessage(`cruddur: formatting failed: ${String(error)}`);
    }
  }
}

let extension: Extension | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<Extension> {
  const ext = new Extension(context);
  extension = ext;
  const graph = new GraphPanel(context, ext);
  context.subscriptions.push(
    vscode.commands.registerCommand('cruddur.restartServer', () => ext.restart()),
    vscode.commands.registerCommand('cruddur.showOutput', () => ext.output.show()),
    vscode.commands.registerCommand('cruddur.formatDocument', () => ext.formatDocument()),
    vscode.commands.registerCommand('cruddur.build', (uri?: vscode.Uri) => runBuild(ext, uri)),
    vscode.commands.registerCommand('cruddur.forgetParameters', () => forgetParameters(ext)),
    vscode.commands.registerCommand('cruddur.showGraph', () => graph.show()),
    vscode.workspace.onDidChangeConfiguration((event) => ext.settingsChanged(event)),
    forgetOnEdit(ext),
    vscode.window.onDidChangeActiveTextEditor(() => {
      ext.refreshStatusSoon();
      graph.followEditor();
    }),
  );
  await ext.start();
  return ext;
}

export async function deactivate(): Promise<void> {
  await extension?.stop();
}
