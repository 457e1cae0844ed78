/**
 * Markdown export: a readable digest of papers (title linked, authors, upvotes,
 * comments, code link, listing day, then the abstract or the AI summary).
 * Remote text is untrusted here too: a title must not be able to add a link, an
 * image or HTML to the rendered page, so every piece of it is escaped.
 */
import { paperUrls } from '../model.js';
import type { PaperRow } from '../model.js';
import { sanitize, sanitizeLine } from './sanitize.js';

/** Options of toMarkdown. */
export interface MarkdownOptions {
  /** Show Hugging Face's AI summary instead of the abstract (the abstract when there is none). */
  summary: boolean;
  /** A `# title` heading above the papers; none when absent. */
  title?: string;
}

/** Authors shown before "et al.". */
export const MAX_AUTHORS = 8;

// Characters with inline meaning in CommonMark/GFM: code, emphasis, links/images, raw
// HTML and autolinks, tables, strikethrough, and the backslash itself. `!` needs no
// escape: without an unescaped `[` after it, it is just text.
const INLINE_SPECIAL = /[\\`*_[\]<>|~]/g;
// An entity reference (`&lt;`, `&#91;`) would display as another character.
const ENTITY = /&(?=#?[0-9A-Za-z]+;)/g;
// Block syntax a line can open with that INLINE_SPECIAL leaves alone: ATX heading, block
// quote, `+`/`-` list item, setext underline or thematic break, ordered list (`1.`, `1)`).
// (`*` lists and backtick/tilde fences are already escaped as inline characters.)
const BLOCK_START = /^(\s*)([#>+\-=]|\d+(?=[.)]))/;

/**
 * Escape untrusted text for inline Markdown: the result renders as exactly the text,
 * never as a link, image, HTML, emphasis or code. `lineStart` also escapes block syntax
 * (`# `, `- `, `1. `, `> `) for text that opens a line.
 */
export function escapeMarkdown(text: string, lineStart = false): string {
  let out = text.replace(INLINE_SPECIAL, '\\$&').replace(ENTITY, '\\&');
  // Escaping the digits of "2024." is not possible; escaping the dot after them is (`2024\.`).
  if (lineStart) out = out.replace(BLOCK_START, (_m, sp: string, c: string) => (/\d/.test(c) ? `${sp}${c}\\` : `${sp}\\${c}`));
  return out;
}

/**
 * A URL fit for a Markdown link destination, or null: only http(s), re-serialized by
 * WHATWG URL (which percent-encodes spaces, quotes and `<>`), with parentheses encoded
 * too so the destination cannot end early.
 */
export function safeUrl(raw: string | null | undefined): string | null {
  if (!raw) return null;
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  return url.href.replace(/\(/g, '%28').replace(/\)/g, '%29');
}

/** "A, B, … H et al." — at most MAX_AUTHORS names, escaped; empty when there are none. */
function authorLine(authors: readonly string[]): string {
  const names = authors.slice(0, MAX_AUTHORS).map((a) => sanitizeLine(a).trim()).filter((a) => a !== '');
  if (names.length === 0) return '';
  // The line opens a paragraph: a name like "-1" or "2." must not start a list.
  const line = escapeMarkdown(names.join(', '), true);
  return authors.length > MAX_AUTHORS ? `${line} et al.` : line;
}

/** `▲ 12 · 3 comments · [code](…) · listed 2025-06-09`; parts that are unknown are left out. */
function metaLine(row: PaperRow): string {
  const parts: string[] = [];
  if (row.upvotes !== null) parts.push(`▲ ${row.upvotes}`);
  // "0 comments" is noise in a digest; an unknown count is left out the same way.
  if (row.comments) parts.push(`${row.comments} comment${row.comments === 1 ? '' : 's'}`);
  const code = safeUrl(row.githubRepo);
  if (code) parts.push(`[code](${code})`);
  if (row.listedOn) parts.push(`listed ${row.listedOn}`);
  return parts.join(' · ');
}

/** The body text: paragraphs of the abstract (or summary), each escaped as a line of its own. */
function bodyText(text: string): string {
  return sanitize(text)
    .replace(/\r\n?/g, '\n')
    .split(/\n\s*\n/)
    // Inside a paragraph a single newline is a soft break; fold it so no line can open a block.
    .map((p) => p.replace(/\s+/g, ' ').trim())
    .filter((p) => p !== '')
    .map((p) => escapeMarkdown(p, true))
    .join('\n\n');
}

/** Untrusted text for a heading line: escaped, `#` included (trailing `#`s close an ATX heading: "Learning C #" would lose its `#`). */
function headingText(text: string): string {
  return escapeMarkdown(sanitizeLine(text).trim()).replace(/#/g, '\\#');
}

/** One paper as a Markdown section (ends with a newline). */
export function markdownPaper(row: PaperRow, opts: MarkdownOptions): string {
  const title = headingText(row.title);
  const urls = paperUrls(row.id);
  const link = safeUrl(urls.hf ?? urls.arxiv);
  const blocks = [link ? `## [${title}](${link})` : `## ${title}`];
  const authors = authorLine(row.authors);
  if (authors) blocks.push(authors);
  const meta = metaLine(row);
  if (meta) blocks.push(meta);
  const text = opts.summary && row.aiSummary?.trim() ? row.aiSummary : row.abstract;
  const body = bodyText(text);
  if (body) blocks.push(body);
  return blocks.join('\n\n') + '\n';
}

/** A digest's title line. */
export function markdownTitle(title: string): string {
  return `# ${headingText(title)}\n`;
}

/** Papers as a Markdown digest: an optional `# title`, then one `##` section per paper. */
export function toMarkdown(rows: readonly PaperRow[], opts: MarkdownOptions): string {
  const sections = rows.map((r) => markdownPaper(r, opts));
  if (opts.title !== undefined) sections.unshift(markdownTitle(opts.title));
  return sections.join('\n');
}
