/**
 * Markdown (a paper page as Hugging Face serves it) for a person at a terminal: headings,
 * emphasis, code, lists, quotes and tables, wrapped to the width. Not a full CommonMark
 * parser: a line-by-line reading that never fails — what it does not know is shown as text.
 * The text is remote: every line is sanitized before styles are added.
 */
import { sanitize } from './sanitize.js';
import type { Style } from './style.js';
import { displayWidth, padEnd, truncate, wrap } from './width.js';

// Block starts. Code lines wider than the terminal are cut, not wrapped: wrapped code misleads.
const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const HEADING = /^ {0,3}(#{1,6})\s+(.*?)\s*#*\s*$/;
const RULE = /^ {0,3}([-*_])(\s*\1){2,}\s*$/;
const ITEM = /^(\s*)([-*+]|\d{1,9}[.)])\s+(.*)$/;
const QUOTE = /^ {0,3}>\s?(.*)$/;
const TABLE_ROW = /^\s*\|.*\|\s*$/;
const TABLE_RULE = /^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$/;

// Where escaped ASCII punctuation waits while the inline rules run: U+E000 + its code.
const ESCAPED = 0xe000;
const HELD = /[\ue000-\ue07f]/g;

/** Inline markdown → styled text: `code`, **strong**, *emphasis*, links and images. */
export function inline(text: string, style: Style): string {
  // Code spans first: nothing inside them is markdown.
  return text
    .split(/(`+)([^`]|[^`][\s\S]*?[^`])\1(?!`)/)
    .map((part, i) => {
      // split() with two groups gives text, backticks, code, text, …
      if (i % 3 === 2) return style.code(part.trim() === '' ? part : part.replace(/^ (.*) $/, '$1'));
      if (i % 3 === 1) return '';
      return part
        // A backslash-escaped character is held aside (as a private-use character) so no rule below sees it.
        .replace(/\\([\\`*_{}[\]()#+\-.!|])/g, (_, c: string) => String.fromCharCode(ESCAPED + c.charCodeAt(0)))
        // Each span stops at the next delimiter of its kind ([^*], [^\][]): every scan ends
        // where the next one starts, so a body full of unclosed ones stays linear.
        .replace(/!\[([^\][]*)\]\(([^)\s]*)(?:\s+"[^"]*")?\)/g, (_, alt: string) => style.meta(`[image${alt ? `: ${alt}` : ''}]`))
        .replace(/\[([^\][]+)\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g, (_, label: string, url: string) =>
          /^https?:/i.test(url) && label !== url ? `${label} ${style.link(`<${url}>`)}` : label,
        )
        .replace(/\*\*(?=[^\s*])([^*]*?[^\s*])\*\*|__(?=[^\s_])([^_]*?[^\s_])__/g, (_, a?: string, b?: string) => style.title(a ?? b ?? ''))
        .replace(/(^|[^\w*])\*(?=\S)([^*]*?\S)\*(?!\w)/g, (_, pre: string, t: string) => pre + style.emphasis(t))
        .replace(/(^|[^\w])_(?=\S)([^_]*?\S)_(?!\w)/g, (_, pre: string, t: string) => pre + style.emphasis(t))
        .replace(HELD, (c) => String.fromCharCode(c.charCodeAt(0) - ESCAPED));
    })
    .join('');
}

/** The cells of a table row `| a | b |` (escaped pipes kept in their cell). */
function cells(line: string): string[] {
  const inner = line.trim().replace(/^\|/, '').replace(/\|$/, '');
  return inner.split(/(?<!\\)\|/).map((c) => c.trim().replace(/\\\|/g, '|'));
}

/** A table as aligned columns when it fits the width, else one row a block of `header: value` lines. */
function table(rows: string[][], style: Style, width: number): string[] {
  const header = rows[0]!;
  const body = rows.slice(1);
  const n = Math.max(...rows.map((r) => r.length));
  const shown = rows.map((r) => Array.from({ length: n }, (_, i) => inline(r[i] ?? '', style)));
  const widths = Array.from({ length: n }, (_, i) => Math.max(...shown.map((r) => displayWidth(r[i]!))));
  const total = widths.reduce((a, b) => a + b, 0) + 3 * (n - 1);
  if (total <= width) {
    const line = (r: string[]) => r.map((c, i) => padEnd(c, widths[i]!)).join(' │ ').trimEnd();
    return [style.title(line(shown[0]!)), widths.map((w) => '─'.repeat(w)).join('─┼─'), ...shown.slice(1).map(line)];
  }
  const out: string[] = [];
  for (const [k, r] of body.entries()) {
    if (k > 0) out.push('');
    r.forEach((c, i) => out.push(...wrap(`${style.title(inline(header[i] ?? '', style))}: ${inline(c, style)}`, width, { indent: '  ' })));
  }
  return out;
}

/** Markdown as terminal lines no wider than `width` (code lines excepted: they are cut), ending with a newline. */
export function renderMarkdown(markdown: string, style: Style, width: number): string {
  const lines = sanitize(markdown).replace(/\r\n?/g, '\n').replace(/\t/g, '    ').split('\n');
  const out: string[] = [];
  const gap = () => {
    if (out.length > 0 && out[out.length - 1] !== '') out.push('');
  };
  let para: string[] = [];
  const flushPara = () => {
    if (para.length === 0) return;
    gap();
    out.push(...wrap(inline(para.join(' '), style), width));
    para = [];
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const fence = FENCE.exec(line);
    if (fence) {
      flushPara();
      gap();
      const close = new RegExp(`^ {0,3}${fence[1]![0] === '`' ? '`' : '~'}{${fence[1]!.length},}\\s*$`);
      for (i++; i < lines.length && !close.test(lines[i]!); i++) {
        out.push(style.code(truncate('    ' + lines[i]!, width)));
      }
      continue;
    }
    if (line.trim() === '') {
      flushPara();
      continue;
    }
    const heading = HEADING.exec(line);
    if (heading) {
      flushPara();
      gap();
      const text = inline(heading[2]!, style);
      const paint = heading[1]!.length <= 2 ? style.heading : style.title;
      out.push(...wrap(paint(text), width));
      out.push('');
      continue;
    }
    if (RULE.test(line)) {
      flushPara();
      gap();
      out.push(style.meta('─'.repeat(Math.max(1, Math.min(width, 40)))));
      continue;
    }
    if (TABLE_ROW.test(line) && i + 1 < lines.length && TABLE_RULE.test(lines[i + 1]!)) {
      flushPara();
      gap();
      const rows = [cells(line)];
      for (i += 2; i < lines.length && TABLE_ROW.test(lines[i]!); i++) rows.push(cells(lines[i]!));
      i--;
      out.push(...table(rows, style, width), '');
      continue;
    }
    const quote = QUOTE.exec(line);
    if (quote) {
      flushPara();
      out.push(...wrap(inline(quote[1]!, style), width, { firstIndent: style.meta('│ '), indent: style.meta('│ ') }));
      continue;
    }
    const item = ITEM.exec(line);
    if (item) {
      flushPara();
      const depth = Math.min(Math.floor(item[1]!.length / 2), 6);
      const bullet = /^\d/.test(item[2]!) ? item[2]! : '•';
      const lead = '  '.repeat(depth) + bullet + ' ';
      let text = item[3]!;
      // Lines that continue the item (indented, not a new block) belong to it.
      while (i + 1 < lines.length && /^\s{2,}\S/.test(lines[i + 1]!) && !ITEM.test(lines[i + 1]!)) text += ' ' + lines[++i]!.trim();
      out.push(...wrap(inline(text, style), width, { firstIndent: lead, indent: ' '.repeat(displayWidth(lead)) }));
      continue;
    }
    para.push(line.trim());
  }
  flushPara();
  while (out.length > 0 && out[out.length - 1] === '') out.pop();
  return out.join('\n') + '\n';
}
