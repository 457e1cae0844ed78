/**
 * Text output for people (TTY: aligned, colored, wrapped) and for pipes (plain:
 * one tab-separated record per line, never truncated, no color).
 * Remote text is untrusted: every field passes through sanitize before printing.
 */
import { paperUrls } from '../model.js';
import { hasCjk } from '../model.js';
import { HL_CLOSE, HL_OPEN, type PaperRow } from '../model.js';
import { sanitize, sanitizeLine } from './sanitize.js';
import type { Style } from './style.js';
import { displayWidth, padEnd, padStart, truncate, wrap } from './width.js';

const MARKERS = new RegExp(`[${HL_OPEN}${HL_CLOSE}]`, 'g');

/** Text with FTS match markers → sanitized text with the matches painted (or just unmarked). */
export function paintMarked(text: string, style: Style, oneLine = true): string {
  const clean = oneLine ? sanitizeLine : sanitize;
  let out = '';
  let inMatch = false;
  for (const part of text.split(/([\u0001\u0002])/)) {
    if (part === HL_OPEN) inMatch = true;
    else if (part === HL_CLOSE) inMatch = false;
    else out += inMatch ? style.match(clean(part)) : clean(part);
  }
  return out;
}

/**
 * A row whose watched terms are marked for highlighting: in the title when it has them,
 * else in an excerpt of the abstract. Rows from a search keep their own marks.
 */
