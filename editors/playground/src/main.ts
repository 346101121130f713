// The cruddur playground: the compiler (WebAssembly) checks the program on every change, and
// the page shows its findings in the editor, their fixes, the pipeline diagram and the files
// a build writes. Everything runs in the page; the address holds the program, to share it.
import { monaco } from './monaco';
import '../style.css';
import type { editor } from 'monaco-editor/editor/editor.api.js';
import { Cruddur, type Analysis, type Diagnostic, type Range } from './cruddur';
import { languageOf, registerLanguages } from './language';
import { registerProviders } from './providers';
import { Diagram } from './diagram';
import { Outputs } from './outputs';
import { Problems } from './problems';
import { inline } from './markdown';
import { SEED, type Example } from './examples';
import { decode, encode, type Shared } from './share';

// The build names the module and the examples' data by their content's hash.
declare const __WASM__: string;
declare const __EXAMPLES__: string;
declare const __REFERENCE__: string;

/** The language reference, once read. */
let reference: Promise<string> | undefined;

/** After the last keystroke, the wait before the compiler checks the program: short, as a
 *  check of an example takes 1–2 ms; the diagram and the build wait longer. */
const CHECK_DELAY = 50;
/** After a check, the wait before the diagram, the build and the address follow it. */
const FOLLOW_DELAY = 250;

const element = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;

const problems = new Problems(
  element('problems'),
  element('status'),
  element<HTMLDialogElement>('explain'),
  (code) => playground.cruddur?.explain(code) ?? null,
  (code, language, into) => {
    if (monaco.languages.getLanguages().some((l) => l.id === language)) {
      // Monaco's colorizer escapes the text it is given.
      monaco.editor.colorize(code, language, { tabSize: 2 }).then((html) => (into.innerHTML = html));
    }
  },
  (file, range) => reveal(file, range),
  () => (reference ??= fetch(__REFERENCE__).then((response) => (response.ok ? response.text() : Promise.reject(new Error(response.statusText))))),
);

const dark = matchMedia('(prefers-color-scheme: dark)');
const themeName = () => (dark.matches ? 'cruddur-dark' : 'cruddur-light');

/** The state of the page; `window.playground` for the tests and the curious. */
const playground = {
  monaco,
  cruddur: null as Cruddur | null,
  editor: null as editor.IStandaloneCodeEditor | null,
  outputs: null as Outputs | null,
  examples: [] as Example[],
  example: null as Example | null,
  /** The example's files as models, by path. */
  models: new Map<string, editor.ITextModel>(),
  /** The last analysis, and the markers made of its diagnostics (in their order). */
  analysis: null as Analysis | null,
  markers: [] as editor.IMarkerData[],
  /** The last check: the compiler's time (µs), the page's from asking to showing (ms), and
   *  when it was shown (`performance.now()`). */
  lastUpdate: { micros: 0, ms: 0, at: 0 },
};
declare global {
  interface Window {
    playground: typeof playground;
  }
}
window.playground = playground;

/** The edited file's version the compiler has seen, and whether other files changed since. */
let checkedVersion = -1;
let othersChanged = false;
let checkTimer: ReturnType<typeof setTimeout> | undefined;
let followTimer: ReturnType<typeof setTimeout> | undefined;
/** The fragment this page wrote last (a `popstate` to it is not a new program), and how many
 *  it was asked to write (compressing is asynchronous: only the last asked is written). */
let written = '';
let addresses = 0;
/** The address names no program this page can open: it is left as it is, for the person to
 *  look at, until they change the program. */
let keepAddress = false;

const diagram = new Diagram(element('diagram'), element('diagram-note'));

function mainModel(): editor.ITextModel | null {
  return playground.example ? playground.models.get(playground.example.main) ?? null : null;
}

function uriOf(path: string) {
  return monaco.Uri.from({ scheme: 'file', path: `/${path}` });
}

function toMarker(diagnostic: Diagnostic): editor.IMarkerData {
  return {
    severity: diagnostic.severity === 'error' ? monaco.MarkerSeverity.Error : monaco.MarkerSeverity.Warning,
    code: diagnostic.code || undefined,
    source: 'cruddur',
    message: diagnostic.message,
    ...diagnostic.range,
    relatedInformation: diagnostic.related.map((related) => ({ resource: uriOf(related.file), message: related.message, ...related.range })),
    tags: diagnostic.unnecessary ? [monaco.MarkerTag.Unnecessary] : [],
  };
}

