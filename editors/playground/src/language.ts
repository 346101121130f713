// The `cruddur` language for Monaco: a small Monarch tokenizer for what is seen before the
// compiler answers (comments, strings, interpolations, numbers), the editing rules shared
// with the VS Code extension, and the themes that colour the compiler's semantic tokens.
import type { Monaco } from './monaco';
import type { editor, languages } from 'monaco-editor/editor/editor.api.js';
// One file of editing rules for every editor (comments, brackets, indentation, on-Enter).
import configuration from '../../vscode/language-configuration.json';

/** The item keywords (compiler/src/vocabulary/items.rs); the semantic tokens refine the rest. */
const ITEMS = ['aws', 'param', 'let', 'connection', 'repository', 'service', 'role', 'project', 'pipeline', 'stage_template'];

// spec/language.md §2: `//` and `/* */` comments, `"…"` strings with escapes, `"""…"""`
// raw strings, `${{ path }}` in both, numbers and durations (`20m`, `1h30m`).
const tokenizer: languages.IMonarchLanguage = {
  defaultToken: '',
  items: ITEMS,
  tokenizer: {
    root: [
      [/\/\/.*$/, 'comment'],
      [/\/\*/, 'comment', '@comment'],
      [/"""/, 'string', '@raw'],
      [/"/, 'string', '@string'],
      [/\d+(?:h|m|s)(?:\d+(?:m|s))*(?![\w.])/, 'number.duration'],
      [/\d+(?:\.\d+)?/, 'number'],
      [/\b(?:true|false)\b/, 'constant'],
      [/[A-Za-z_]\w*/, { cases: { '@items': 'keyword', '@default': 'identifier' } }],
      [/[{}()[\]]/, '@brackets'],
      [/[=:]/, 'operator'],
      [/[,.;]/, 'delimiter'],
    ],
    comment: [
      [/\*\//, 'comment', '@pop'],
      [/[^*]+|\*/, 'comment'],
    ],
    string: [
      [/\\(?:[ntr0\\"$]|u\{[0-9A-Fa-f]{1,6}\})/, 'string.escape'],
      [/\\./, 'string.invalid'],
      [/\$\{\{/, 'interpolation', '@interpolation'],
      [/"/, 'string', '@pop'],
      [/[^\\"$]+|\$/, 'string'],
    ],
    raw: [
      [/\$\{\{/, 'interpolation', '@interpolation'],
      [/"""/, 'string', '@pop'],
      [/[^"$]+|["$]/, 'string'],
    ],
    interpolation: [
      [/\}\}/, 'interpolation', '@pop'],
      [/[A-Za-z_][\w-]*/, 'interpolation.path'],
      [/\./, 'interpolation'],
      [/"/, 'string', '@popall'],
      [/[^}"A-Za-z_.]+|\}/, 'invalid'],
    ],
  },
};

// JSON for the generated files (Monaco's JSON support is a whole language service in a
// worker; colouring read-only files needs only this).
const json: languages.IMonarchLanguage = {
  tokenizer: {
    root: [
      [/"(?:[^"\\]|\\.)*"(?=\s*:)/, 'type'],
      [/"(?:[^"\\]|\\.)*"/, 'string'],
      [/-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/, 'number'],
      [/\b(?:true|false|null)\b/, 'keyword'],
      [/[{}[\]]/, '@brackets'],
      [/[,:]/, 'delimiter'],
    ],
  },
};

/** The colours of the semantic token types (compiler/src/ide/highlight.rs), light and dark. */
const SEMANTIC: Record<string, [string, string]> = {
  keyword: ['0000ff', '569cd6'],
  property: ['001080', '9cdcfe'],
  parameter: ['0070c1', '4fc1ff'],
  variable: ['0070c1', '4fc1ff'],
  class: ['267f99', '4ec9b0'],
  namespace: ['267f99', '4ec9b0'],
  function: ['795e26', 'dcdcaa'],
  method: ['795e26', 'dcdcaa'],
  struct: ['267f99', '4ec9b0'],
  enumMember: ['0070c1', '4fc1ff'],
  macro: ['af00db', 'c586c0'],
  comment: ['008000', '6a9955'],
};

/** The theme for a colour scheme, with a rule for each of the legend's types. */
function theme(dark: boolean, types: string[]): editor.IStandaloneThemeData {
  const pick = (colours: [string, string]) => colours[dark ? 1 : 0];
  return {
    base: dark ? 'vs-dark' : 'vs',
    inherit: true,
    rules: [
      { token: 'interpolation', foreground: pick(['af00db', 'c586c0']) },
      { token: 'interpolation.path', foreground: pick(['0070c1', '9cdcfe']) },
      { token: 'constant', foreground: pick(['0000ff', '569cd6']) },
      { token: 'number.duration', foreground: pick(['098658', 'b5cea8']) },
      ...types.map((type) => ({ token: type, foreground: pick(SEMANTIC[type] ?? ['000000', 'd4d4d4']) })),
      // Where a name is declared: bold, as the label reads in the outline.
      ...types.map((type) => ({ token: `${type}.declaration`, fontStyle: 'bold' })),
    ],
    colors: {},
  };
}

/** The VS Code extension's rule strings, made the RegExps Monaco takes. */
function rules(): languages.LanguageConfiguration {
  const { indentationRules, onEnterRules, wordPattern, folding, ...rest } = configuration;
  return {
    ...(rest as unknown as languages.LanguageConfiguration),
    wordPattern: new RegExp(wordPattern),
    indentationRules: {
      increaseIndentPattern: new RegExp(indentationRules.increaseIndentPattern),
      decreaseIndentPattern: new RegExp(indentationRules.decreaseIndentPattern),
    },
    onEnterRules: onEnterRules.map((rule) => ({
      beforeText: new RegExp(rule.beforeText),
      afterText: rule.afterText === undefined ? undefined : new RegExp(rule.afterText),
      action: {
        indentAction: { none: 0, indent: 1, indentOutdent: 2, outdent: 3 }[rule.action.indent] as languages.IndentAction,
        appendText: rule.action.appendText,
      },
    })),
    folding: { markers: { start: new RegExp(folding.markers.start), end: new RegExp(folding.markers.end) } },
  };
}

/** Registers the languages, and the themes `cruddur-light` and `cruddur-dark`. */
export function registerLanguages(monaco: Monaco, semanticTypes: string[]): void {
  monaco.languages.register({ id: 'cruddur', extensions: ['.cruddur'] });
  monaco.languages.setMonarchTokensProvider('cruddur', tokenizer);
  monaco.languages.setLanguageConfiguration('cruddur', rules());
  monaco.languages.register({ id: 'json', extensions: ['.json'] });
  monaco.languages.setMonarchTokensProvider('json', json);
  monaco.languages.setLanguageConfiguration('json', { brackets: [['{', '}'], ['[', ']']] });
  monaco.editor.defineTheme('cruddur-light', theme(false, semanticTypes));
  monaco.editor.defineTheme('cruddur-dark', theme(true, semanticTypes));
}

/** The language Monaco colours a file of this path in. */
export function languageOf(path: string): string {
  if (path.endsWith('.cruddur')) return 'cruddur';
  if (path.endsWith('.json')) return 'json';
  if (/\.ya?ml$/.test(path)) return 'yaml';
  if (path.endsWith('.toml')) return 'ini';
  return 'plaintext';
}
