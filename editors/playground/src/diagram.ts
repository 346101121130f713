// The pipeline diagram: the Mermaid flowchart `cruddur graph` prints, drawn by the bundled
// Mermaid (loaded on first use, it is the largest part of the page). While the program has
// errors the last diagram drawn stays, marked as out of date, so it does not flicker away
// with every keystroke.

type Mermaid = (typeof import('mermaid'))['default'];

let mermaid: Promise<Mermaid> | null = null;
let dark: boolean | null = null;

function load(darkTheme: boolean): Promise<Mermaid> {
  if (!mermaid || dark !== darkTheme) {
    dark = darkTheme;
    const loading = mermaid ?? import('mermaid').then((module) => module.default);
    mermaid = loading.then((m) => {
      // Dagre, the classic layout GitHub draws the examples' diagrams with (Mermaid 12's default,
      // ELK, is 450 KiB more to download).
      m.initialize({ startOnLoad: false, securityLevel: 'strict', theme: darkTheme ? 'dark' : 'default', layout: 'dagre', flowchart: { htmlLabels: true } });
      return m;
    });
  }
  return mermaid;
}

export class Diagram {
  /** The Mermaid text drawn now. */
  private drawn = '';
  /** The program has errors: what is drawn is out of date. */
  private errors = false;
  /** Why there is no diagram, when there is none. */
  private why = '';
  private count = 0;

  constructor(
    private readonly graph: HTMLElement,
    private readonly note: HTMLElement,
  ) {
    // A click switches between the whole diagram fitted to the panel and its own size.
    graph.addEventListener('click', () => {
      const svg = graph.querySelector('svg');
      if (!svg) {
        return;
      }
      const actual = graph.classList.toggle('actual');
      const box = svg.viewBox.baseVal;
      svg.style.width = actual && box?.width ? `${box.width}px` : '';
      svg.style.height = actual && box?.height ? `${box.height}px` : '';
      graph.title = actual ? 'Click to fit the diagram to the panel' : 'Click to show the diagram at its own size';
    });
  }

  /** Shows what `graph()` answered, or, given null, that the program has errors. */
  async show(answer: { mermaid: string } | { error: string } | null, darkTheme: boolean, redraw = false): Promise<void> {
    this.errors = answer === null;
    if (answer === null || (!redraw && 'mermaid' in answer && answer.mermaid === this.drawn)) {
      // A drawing under way still finishes, and is then marked out of date.
      this.say();
      return;
    }
    const id = ++this.count;
    if ('error' in answer) {
      this.graph.replaceChildren();
      this.drawn = '';
      this.why = answer.error;
      this.say();
      return;
    }
    if (!/\n\s*\S/.test(answer.mermaid)) {
      // A chart with nothing in it: no pipeline, no project.
      this.graph.replaceChildren();
      this.drawn = '';
      this.why = 'Nothing to draw: the program has no pipeline and no project.';
      this.say();
      return;
    }
    try {
      const m = await load(darkTheme);
      const { svg } = await m.render(`pipeline-graph-${id}`, answer.mermaid);
      if (id !== this.count) {
        return; // a newer program is being drawn
      }
      // Mermaid's output, made from the compiler's text and sanitized by Mermaid (`strict`).
      this.graph.innerHTML = svg;
      this.graph.classList.remove('actual');
      this.graph.title = 'Click to show the diagram at its own size';
      this.drawn = answer.mermaid;
      this.why = '';
    } catch (error) {
      if (id !== this.count) {
        return;
      }
      this.why = `Mermaid could not draw this diagram: ${error instanceof Error ? error.message : error}`;
    }
    this.say();
  }

  private say(): void {
    const stale = this.errors && this.drawn !== '';
    const text = this.errors ? (stale ? 'Out of date: the program has errors.' : 'No diagram yet: the program has errors.') : this.why;
    this.note.textContent = text;
    this.note.hidden = !text;
    this.graph.classList.toggle('stale', stale);
  }
}