/** Checks the program now, if the compiler has not seen its text; the last analysis. */
function check(): Analysis {
  const model = mainModel()!;
  if (model.getVersionId() === checkedVersion && !othersChanged && playground.analysis) {
    return playground.analysis;
  }
  clearTimeout(checkTimer);
  const cruddur = playground.cruddur!;
  const started = performance.now();
  checkedVersion = model.getVersionId();
  try {
    // A change to another file (a buildspec, the task definition) opens the program anew.
    const analysis = othersChanged ? cruddur.open(texts(), playground.example!.main) : cruddur.update(model.getValue());
    othersChanged = false;
    show(analysis, started);
  } catch (error) {
    problems.say(error instanceof Error ? error.message : String(error), 'failed');
  }
  return playground.analysis!;
}

/** Every file of the program as it is in the editor. */
function texts(): Record<string, string> {
  return Object.fromEntries([...playground.models].map(([path, model]) => [path, model.getValue()]));
}

/** Shows an analysis (asked for at `started`): the markers in every file, the findings, the
 *  parameters' form. */
function show(analysis: Analysis, started: number): void {
  playground.analysis = analysis;
  playground.markers = analysis.diagnostics.map(toMarker);
  const main = mainModel()!;
  monaco.editor.setModelMarkers(main, 'cruddur', playground.markers);
  for (const [path, model] of playground.models) {
    if (model !== main) {
      monaco.editor.setModelMarkers(model, 'cruddur', analysis.elsewhere.filter((d) => d.file === path).map(toMarker));
    }
  }
  for (const tab of element('files').querySelectorAll<HTMLElement>('[data-path]')) {
    const path = tab.dataset.path!;
    const findings = path === playground.example!.main ? analysis.diagnostics : analysis.elsewhere.filter((d) => d.file === path);
    tab.dataset.findings = findings.some((d) => d.severity === 'error') ? 'errors' : findings.length ? 'warnings' : '';
  }
  problems.show(analysis);
  playground.outputs!.setParams(analysis.params);
  const at = performance.now();
  playground.lastUpdate = { micros: analysis.micros, ms: at - started, at };
  document.body.dataset.ready = '1';
  clearTimeout(followTimer);
  followTimer = setTimeout(follow, FOLLOW_DELAY);
}

/** Whether any file of the program has an error (then it has no diagram to draw). */
function hasErrors(analysis: Analysis): boolean {
  return [...analysis.diagnostics, ...analysis.elsewhere].some((d) => d.severity === 'error');
}

/** The diagram, the build and the address, after the program changed. */
function follow(): void {
  clearTimeout(followTimer);
  const cruddur = playground.cruddur!;
  const analysis = check();
  try {
    void diagram.show(hasErrors(analysis) ? null : cruddur.graph(), dark.matches);
    playground.outputs!.show(cruddur.build(playground.outputs!.arguments()), (diagnostic, into) => problems.item(diagnostic, into));
  } catch (error) {
    problems.say(error instanceof Error ? error.message : String(error), 'failed');
  }
  void writeAddress();
}

/** Puts the program in the address (replacing it: typing makes no history). */
async function writeAddress(): Promise<void> {
  const example = playground.example!;
  const state: Shared = { example: example.id };
  const text = mainModel()!.getValue();
  if (text !== example.files[example.main]) {
    state.text = text;
  }
  for (const [path, model] of playground.models) {
    if (path !== example.main && model.getValue() !== example.files[path]) {
      state.files = { ...state.files, [path]: model.getValue() };
    }
  }
  const params = Object.entries(playground.outputs!.values).filter(([, value]) => value.trim());
  if (params.length) {
    state.params = Object.fromEntries(params);
  }
  if (keepAddress && state.text === undefined && !state.files && !state.params) {
    return;
  }
  keepAddress = false;
  const asked = ++addresses;
  const fragment = '#' + (await encode(state));
  if (asked === addresses && fragment !== location.hash) {
    written = fragment;
    history.replaceState(null, '', fragment);
  }
}

