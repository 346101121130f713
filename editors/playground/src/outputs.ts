// The build: a form with one field per `param` of the program (the values `--param NAME=VALUE`
// gives the compiler), and what `cruddur build` would write with them: every file by its path,
// the chosen one shown read-only, or the build's findings when it cannot build.
import type { Monaco } from './monaco';
import type { editor } from 'monaco-editor/editor/editor.api.js';
import type { Built, Diagnostic, Param } from './cruddur';
import { languageOf } from './language';

export class Outputs {
  /** The values typed, by parameter name; kept when the program or the example changes. */
  values: Record<string, string> = {};
  /** The program's parameters the form shows. */
  private params: Param[] = [];
  private selected: string | null = null;
  private files: Built['files'] = [];
  /** The read-only editor the chosen file is shown in. */
  readonly viewer: editor.IStandaloneCodeEditor;
  private readonly model: editor.ITextModel;

  constructor(
    private readonly monaco: Monaco,
    private readonly form: HTMLFormElement,
    private readonly list: HTMLElement,
    private readonly view: HTMLElement,
    private readonly problems: HTMLElement,
    /** The buttons copying and downloading the file shown. */
    private readonly buttons: { copy: HTMLButtonElement; download: HTMLButtonElement },
    /** Called when a value changes. */
    private readonly changed: () => void,
  ) {
    buttons.copy.addEventListener('click', async () => {
      try {
        await navigator.clipboard.writeText(this.model.getValue());
        buttons.copy.dataset.done = 'Copied';
      } catch {
        buttons.copy.dataset.done = 'Not allowed here';
      }
      setTimeout(() => delete buttons.copy.dataset.done, 2000);
    });
    buttons.download.addEventListener('click', () => {
      if (!this.selected) {
        return;
      }
      const link = document.createElement('a');
      link.href = URL.createObjectURL(new Blob([this.model.getValue()], { type: 'text/plain' }));
      link.download = this.selected.split('/').pop()!;
      link.click();
      setTimeout(() => URL.revokeObjectURL(link.href), 1000);
    });
    this.model = monaco.editor.createModel('', 'plaintext', monaco.Uri.parse('output:///file'));
    this.viewer = monaco.editor.create(view, {
      model: this.model,
      readOnly: true,
      domReadOnly: true,
      automaticLayout: true,
      minimap: { enabled: false },
      scrollBeyondLastLine: false,
      lineNumbersMinChars: 3,
      folding: true,
      renderLineHighlight: 'none',
      // Lines as written (an ARN broken over two lines reads as two).
      wordWrap: 'off',
      fontSize: 13,
    });
    form.addEventListener('input', (event) => {
      const input = event.target as HTMLInputElement;
      this.values[input.name] = input.value;
      this.changed();
    });
    form.addEventListener('submit', (event) => event.preventDefault());
    list.addEventListener('click', (event) => {
      const tab = (event.target as HTMLElement).closest<HTMLElement>('[data-path]');
      if (tab) {
        this.select(tab.dataset.path!);
      }
    });
    // Arrow keys move through the files, as in a tab list.
    list.addEventListener('keydown', (event) => {
      const step = { ArrowDown: 1, ArrowRight: 1, ArrowUp: -1, ArrowLeft: -1 }[event.key];
      const at = this.files.findIndex((file) => file.path === this.selected);
      if (step && at >= 0) {
        event.preventDefault();
        const next = this.files[(at + step + this.files.length) % this.files.length].path;
        this.select(next);
        list.querySelector<HTMLElement>(`[data-path="${CSS.escape(next)}"]`)?.focus();
      }
    });
  }

  /** The values to build with: those typed for the program's parameters (an empty field is
   *  no value, so a parameter's default applies). */
  arguments(): Record<string, string> {
    const given: Record<string, string> = {};
    for (const param of this.params) {
      const value = this.values[param.name]?.trim();
      if (value) {
        given[param.name] = value;
      }
    }
    return given;
  }

