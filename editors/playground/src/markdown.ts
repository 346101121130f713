// A small Markdown renderer for the compiler's texts (`explain`, the examples' hints): headings,
// paragraphs, lists, fenced code, inline code, bold and links. It builds DOM nodes and never
// parses HTML, so the text cannot inject markup.

/** Colours a code block (Monaco's colorizer), or leaves it plain. */
export type Colorize = (code: string, language: string, into: HTMLElement) => void;

/** Follows a link to another of the project's documents (`language.md#4-items`). */
export type Follow = (target: string) => void;

/** Appends the inline Markdown of `text` (code spans, bold, links) to `into`; links to the
 *  project's documents go to `follow`, or are their text alone without it. */
export function inline(text: string, into: HTMLElement, follow?: Follow): void {
  // A code span is one or two backticks to the same again (two when it holds one); a link is
  // `[text](target)`; bold is `**…**`.
  const pattern = /``\s?(.+?)\s?``|`([^`]+)`|\[([^\]]+)\]\(([^)\s]+)\)|\*\*(.+?)\*\*/g;
  let at = 0;
  for (const match of text.matchAll(pattern)) {
    into.append(text.slice(at, match.index));
    const [, double, single, label, href, bold] = match;
    if (label !== undefined && /^https?:/.test(href)) {
      const link = document.createElement('a');
      link.href = href;
      link.target = '_blank';
      link.rel = 'noopener';
      inline(label, link);
      into.append(link);
    } else if (label !== undefined && follow) {
      const link = document.createElement('a');
      link.href = `#${href}`;
      link.addEventListener('click', (event) => {
        event.preventDefault();
        follow(href);
      });
      inline(label, link);
      into.append(link);
    } else if (label !== undefined) {
      inline(label, into);
    } else if (bold !== undefined) {
      const strong = document.createElement('strong');
      inline(bold, strong, follow);
      into.append(strong);
    } else {
      const code = document.createElement('code');
      code.textContent = double ?? single;
      into.append(code);
    }
    at = match.index + match[0].length;
  }
  into.append(text.slice(at));
}

/** Renders a Markdown document into `into`. */
export function render(markdown: string, into: HTMLElement, colorize?: Colorize, follow?: Follow): void {
  const lines = markdown.replace(/\r\n/g, '\n').split('\n');
  let paragraph: string[] = [];
  let list: HTMLUListElement | null = null;
  const flush = () => {
    if (paragraph.length) {
      const p = document.createElement('p');
      inline(paragraph.join(' '), p, follow);
      into.append(p);
      paragraph = [];
    }
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const fence = /^```(\w*)/.exec(line);
    const heading = /^(#{1,4})\s+(.*)$/.exec(line);
    const item = /^\s*[-*]\s+(.*)$/.exec(line);
    if (fence || heading || !line.trim()) {
      flush();
      list = null;
    }
    if (fence) {
      const code: string[] = [];
      while (++i < lines.length && !lines[i].startsWith('```')) {
        code.push(lines[i]);
      }
      const pre = document.createElement('pre');
      pre.textContent = code.join('\n');
      into.append(pre);
      colorize?.(code.join('\n'), fence[1], pre);
    } else if (heading) {
      const h = document.createElement(`h${Math.min(heading[1].length + 1, 5)}`);
      inline(heading[2], h, follow);
      into.append(h);
    } else if (item) {
      flush();
      if (!list) {
        list = document.createElement('ul');
        into.append(list);
      }
      const li = document.createElement('li');
      inline(item[1], li, follow);
      list.append(li);
    } else if (line.trim()) {
      if (list && /^\s+/.test(line)) {
        inline(' ' + line.trim(), list.lastElementChild as HTMLElement, follow);
      } else {
        list = null;
        paragraph.push(line.trim());
      }
    }
  }
  flush();
}

/** The anchor GitHub gives a heading: lower case, without punctuation, hyphens for spaces. */
export function anchor(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, '')
    .replace(/ /g, '-');
}

/** The section of a Markdown document under the heading with this anchor (to the next heading
 *  as high or higher), or null. */
export function section(markdown: string, wanted: string): string | null {
  const lines = markdown.replace(/\r\n/g, '\n').split('\n');
  let start = -1;
  let level = 0;
  let fenced = false;
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].startsWith('```')) {
      fenced = !fenced;
    }
    const heading = fenced ? null : /^(#{1,6})\s+(.*)$/.exec(lines[i]);
    if (!heading) {
      continue;
    }
    if (start >= 0 && heading[1].length <= level) {
      return lines.slice(start, i).join('\n');
    }
    if (start < 0 && anchor(heading[2]) === wanted) {
      start = i;
      level = heading[1].length;
    }
  }
  return start >= 0 ? lines.slice(start).join('\n') : null;
}