export function watchMarked(row: PaperRow): PaperRow {
  if (!row.watched?.length || row.titleMarked) return row;
  // Terms match stemmed (diffusion ~ diffusions): highlight words that start like a term word.
  // A term is a phrase: its words in order, each word's stemmed variants allowed.
  // A CJK word is its characters, wherever they stand in a run (store/cjk.ts).
  const word = (w: string) => (hasCjk(w) ? escapeRegExp(w) : `(?<![\\p{L}\\p{N}])${escapeRegExp(w)}[\\p{L}\\p{N}]*`);
  const phrases = row.watched.map((t) => (t.match(/[\p{L}\p{N}]+/gu) ?? []).map(word).join('[^\\p{L}\\p{N}]+')).filter(Boolean);
  if (phrases.length === 0) return row;
  const re = new RegExp(`(?:${phrases.join('|')})`, 'giu');
  const mark = (text: string) => text.replace(re, (m) => HL_OPEN + m + HL_CLOSE);
  const title = mark(row.title);
  if (title !== row.title) return { ...row, titleMarked: title };
  if (row.snippet) return row;
  const hits = [...row.abstract.matchAll(re)];
  if (hits.length === 0) return row;
  const first = hits[0]!.index!;
  const start = Math.max(0, row.abstract.lastIndexOf(' ', Math.max(0, first - 60)) + 1);
  const end = row.abstract.indexOf(' ', Math.min(row.abstract.length, first + 100));
  const piece = row.abstract.slice(start, end < 0 ? undefined : end);
  return { ...row, snippet: (start > 0 ? '…' : '') + mark(piece) + (end >= 0 ? '…' : '') };
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Strip FTS match markers. */
export const unmark = (text: string) => text.replace(MARKERS, '');

/** "A, B, C +12" — the first few authors and how many more. */
export function shortAuthors(authors: string[], max = 3): string {
  const shown = authors.slice(0, max).map(sanitizeLine).join(', ');
  return authors.length > max ? `${shown} +${authors.length - max}` : shown;
}

/** Piped list/search output: `id  upvotes  day  title`, tab-separated, one paper per line. */
export function plainRecord(row: PaperRow): string {
  return [sanitizeLine(row.id), row.upvotes ?? '', sanitizeLine(row.listedOn ?? ''), sanitizeLine(row.title)].join('\t') + '\n';
}

/** Fewer columns than this left for the title beside the id: put it on its own lines. */
const MIN_TITLE_COLUMNS = 30;

/** Column widths shared by all rows of one TTY listing, so they align. */
interface Columns {
  index: number;
  upvotes: number;
  /** Width of the gain after the upvotes (`+17`); 0 when the rows have none. */
  gain?: number;
  id: number;
}

/** `+17`, `-2`, or '' when unknown: the upvotes gained (`--sort rising`). */
const gainText = (row: PaperRow) => (row.gain == null ? '' : row.gain >= 0 ? `+${row.gain}` : String(row.gain));

function columnsFor(rows: PaperRow[]): Columns {
  return {
    index: String(rows.length).length,
    upvotes: Math.max(1, ...rows.map((r) => String(r.upvotes ?? '').length)),
    gain: Math.max(0, ...rows.map((r) => gainText(r).length)),
    id: Math.max(...rows.map((r) => displayWidth(sanitizeLine(r.id)))),
  };
}

/** The dim line under a title: authors, comments, code. */
function metaLine(row: PaperRow): string {
  const parts: string[] = [];
  if (row.authors.length) parts.push(shortAuthors(row.authors));
  if (row.comments) parts.push(`${row.comments} comment${row.comments === 1 ? '' : 's'}`);
  if (row.githubRepo) parts.push(row.githubStars != null ? `code ★${row.githubStars}` : 'code');
  return parts.join(' · ');
}

/**
 * One paper of a TTY listing:
 * `  3  ▲ 142  2506.05176  Title wrapped under itself` (with `--sort rising`: `▲ 142 +17`)
 * `                        Authors +12 · 4 comments · code`
 * followed by a snippet when searching.
 */
export function ttyRecord(row: PaperRow, n: number, cols: Columns, style: Style, width: number): string {
  const votes = row.upvotes == null ? ' '.repeat(cols.upvotes + 2) : '▲ ' + padStart(String(row.upvotes), cols.upvotes);
  const up = cols.gain ? `${votes} ${padEnd(gainText(row), cols.gain)}` : votes;
  const num = padStart(String(n), cols.index + 1);
  const id = sanitizeLine(row.id);
  const coloredPrefix = `${style.index(num)}  ${style.upvotes(up)}  ${style.id(padEnd(id, cols.id))}  `;
  const prefixWidth = displayWidth(`${num}  ${up}  ${padEnd(id, cols.id)}  `);
  // Narrow terminals: the title goes under the number/upvotes/id line instead of beside it.
  const beside = width - prefixWidth >= MIN_TITLE_COLUMNS;
  const indent = ' '.repeat(beside ? prefixWidth : cols.index + 3);
  const textWidth = Math.max(1, width - indent.length);
  const title = row.titleMarked ? paintMarked(row.titleMarked, style) : sanitizeLine(row.title);
  const out: string[] = beside ? [] : [coloredPrefix.trimEnd()];
  wrap(title, textWidth).forEach((line, i) => out.push((beside && i === 0 ? coloredPrefix : indent) + style.title(line)));
  const meta = metaLine(row);
  const watch = row.watched?.length ? style.match(`◆ ${row.watched.map(sanitizeLine).join(', ')}`) : '';
  const line = [watch, meta ? style.meta(meta) : ''].filter(Boolean).join(style.meta(' · '));
  if (line) out.push(indent + truncate(line, textWidth));
  if (row.snippet) {
    for (const line of wrap(paintMarked(row.snippet, style), textWidth)) out.push(indent + line);
  }
  return out.join('\n') + '\n';
}

/** A whole TTY listing, numbered from 1. */
export function ttyList(rows: PaperRow[], style: Style, width: number, spaced = false): string {
  return ttyListing(rows, style, width, spaced).text;
}

/**
 * A whole TTY listing, and for each row the number of lines up to the end of its entry
 * (what a screen of that many lines shows whole): the listing knows where its rows end.
 */
export function ttyListing(rows: PaperRow[], style: Style, width: number, spaced = false): { text: string; ends: number[] } {
  const cols = columnsFor(rows);
  const parts: string[] = [];
  const ends: number[] = [];
  let lines = 0;
  rows.forEach((r, i) => {
    if (spaced && i > 0) {
      parts.push('\n');
      lines++;
    }
    const entry = ttyRecord(r, i + 1, cols, style, width);
    parts.push(entry);
    // Every line of an entry ends with a newline and none holds one (fields are sanitized to one line).
    lines += lineCount(entry);
    ends.push(lines);
  });
  return { text: parts.join(''), ends };
}

/** The newlines in `text`: its line count when every line ends with one. */
export function lineCount(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

const LABEL_WIDTH = 11;

/** Label/value lines of `papers show`, wrapped on a TTY, whole in a pipe. */
export function showText(
  row: PaperRow,
  listings: Array<{ source: string; day: string; rank: number; upvotes: number | null }>,
  style: Style,
  width: number | null,
): string {
  const out: string[] = [];
  const wrapped = (text: string, indent = '') =>
    width ? wrap(text, Math.max(1, width - indent.length)).map((l) => indent + l) : [indent + text];
  const field = (label: string, value: string) => {
    const head = padEnd(label, LABEL_WIDTH);
    if (!width) return out.push(`${head}${value}`);
    // Narrow terminal: the label on its own line, the value under it at full width.
    if (width - LABEL_WIDTH < MIN_TITLE_COLUMNS) return out.push(style.meta(label), ...wrapped(value, '  '));
    const lines = wrap(value, width - LABEL_WIDTH);
    lines.forEach((l, i) => out.push((i === 0 ? style.meta(head) : ' '.repeat(LABEL_WIDTH)) + l));
  };

  for (const l of wrapped(sanitizeLine(row.title))) out.push(style.title(l));
  const facts = [style.id(sanitizeLine(row.id))];
  if (row.upvotes != null) facts.push(style.upvotes(`▲ ${row.upvotes}`));
  if (row.comments != null) facts.push(`${row.comments} comment${row.comments === 1 ? '' : 's'}`);
  out.push(...(width ? wrap(facts.join(' · '), width) : [facts.join(' · ')]));
  out.push('');
  if (row.authors.length) field('Authors', row.authors.map(sanitizeLine).join(', '));
  if (row.organization) field('Org', sanitizeLine(row.organization));
  if (row.publishedAt) field('Published', sanitizeLine(row.publishedAt.slice(0, 10)));
  if (row.version != null) field('Version', `v${row.version}${row.updatedAt ? `, updated ${row.updatedAt.slice(0, 10)}` : ''}`);
  if (row.categories.length) {
    // Primary first (the store keeps it there); marked when arXiv said which it is.
    const cats = row.categories.map((c) => sanitizeLine(c) + (c === row.primaryCategory ? ' (primary)' : ''));
    field('Categories', cats.join(', '));
  }
  if (listings.length) {
    field('Listed', listings.map((l) => sanitizeLine(`${l.source} ${l.day} (#${l.rank})`)).join(', '));
  }
  const urls = paperUrls(row.id);
  const links: Array<[string, string | null]> = [
    ['HF', urls.hf],
    ['arXiv', urls.arxiv],
    ['PDF', urls.pdf],
    ['GitHub', safeUrl(row.githubRepo)],
    ['Project', safeUrl(row.projectPage)],
  ];
  for (const [label, url] of links) {
    if (url) field(label, style.link(url) + (label === 'GitHub' && row.githubStars != null ? ` ★${row.githubStars}` : ''));
  }
  const doi = row.doi ? safeUrl(`https://doi.org/${row.doi.trim().split('/').map(encodeURIComponent).join('/')}`) : null;
  if (doi) field('DOI', style.link(doi));
  if (row.journalRef) field('Journal', sanitizeLine(row.journalRef));
  // The authors' arXiv comment ("12 pages, 5 figures"); the HF comment count is in the line under the title.
  if (row.arxivComments) field('Comments', sanitizeLine(row.arxivComments));
  if (row.keywords.length) field('Keywords', row.keywords.map(sanitizeLine).join(', '));
  if (row.watched?.length) field('Watched', style.match(row.watched.map(sanitizeLine).join(', ')));
  if (row.aiSummary) {
    out.push('', style.heading('AI summary'));
    // Not push(...lines): a 10 MB abstract wraps to ~130k lines, past the spread's stack limit.
    for (const l of wrapped(sanitizeLine(row.aiSummary), '  ')) out.push(l);
  }
  if (row.abstract) {
    out.push('', style.heading('Abstract'));
    for (const [i, para] of sanitize(row.abstract).split('\n\n').entries()) {
      if (i > 0) out.push('');
      for (const l of wrapped(para, '  ')) out.push(l);
    }
  }
  return out.join('\n') + '\n';
}

/** The URL if it is http(s), else null: nothing else is ever printed as a link. */
export function safeUrl(url: string | null): string | null {
  if (!url) return null;
  try {
    const u = new URL(url);
    return u.protocol === 'https:' || u.protocol === 'http:' ? sanitizeLine(u.href) : null;
  } catch {
    return null;
  }
}