/** Opens an example's files (`files` replacing some of its own). */
function open(example: Example, files: Record<string, string>): void {
  const cruddur = playground.cruddur!;
  const editor = playground.editor!;
  for (const model of playground.models.values()) {
    model.dispose();
  }
  playground.models.clear();
  playground.example = example;
  // The edited file first, then the others as the example lists them.
  const paths = [example.main, ...Object.keys(example.files).filter((path) => path !== example.main)];
  for (const path of paths) {
    const model = monaco.editor.createModel(files[path] ?? example.files[path], languageOf(path), uriOf(path));
    model.updateOptions({ tabSize: 2, insertSpaces: true });
    model.onDidChangeContent(() => {
      if (path !== example.main) {
        othersChanged = true;
      }
      clearTimeout(checkTimer);
      checkTimer = setTimeout(check, CHECK_DELAY);
    });
    playground.models.set(path, model);
  }
  element('files').replaceChildren(
    ...paths.map((path) => {
      const tab = document.createElement('button');
      tab.type = 'button';
      tab.setAttribute('role', 'tab');
      tab.dataset.path = path;
      tab.textContent = path;
      return tab;
    }),
  );
  element('files').hidden = paths.length === 1;
  element<HTMLSelectElement>('example').value = example.id;
  const hint = element('hint');
  hint.replaceChildren();
  if (example.mistake) {
    const label = document.createElement('strong');
    label.textContent = 'Try this mistake: ';
    hint.append(label);
    inline(example.mistake, hint);
  }
  hint.hidden = !example.mistake;
  showFile(example.main);
  const started = performance.now();
  const main = mainModel()!;
  checkedVersion = main.getVersionId();
  othersChanged = false;
  try {
    show(cruddur.open(texts(), example.main), started);
    follow();
  } catch (error) {
    problems.say(error instanceof Error ? error.message : String(error), 'failed');
  }
  editor.setScrollTop(0);
}

/** Where each file was scrolled to and its cursor, while another is shown. */
const views = new WeakMap<editor.ITextModel, editor.ICodeEditorViewState | null>();

/** Shows one of the program's files in the editor. */
function showFile(path: string): void {
  const model = playground.models.get(path);
  const editor = playground.editor!;
  const shown = editor.getModel();
  if (!model || model === shown) {
    return;
  }
  if (shown) {
    views.set(shown, editor.saveViewState());
  }
  editor.setModel(model);
  editor.restoreViewState(views.get(model) ?? null);
  for (const tab of element('files').querySelectorAll<HTMLElement>('[data-path]')) {
    tab.setAttribute('aria-selected', String(tab.dataset.path === path));
  }
  element<HTMLButtonElement>('format').disabled = path !== playground.example!.main;
}

/** Shows a place in one of the program's files, the cursor at its start. */
function reveal(file: string, range: Range): void {
  if (!playground.models.has(file)) {
    return;
  }
  showFile(file);
  const editor = playground.editor!;
  editor.setSelection({ ...range, endLineNumber: range.startLineNumber, endColumn: range.startColumn });
  editor.revealRangeInCenterIfOutsideViewport(range);
  editor.focus();
}

/** Says something about the address above the editor (until closed, or another example is
 *  chosen); nothing when `text` is null. */
function notice(text: string | null): void {
  const box = element('notice');
  box.querySelector('.text')!.textContent = text ?? '';
  box.hidden = text === null;
}

/** Opens what the address holds: a shared program, an example, or the seed example (saying why
 *  when the address names something else). */
async function restore(): Promise<void> {
  let shared: Shared | null = null;
  let problem: string | null = null;
  try {
    shared = await decode(location.hash);
  } catch {
    problem = 'The program in this link cannot be read (was the link cut short when it was copied?)';
  }
  const examples = playground.examples;
  const named = examples.find((e) => e.id === shared?.example);
  if (shared && !named) {
    problem = `This link names an example this playground does not have (\`${shared.example}\`)`;
  }
  notice(problem && `${problem}: the example ${SEED} is open instead. The address is kept until you change the program.`);
  keepAddress = problem !== null;
  const example = named ?? examples.find((e) => e.id === SEED) ?? examples[0];
  const files: Record<string, string> = {};
  for (const [path, text] of Object.entries(shared?.files ?? {})) {
    if (path in example.files && typeof text === 'string') {
      files[path] = text;
    }
  }
  if (typeof shared?.text === 'string') {
    files[example.main] = shared.text;
  }
  playground.outputs!.values = Object.fromEntries(Object.entries(shared?.params ?? {}).filter(([, value]) => typeof value === 'string'));
  written = location.hash;
  open(example, files);
}

