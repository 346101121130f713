// "cruddur: Show pipeline graph": the program's pipelines as the Mermaid chart `cruddur graph`
// prints, rendered in a webview by the Mermaid library shipped inside the extension (no
// network). It follows the cruddur file in view and redraws as the program changes.

import * as crypto from 'crypto';
import * as path from 'path';
import * as vscode from 'vscode';
import { State } from 'vscode-languageclient/node';
import { Extension, GraphRequest, ProgramGraph } from './extension';

export class GraphPanel {
  private panel: vscode.WebviewPanel | undefined;
  private document: vscode.Uri | undefined;
  private timer: NodeJS.Timeout | undefined;
  /** The view's script is listening. */
  private ready = false;
  /** Answers come back in any order: only the latest request's is drawn. */
  private asked = 0;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly ext: Extension,
  ) {
    context.subscriptions.push(
      vscode.workspace.onDidChangeTextDocument((event) => {
        if (this.panel && event.document.languageId === 'cruddur') {
          this.updateSoon();
        }
      }),
      vscode.languages.onDidChangeDiagnostics((event) => {
        if (this.panel && event.uris.some((uri) => uri.path.endsWith('.cruddur'))) {
          this.updateSoon();
        }
      }),
      // A server (re)started: what it says now replaces "not running".
      ext.onRunning(() => {
        if (this.panel) {
          this.updateSoon();
        }
      }),
    );
  }

  show(): void {
    const editor = vscode.window.activeTextEditor;
    if (editor?.document.languageId !== 'cruddur') {
      void vscode.window.showWarningMessage('cruddur: open a .cruddur file to see its pipeline graph.');
      return;
    }
    this.document = editor.document.uri;
    if (this.panel) {
      this.panel.reveal(vscode.ViewColumn.Beside, true);
    } else {
      const media = vscode.Uri.joinPath(this.context.extensionUri, 'dist');
      this.panel = vscode.window.createWebviewPanel(
        'cruddur.graph',
        'Pipeline graph',
        { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
        { enableScripts: true, localResourceRoots: [media], retainContextWhenHidden: true },
      );
      this.panel.iconPath = vscode.Uri.joinPath(this.context.extensionUri, 'images', 'file-icon.svg');
      this.panel.webview.html = this.html(this.panel.webview, media);
      // Messages posted before the view's script runs are lost: it says when it is ready.
      this.panel.webview.onDidReceiveMessage((message: { copy?: string; ready?: boolean }) => {
        if (message.ready) {
          this.ready = true;
          void this.update();
        } else if (typeof message.copy === 'string') {
          void vscode.env.clipboard.writeText(message.copy);
          void vscode.window.showInformationMessage('cruddur: Mermaid source copied.');
        }
      });
      this.panel.onDidDispose(() => {
        this.panel = undefined;
        this.ready = false;
      });
    }
    if (this.ready) {
      void this.update();
    }
  }

  /** The panel shows the program of the cruddur file in view. */
  followEditor(): void {
    const document = vscode.window.activeTextEditor?.document;
    if (this.panel && document?.languageId === 'cruddur' && document.uri.toString() !== this.document?.toString()) {
      this.document = document.uri;
      void this.update();
    }
  }

  private updateSoon(): void {
    if (this.timer) {
      clearTimeout(this.timer);
    }
    this.timer = setTimeout(() => void this.update(), 250);
  }

  private async update(): Promise<void> {
    const panel = this.panel;
    const client = this.ext.client;
    if (!panel || !this.document) {
      return;
    }
    const name = path.basename(this.document.fsPath);
    panel.title = `Pipeline graph: ${name}`;
    if (!client || client.state !== State.Running) {
      void panel.webview.postMessage({ note: 'The language server is not running.' });
      return;
    }
    let graph: ProgramGraph | null;
    const ask = ++this.asked;
    try {
      graph = await client.sendRequest(GraphRequest, {
        textDocument: { uri: client.code2ProtocolConverter.asUri(this.document) },
      });
      if (ask !== this.asked) {
        return;
      }
    } catch (error) {
      void panel.webview.postMessage({ note: `The server could not draw the graph: ${String(error)}` });
      return;
    }
    if (!graph) {
      void panel.webview.postMessage({ note: `${name} is not known to the language server yet.` });
    } else if (graph.mermaid) {
      void panel.webview.postMessage({ mermaid: graph.mermaid, title: name });
    } else if (graph.errors > 0) {
      const s = graph.errors === 1 ? '' : 's';
      void panel.webview.postMessage({
        note: `The program of ${name} has ${graph.errors} error${s}; the graph shows once it checks.`,
        keep: true,
      });
    } else {
      void panel.webview.postMessage({ note: `The program of ${name} has no pipeline.` });
    }
  }

  private html(webview: vscode.Webview, media: vscode.Uri): string {
    const nonce = crypto.randomBytes(16).toString('base64');
    const script = (file: string) => webview.asWebviewUri(vscode.Uri.joinPath(media, file)).toString();
    // Mermaid writes its styles into the SVG it makes, so inline styles are allowed; scripts
    // only from the extension, with this page's nonce.
    const csp = [
      "default-src 'none'",
      `img-src ${webview.cspSource} data:`,
      `style-src ${webview.cspSource} 'unsafe-inline'`,
      `font-src ${webview.cspSource}`,
      `script-src 'nonce-${nonce}'`,
    ].join('; ');
    return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>Pipeline graph</title>
<style>
  body { padding: 0 1em; color: var(--vscode-foreground); font-family: var(--vscode-font-family); }
  #bar { display: flex; gap: .5em; align-items: center; margin: .6em 0; }
  #note { color: var(--vscode-descriptionForeground); }
  #note.stale { color: var(--vscode-editorWarning-foreground); }
  button { background: var(--vscode-button-secondaryBackground); color: var(--vscode-button-secondaryForeground);
           border: none; padding: 3px 10px; cursor: pointer; }
  #graph svg { max-width: 100%; height: auto; }
</style>
</head>
<body>
<div id="bar"><button id="copy" disabled>Copy Mermaid</button><span id="note">Drawing…</span></div>
<div id="graph"></div>
<script nonce="${nonce}" src="${script('mermaid.min.js')}"></script>
<script nonce="${nonce}" src="${script('graph-view.js')}"></script>
</body>
</html>`;
  }
}
