// The compiler in the page: the WebAssembly module built from `editors/playground/wasm`, and the
// types of what it answers. Every request is one JSON object in and one out, through the
// module's linear memory; positions are Monaco's (1-based lines, UTF-16 columns), so answers
// go to the editor unconverted.

/** Monaco's `IRange`. */
export interface Range {
  startLineNumber: number;
  startColumn: number;
  endLineNumber: number;
  endColumn: number;
}

export interface Related {
  /** The program's file the label is in (`pipeline.cruddur`, `taskdef.json`). */
  file: string;
  range: Range;
  message: string;
}

export interface Diagnostic {
  /** `E0403`. */
  code: string;
  /** The code's title in the catalog. */
  title: string;
  severity: 'error' | 'warning';
  /** The whole message: the finding, its label, help and notes, one per line. */
  message: string;
  file: string;
  range: Range;
  /** Where the other half of the mistake is. */
  related: Related[];
  /** Unused things, shown faded. */
  unnecessary: boolean;
  /** Has a fix (offered as a code action). */
  fixable: boolean;
}

export interface Param {
  name: string;
  default: string | null;
  description: string | null;
}

export interface Analysis {
  /** The edited file's findings. */
  diagnostics: Diagnostic[];
  /** Findings in the program's other files (its `cruddur.toml`, a task definition). */
  elsewhere: Diagnostic[];
  /** The program's `param`s, for the build's form. */
  params: Param[];
  /** The edited file parses. */
  parsed: boolean;
  /** Time the request took, measured around the module's call, in microseconds. */
  micros: number;
}

export interface TextEdit {
  range: Range;
  text: string;
}

export interface Action {
  title: string;
  kind: 'quickfix' | 'source.fixAll';
  /** Mechanical: applied with one keystroke. */
  preferred: boolean;
  /** The findings the action fixes: indexes into the last analysis's `diagnostics` (or, for
   *  another file, into its findings among `elsewhere`). */
  diagnostics: number[];
  edits: TextEdit[];
}

export interface Completion {
  label: string;
  /** `keyword`, `member`, `setting`, `value`, `function`, `provider`, `item`, `artifact`,
   *  `field`, `variable`, `iam-action`. */
  kind: string;
  detail: string;
  /** Markdown. */
  documentation: string;
  /** Replaces `range`; a snippet (`$0`, `${1:…}`) when `snippet` is set. */
  insert: string;
  snippet: boolean;
  range: Range;
}

export interface Hover {
  markdown: string;
  range: Range;
}

export interface Tokens {
  /** LSP's relative encoding: line delta, start delta, length, type, modifiers; UTF-16. */
  data: number[];
}

export interface Legend {
  types: string[];
  modifiers: string[];
}

export interface Built {
  /** Every file `cruddur build` writes, sorted by path; none when there are errors. */
  files: { path: string; text: string }[];
  /** How many errors the check found: the page lists them already, and nothing is built. */
  checked: number;
  /** The build's own findings (a parameter without a value). */
  diagnostics: Diagnostic[];
  ok: boolean;
}

interface Exports {
  memory: WebAssembly.Memory;
  cruddur_alloc(len: number): number;
  cruddur_request(ptr: number, len: number): number;
  cruddur_response(): number;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export class Cruddur {
  private exports: Exports;
  /** What `open` was last given, to open again after the module is made anew. */
  private opened: { files: Record<string, string>; main: string } | null = null;
  private text: string | null = null;

  private constructor(private module: WebAssembly.Module, instance: WebAssembly.Instance) {
    this.exports = instance.exports as unknown as Exports;
  }

  /** Fetches and compiles the module (`cruddur_playground.wasm`). */
  static async load(url: string | URL): Promise<Cruddur> {
    const response = await fetch(url);
    if (!response.ok) {
      throw new Error(`cannot load ${url}: ${response.status}`);
    }
    // Not `instantiateStreaming`: that needs the server to say `application/wasm`, and any
    // static file server should do.
    const module = await WebAssembly.compile(await response.arrayBuffer());
    return new Cruddur(module, await WebAssembly.instantiate(module, {}));
  }

  /** The semantic token types and modifiers `tokens` numbers. */
  legend(): Legend {
    return this.call('legend', {});
  }

  /** Sets the program: its files by path, and the one being edited. */
  open(files: Record<string, string>, main: string): Analysis {
    this.opened = { files, main };
    this.text = files[main] ?? '';
    return this.timed('open', { files, main });
  }

  /** The edited file's new text, analysed. */
  update(text: string): Analysis {
    this.text = text;
    return this.timed('update', { text });
  }

  hover(line: number, column: number): Hover | null {
    return this.call('hover', { line, column });
  }

  complete(line: number, column: number): Completion[] {
    return this.call('complete', { line, column });
  }

  /** The fixes of the findings `range` touches, then one to fix every mechanical finding: in
   *  the edited file, or in another of the program's (`file`, a buildspec it reads). Indexes in
   *  `Action.diagnostics` count that file's findings in the analysis's order. */
  actions(range: Range, file?: string): Action[] {
    return this.call('actions', file === undefined ? { range } : { range, file });
  }

  /** The edited file in the canonical layout, or why it cannot be formatted. */
  format(): { text: string } | { error: string } {
    return this.call('format', {});
  }

  tokens(): Tokens {
    return this.call('tokens', {});
  }

  /** The program's pipelines as a Mermaid flowchart (`cruddur graph`), or why there is none. */
  graph(): { mermaid: string } | { error: string } {
    return this.call('graph', {});
  }

  /** What `cruddur build --param NAME=VALUE…` would write. */
  build(params: Record<string, string>): Built {
    return this.call('build', { params });
  }

  /** A code's explanation from the catalog (`cruddur explain E0403`), Markdown. */
  explain(code: string): string | null {
    return this.call('explain', { code });
  }

  private timed(method: string, params: object): Analysis {
    const started = performance.now();
    const analysis: Analysis = this.call(method, params);
    analysis.micros = Math.round((performance.now() - started) * 1000);
    return analysis;
  }

  private call<T>(method: string, params: object): T {
    try {
      return this.send(method, params);
    } catch (error) {
      if (!(error instanceof WebAssembly.RuntimeError)) {
        throw error;
      }
      // A trap (a panic in the compiler) leaves the module's memory in an unknown state:
      // start a new instance with the same program, and report the failure.
      this.exports = new WebAssembly.Instance(this.module, {}).exports as unknown as Exports;
      if (this.opened) {
        this.send('open', this.opened);
        if (this.text !== null) {
          this.send('update', { text: this.text });
        }
      }
      throw new Error(`the compiler failed (${error.message}) on \`${method}\`: please report it with this page's link`);
    }
  }

  private send<T>(method: string, params: object): T {
    const request = encoder.encode(JSON.stringify({ method, ...params }));
    const ptr = this.exports.cruddur_alloc(request.length);
    new Uint8Array(this.exports.memory.buffer, ptr, request.length).set(request);
    const len = this.exports.cruddur_request(ptr, request.length);
    const at = this.exports.cruddur_response();
    const reply = JSON.parse(decoder.decode(new Uint8Array(this.exports.memory.buffer, at, len)));
    if ('error' in reply) {
      throw new Error(reply.error);
    }
    return reply.ok as T;
  }
}