async function start(): Promise<void> {
  problems.say('Loading the compiler…', 'busy');
  const [cruddur, examples] = await Promise.all([
    Cruddur.load(new URL(__WASM__, location.href)),
    fetch(__EXAMPLES__).then((response) => response.json() as Promise<Example[]>),
  ]);
  playground.cruddur = cruddur;
  playground.examples = examples;

  registerLanguages(monaco, cruddur.legend().types);
  registerProviders(monaco, cruddur, {
    main: mainModel,
    fresh: check,
    markers: () => playground.markers,
    pathOf: (model) => [...playground.models].find(([, m]) => m === model)?.[0] ?? null,
    markersOf: (path) => (playground.analysis?.elsewhere ?? []).filter((d) => d.file === path).map(toMarker),
    report: (message) => problems.say(message, 'failed'),
  });
  const editor = monaco.editor.create(element('editor'), {
    theme: themeName(),
    automaticLayout: true,
    'semanticHighlighting.enabled': true,
    minimap: { enabled: false },
    fontSize: 13,
    scrollBeyondLastLine: false,
    wordBasedSuggestions: 'off',
    fixedOverflowWidgets: true,
    model: null,
  });
  playground.editor = editor;
  // The program's files reach one another through the findings' related places.
  monaco.editor.registerEditorOpener({
    openCodeEditor(_source, resource, selection) {
      const path = resource.path.slice(1);
      if (!playground.models.has(path)) {
        return false;
      }
      const at = selection && 'lineNumber' in selection ? { startLineNumber: selection.lineNumber, startColumn: selection.column, endLineNumber: selection.lineNumber, endColumn: selection.column } : selection;
      reveal(path, at ?? { startLineNumber: 1, startColumn: 1, endLineNumber: 1, endColumn: 1 });
      return true;
    },
  });
  playground.outputs = new Outputs(monaco, element<HTMLFormElement>('params'), element('outputs'), element('output'), element('build-problems'), { copy: element<HTMLButtonElement>('copy-file'), download: element<HTMLButtonElement>('download-file') }, () => {
    clearTimeout(followTimer);
    followTimer = setTimeout(follow, CHECK_DELAY);
  });

  const picker = element<HTMLSelectElement>('example');
  picker.replaceChildren(
    ...examples.map((example) => {
      const option = document.createElement('option');
      option.value = example.id;
      option.textContent = `${example.id.slice(0, 2)} · ${example.title}`;
      return option;
    }),
  );
  picker.addEventListener('change', async () => {
    const example = examples.find((e) => e.id === picker.value)!;
    notice(null);
    keepAddress = false;
    // A new example is a new entry in the history: Back returns to the program before it,
    // with the last keystrokes in it.
    check();
    await writeAddress();
    written = '#' + example.id;
    history.pushState(null, '', written);
    open(example, {});
  });
  window.addEventListener('popstate', () => {
    if (location.hash !== written) {
      void restore();
    }
  });
  element('notice').querySelector('.close')!.addEventListener('click', () => notice(null));
  element('files').addEventListener('click', (event) => {
    const tab = (event.target as HTMLElement).closest<HTMLElement>('[data-path]');
    if (tab) {
      showFile(tab.dataset.path!);
    }
  });
  // Monaco's binding for formatting, as this platform has it.
  const platform = (navigator as Navigator & { userAgentData?: { platform: string } }).userAgentData?.platform ?? navigator.platform;
  const keys = /mac/i.test(platform) ? '⇧⌥F' : /linux/i.test(platform) ? 'Ctrl+Shift+I' : 'Shift+Alt+F';
  element('format').title = `Lay the program out (${keys})`;
  element('format').addEventListener('click', () => {
    editor.focus();
    void editor.getAction('editor.action.formatDocument')?.run();
  });
  element('share').addEventListener('click', async () => {
    follow();
    await writeAddress();
    const button = element('share');
    try {
      await navigator.clipboard.writeText(location.href);
      button.dataset.done = 'Copied';
    } catch {
      button.dataset.done = 'Copy the address bar';
    }
    setTimeout(() => delete button.dataset.done, 2000);
  });
  dark.addEventListener('change', () => {
    monaco.editor.setTheme(themeName());
    if (playground.analysis) {
      void diagram.show(hasErrors(playground.analysis) ? null : cruddur.graph(), dark.matches, true);
    }
  });

  await restore();
  editor.focus();
  if ('serviceWorker' in navigator && location.protocol !== 'file:') {
    // Keeps the whole page, so it opens again without a network. Registered once the page has
    // loaded, so that what it keeps comes from the browser's cache, not downloaded again.
    navigator.serviceWorker.register('sw.js').catch((error) => console.warn('no offline copy:', error));
  }
}

start().catch((error) => {
  problems.say(`The playground could not start: ${error instanceof Error ? error.message : error}`, 'failed');
  console.error(error);
});