  /** Shows a field for each of the program's parameters (redrawn only when they change). */
  setParams(params: Param[]): void {
    if (JSON.stringify(params) === JSON.stringify(this.params)) {
      return;
    }
    this.params = params;
    const focused = document.activeElement instanceof HTMLInputElement && this.form.contains(document.activeElement) ? document.activeElement.name : null;
    this.form.replaceChildren(
      ...params.map((param) => {
        const label = document.createElement('label');
        const name = document.createElement('span');
        name.className = 'param-name';
        name.textContent = param.name;
        const input = document.createElement('input');
        input.name = param.name;
        input.value = this.values[param.name] ?? '';
        input.spellcheck = false;
        input.autocomplete = 'off';
        // A default is shown, never filled in: an empty field builds with it. A field that
        // needs a value says what it is.
        input.placeholder = param.default !== null ? `default: ${param.default || '(empty)'}` : param.description ?? 'a value is needed';
        input.required = param.default === null;
        if (param.description) {
          input.title = param.description;
          input.setAttribute('aria-description', param.description);
        }
        // Which fields the build needs, and which have a default.
        const need = document.createElement('span');
        need.className = 'param-need';
        need.textContent = input.required ? 'needed' : 'optional';
        const title = document.createElement('span');
        title.className = 'param-title';
        title.append(name, need);
        label.append(title, input);
        return label;
      }),
    );
    this.form.hidden = params.length === 0;
    if (focused) {
      this.form.querySelector<HTMLInputElement>(`input[name="${CSS.escape(focused)}"]`)?.focus();
    }
  }

  /** Shows a build: its files, or why there are none. */
  show(built: Built, explainable: (diagnostic: Diagnostic, into: HTMLElement) => void): void {
    this.files = built.files;
    const ok = built.ok && built.files.length > 0;
    this.list.hidden = !ok;
    this.view.hidden = !ok;
    this.problems.hidden = ok;
    this.buttons.copy.disabled = this.buttons.download.disabled = !ok;
    if (!ok) {
      const heading = document.createElement('p');
      const errors = built.diagnostics.filter((d) => d.severity === 'error');
      heading.textContent = built.checked
        ? `Nothing is built while the program has ${built.checked === 1 ? 'an error' : `${built.checked} errors`} (listed under the editor).`
        : errors.length
          ? `Nothing is built until ${errors.length === 1 ? 'this is' : 'these are'} fixed:`
          : 'The program builds no files.';
      const list = document.createElement('ul');
      for (const diagnostic of errors) {
        const item = document.createElement('li');
        explainable(diagnostic, item);
        list.append(item);
      }
      this.problems.replaceChildren(heading, list);
      return;
    }
    // The paths grouped by folder (`buildspec/`, `iam/`…), in the compiler's order.
    const groups = new Map<string, string[]>();
    for (const { path } of built.files) {
      const slash = path.lastIndexOf('/');
      const folder = path.slice(0, slash + 1);
      groups.set(folder, [...(groups.get(folder) ?? []), path]);
    }
    if (!built.files.some((file) => file.path === this.selected)) {
      // The first buildspec, else the first file: what a learner looks for first.
      this.selected = (built.files.find((file) => file.path.startsWith('buildspec/')) ?? built.files[0]).path;
    }
    this.list.replaceChildren(
      ...[...groups].map(([folder, paths]) => {
        const group = document.createElement('div');
        group.className = 'folder';
        group.setAttribute('role', 'presentation');
        if (folder) {
          const title = document.createElement('div');
          title.className = 'folder-name';
          title.textContent = folder;
          group.append(title);
        }
        for (const path of paths) {
          const tab = document.createElement('button');
          tab.type = 'button';
          tab.setAttribute('role', 'tab');
          tab.dataset.path = path;
          tab.title = path;
          tab.textContent = path.slice(folder.length);
          group.append(tab);
        }
        return group;
      }),
    );
    this.select(this.selected!);
  }

  /** Shows one of the built files. */
  select(path: string): void {
    const file = this.files.find((f) => f.path === path);
    if (!file) {
      return;
    }
    this.selected = path;
    for (const tab of this.list.querySelectorAll<HTMLElement>('[data-path]')) {
      const chosen = tab.dataset.path === path;
      tab.setAttribute('aria-selected', String(chosen));
      tab.tabIndex = chosen ? 0 : -1;
    }
    const language = languageOf(path);
    if (this.model.getLanguageId() !== language) {
      this.monaco.editor.setModelLanguage(this.model, language);
    }
    if (this.model.getValue() !== file.text) {
      this.model.setValue(file.text);
    }
  }

  /** The file shown, and its text (for the tests). */
  shown(): { path: string | null; text: string } {
    return { path: this.selected, text: this.model.getValue() };
  }
}
