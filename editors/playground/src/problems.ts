// The findings as a learner reads them: a status line (how many errors and warnings, how long
// the compiler took), a list of every finding in every file of the program (clicking one
// goes to it), and each code's explanation from the catalog (`cruddur explain`).
import type { Analysis, Diagnostic, Range } from './cruddur';
import { render, section, type Colorize } from './markdown';

/** How many findings the list shows. */
const LISTED = 200;

export class Problems {
  constructor(
    private readonly list: HTMLElement,
    private readonly status: HTMLElement,
    private readonly dialog: HTMLDialogElement,
    private readonly explanation: (code: string) => string | null,
    private readonly colorize: Colorize,
    /** Shows a place in one of the program's files. */
    private readonly reveal: (file: string, range: Range) => void,
    /** The language reference (`spec/language.md`), which explanations link to. */
    private readonly reference: () => Promise<string>,
  ) {
    dialog.querySelector('.close')?.addEventListener('click', () => dialog.close());
    // A click on the backdrop (outside the dialog's box) closes it too.
    dialog.addEventListener('click', (event) => {
      if (event.target === dialog) {
        dialog.close();
      }
    });
  }

  /** Shows an analysis: the counts in the status line, and the list of findings. */
  show(analysis: Analysis): void {
    const all = [...analysis.diagnostics, ...analysis.elsewhere];
    const errors = all.filter((d) => d.severity === 'error').length;
    const warnings = all.length - errors;
    const counts = all.length === 0 ? 'No problems' : [plural(errors, 'error'), plural(warnings, 'warning')].filter(Boolean).join(', ');
    const time = analysis.micros < 1000 ? `${analysis.micros} µs` : `${(analysis.micros / 1000).toFixed(1)} ms`;
    this.say(`${counts} · checked in ${time}`, errors ? 'errors' : warnings ? 'warnings' : 'clean');
    // The first findings only: past a few hundred, later ones mostly follow from earlier ones,
    // and drawing thousands would slow every keystroke.
    const items = all.slice(0, LISTED).map((diagnostic) => {
      const item = document.createElement('li');
      this.item(diagnostic, item, true);
      return item;
    });
    if (all.length > LISTED) {
      const more = document.createElement('li');
      more.className = 'finding more-findings';
      more.textContent = `… and ${all.length - LISTED} more (the editor marks them all; fixing the first often clears many)`;
      items.push(more);
    }
    this.list.replaceChildren(...items);
    this.list.hidden = all.length === 0;
  }

  /** Writes one finding into `into`: its severity, its code (which explains it), its message
   *  and, when `located`, where it is (which goes there). */
  item(diagnostic: Diagnostic, into: HTMLElement, located = false): void {
    into.className = `finding ${diagnostic.severity}`;
    const icon = document.createElement('span');
    icon.className = `codicon codicon-${diagnostic.severity}`;
    icon.setAttribute('aria-label', diagnostic.severity);
    // A finding without a code (a `cruddur.toml` that cannot be used) has nothing to explain.
    const code = document.createElement(diagnostic.code ? 'button' : 'span');
    code.className = 'code';
    if (code instanceof HTMLButtonElement) {
      code.type = 'button';
      code.textContent = diagnostic.code;
      code.title = `${diagnostic.title}: explain ${diagnostic.code}`;
      code.addEventListener('click', () => this.explain(diagnostic.code));
    }
    const [first, ...rest] = diagnostic.message.split('\n');
    const text = document.createElement('div');
    text.className = 'text';
    const message = document.createElement(located ? 'button' : 'span');
    message.className = 'message';
    message.textContent = first;
    message.title = diagnostic.message;
    text.append(message);
    into.append(icon, code, text);
    if (located) {
      (message as HTMLButtonElement).type = 'button';
      const place = document.createElement('span');
      place.className = 'place';
      place.textContent = `${diagnostic.file}:${diagnostic.range.startLineNumber}:${diagnostic.range.startColumn}`;
      message.append(place);
      message.addEventListener('click', () => this.reveal(diagnostic.file, diagnostic.range));
    } else if (rest.length) {
      const more = document.createElement('div');
      more.className = 'more';
      more.textContent = rest.join('\n');
      text.append(more);
    }
  }

  /** Opens a code's explanation. */
  explain(code: string): void {
    const text = this.explanation(code);
    this.open(text ?? `No explanation for \`${code}\`.`);
  }

  /** Shows Markdown in the dialog, its links to the language reference followed in it. */
  private open(markdown: string): void {
    const body = this.dialog.querySelector<HTMLElement>('.body')!;
    body.replaceChildren();
    render(markdown, body, this.colorize, (target) => void this.follow(target));
    if (!this.dialog.open) {
      this.dialog.showModal();
    }
    // The link followed is gone with the old text: the focus stays in the dialog (Escape closes
    // it, the keyboard scrolls it).
    body.tabIndex = -1;
    body.focus({ preventScroll: true });
    body.scrollTop = 0;
  }

  /** Follows a link of an explanation: a section of the language reference. */
  private async follow(target: string): Promise<void> {
    const [document, wanted] = target.split('#');
    let text: string | null = null;
    if (document === 'language.md') {
      try {
        const reference = await this.reference();
        text = wanted ? section(reference, wanted) : reference;
      } catch (error) {
        text = `The language reference could not be loaded: ${error instanceof Error ? error.message : error}`;
      }
    }
    this.open(text ?? `\`${target}\` is not in the language reference.`);
  }

  /** Says something in the status line: `kind` colours it. */
  say(text: string, kind: 'clean' | 'warnings' | 'errors' | 'busy' | 'failed'): void {
    this.status.textContent = text;
    this.status.dataset.kind = kind;
  }
}

function plural(count: number, noun: string): string {
  return count === 0 ? '' : `${count} ${noun}${count === 1 ? '' : 's'}`;
}
