// The compiler's answers as Monaco's language features: hover, completion, quick fixes,
// formatting and semantic highlighting. Each first brings the compiler up to date with the
// editor (a request can come before the debounced analysis has run, e.g. a completion right
// after a keystroke), and answers only for the file being edited.
import type { Monaco } from './monaco';
import type { editor, languages } from 'monaco-editor/editor/editor.api.js';
import type { Analysis, Cruddur } from './cruddur';

/** What the providers need of the page. */
export interface Session {
  /** The edited file's model. */
  main(): editor.ITextModel | null;
  /** Analyses the editor's text if the compiler has not seen it yet. */
  fresh(): Analysis;
  /** The markers of the last analysis, in the order of its `diagnostics`. */
  markers(): editor.IMarkerData[];
  /** The path of another of the program's files (a buildspec), or null. */
  pathOf(model: editor.ITextModel): string | null;
  /** That file's markers, in the order of its findings among `elsewhere`. */
  markersOf(path: string): editor.IMarkerData[];
  /** Tells the person something went wrong (the compiler's own failure, a format refused). */
  report(message: string): void;
}

/** The compiler's completion kinds as Monaco's (the language server maps them the same way). */
function completionKind(monaco: Monaco, kind: string): languages.CompletionItemKind {
  const kinds = monaco.languages.CompletionItemKind;
  const map: Record<string, languages.CompletionItemKind> = {
    keyword: kinds.Keyword,
    member: kinds.Property,
    setting: kinds.Field,
    value: kinds.EnumMember,
    function: kinds.Function,
    provider: kinds.Module,
    item: kinds.Reference,
    artifact: kinds.File,
    field: kinds.Field,
    variable: kinds.Variable,
    'iam-action': kinds.Value,
  };
  return map[kind] ?? kinds.Text;
}

export function registerProviders(monaco: Monaco, cruddur: Cruddur, session: Session): void {
  /** Runs `answer` for the edited file with the compiler up to date, or gives `none`. */
  function ask<T>(model: editor.ITextModel, none: T, answer: () => T): T {
    if (model !== session.main()) {
      return none;
    }
    try {
      session.fresh();
      return answer();
    } catch (error) {
      session.report(String(error instanceof Error ? error.message : error));
      return none;
    }
  }

  monaco.languages.registerHoverProvider('cruddur', {
    provideHover: (model, position) =>
      ask(model, null, () => {
        const hover = cruddur.hover(position.lineNumber, position.column);
        return hover && { contents: [{ value: hover.markdown }], range: hover.range };
      }),
  });

  monaco.languages.registerCompletionItemProvider('cruddur', {
    // The language server's trigger characters.
    triggerCharacters: ['.', '$', '"', '(', '[', '{'],
    provideCompletionItems: (model, position) =>
      ask(model, { suggestions: [] }, () => ({
        suggestions: cruddur.complete(position.lineNumber, position.column).map((item) => ({
          label: item.label,
          kind: completionKind(monaco, item.kind),
          detail: item.detail,
          documentation: item.documentation ? { value: item.documentation } : undefined,
          insertText: item.insert,
          insertTextRules: item.snippet ? monaco.languages.CompletionItemInsertTextRule.InsertAsSnippet : undefined,
          range: item.range,
        })),
      })),
  });

  monaco.languages.registerCodeActionProvider(
    // The program's other files are fixed too: a buildspec (YAML), a task definition (JSON).
    ['cruddur', 'yaml', 'json', 'ini', 'plaintext'],
    {
      provideCodeActions: (model, range) => {
        // Fixes in the program's other files too (a buildspec's unknown variable).
        const other = model === session.main() ? null : session.pathOf(model);
        return ask(other === null ? model : session.main()!, { actions: [], dispose() {} }, () => {
          const markers = other === null ? session.markers() : session.markersOf(other);
          const found = other === null ? cruddur.actions(range) : cruddur.actions(range, other);
          const actions = found.map((action) => ({
            title: action.title,
            kind: action.kind,
            isPreferred: action.preferred,
            diagnostics: action.diagnostics.map((i) => markers[i]).filter((marker) => marker !== undefined),
            edit: {
              edits: action.edits.map((edit) => ({
                resource: model.uri,
                textEdit: { range: edit.range, text: edit.text },
                versionId: model.getVersionId(),
              })),
            },
          }));
          // Fix All belongs to the source actions; a copy in the Ctrl+. menu, where people look.
          const fixAll = actions.filter((action) => action.kind === 'source.fixAll').map((action) => ({ ...action, kind: 'quickfix.fixAll', isPreferred: false }));
          return { actions: [...actions, ...fixAll], dispose() {} };
        });
      },
    },
    { providedCodeActionKinds: ['quickfix', 'quickfix.fixAll', 'source.fixAll'] },
  );

  monaco.languages.registerDocumentFormattingEditProvider('cruddur', {
    provideDocumentFormattingEdits: (model) =>
      ask(model, [], () => {
        const formatted = cruddur.format();
        if ('error' in formatted) {
          session.report(`Cannot format: ${formatted.error}`);
          return [];
        }
        return formatted.text === model.getValue() ? [] : [{ range: model.getFullModelRange(), text: formatted.text }];
      }),
  });

  const legend = cruddur.legend();
  monaco.languages.registerDocumentSemanticTokensProvider('cruddur', {
    getLegend: () => ({ tokenTypes: legend.types, tokenModifiers: legend.modifiers }),
    provideDocumentSemanticTokens: (model) => ask(model, null, () => ({ data: new Uint32Array(cruddur.tokens().data) })),
    releaseDocumentSemanticTokens() {},
  });
}
