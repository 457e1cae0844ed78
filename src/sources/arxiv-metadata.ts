/**
 * The arXiv metadata snapshot (the Kaggle "arxiv-metadata-oai-snapshot" JSONL): one paper
 * per line, several GB and 2.5M+ lines, so it is read as a stream in batches. The record
 * has no listing day, so papers come without listing entries.
 */
import { fromUtc, namesRealDay } from '../dates-day.js';
import { InputError } from '../errors.js';
import { countValue, emptyPaper, normalizeLine, normalizeParagraphs, parseArxivId, type ParsedListing, type Paper } from '../model.js';
import { MAX_LINE_LENGTH, splitLines } from './lines.js';
import type { Source } from './types.js';

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v : null);

/** True for a parsed snapshot record (`id`, `submitter`, `versions`), not one of our own JSONL lines. */
export function isMetadataRecord(v: unknown): boolean {
  return isObject(v) && typeof v.id === 'string' && 'submitter' in v && Array.isArray(v.versions) && !('listedOn' in v);
}

/** Cheap check on the start of a file (a first chunk will do): is its first line a snapshot record? */
export function sniffMetadata(text: string): boolean {
  const start = text.search(/\S/);
  if (start < 0 || text[start] !== '{') return false;
  const end = text.indexOf('\n', start);
  const line = text.slice(start, end < 0 ? text.length : end);
  try {
    return isMetadataRecord(JSON.parse(line));
  } catch {
    // A first chunk may end inside the first line; `submitter` is the record's second key.
    return /^\{\s*"id"\s*:/.test(line) && line.includes('"submitter"');
  }
}

/** One snapshot line as a Paper; throws InputError naming `lineNo` when the line is not a record. */
export function parseMetadataLine(line: string, lineNo: number): Paper {
  const bad = (why: string): never => {
    throw new InputError(`line ${lineNo}: ${why}`);
  };
  let obj: unknown;
  try {
    obj = JSON.parse(line.charCodeAt(0) === 0xfeff ? line.slice(1) : line);
  } catch (err) {
    return bad(`not valid JSON (${(err as Error).message})`);
  }
  if (!isObject(obj) || typeof obj.id !== 'string') return bad('not an arXiv metadata record (no "id")');
  const parsed = parseArxivId(obj.id) ?? bad(`"${obj.id}" is not an arXiv id`);
  const title = normalizeLine(str(obj.title) ?? '');
  if (!title) bad(`paper ${obj.id} has no title`);

  const paper = emptyPaper(parsed.id, title);
  paper.abstract = normalizeParagraphs(str(obj.abstract) ?? '');
  paper.authors = authorsOf(obj);
  // The snapshot lists the primary category first.
  paper.categories = [...new Set((str(obj.categories) ?? '').split(/\s+/).filter(Boolean))];
  paper.primaryCategory = paper.categories[0] ?? null;
  paper.doi = oneLine(obj.doi);
  paper.journalRef = oneLine(obj['journal-ref']);
  paper.arxivComments = oneLine(obj.comments);

  const versions = Array.isArray(obj.versions) ? obj.versions.filter(isObject) : [];
  const numbered = versions
    .map((v) => ({ n: /^v(\d+)$/.exec(str(v.version) ?? '')?.[1], created: isoTime(v.created) }))
    .filter((v): v is { n: string; created: string | null } => v.n !== undefined);
  const first = numbered.find((v) => v.n === '1') ?? numbered[0];
  const last = numbered.reduce<(typeof numbered)[number] | undefined>((a, v) => (a && Number(a.n) >= Number(v.n) ? a : v), undefined);
  paper.version = last ? countValue(Number(last.n)) : parsed.version;
  paper.publishedAt = first?.created ?? null;
  // `update_date` moves when metadata (a DOI, a journal ref) changes; it is only a fallback.
  paper.updatedAt = last?.created ?? isoTime(obj.update_date);
  return paper;
}

/** Options of {@link readMetadata}. */
export interface ReadMetadataOptions {
  /** Papers per yielded batch (the store commits one transaction per batch). */
  batchSize: number;
  /** Throw on the first malformed line instead of counting and skipping it. */
  strict: boolean;
  /** Called for each skipped line (not in strict mode); `message` starts with `line N:`. */
  onBadLine?: (lineNo: number, message: string) => void;
  /** Prefix for the strict-mode error (a file name). */
  origin?: string;
  /** Longest line accepted, in bytes (default 8 MiB; real records are under 100 KiB). */
  maxLineLength?: number;
}

/** What {@link readMetadata} returns when done. */
export interface MetadataStats {
  /** Physical lines read, blank ones included. */
  lines: number;
  papers: number;
  /** Malformed lines skipped. */
  bad: number;
}

/**
 * Stream a snapshot as batches of Papers, holding one batch and one partial line at a
 * time (flat memory whatever the file size). Accepts a Node stream or any async iterable
 * of Buffers/strings; handles CRLF, a BOM, and a last line without a newline.
 */
export async function* readMetadata(
  input: NodeJS.ReadableStream | AsyncIterable<Uint8Array | string>,
  opts: ReadMetadataOptions,
): AsyncGenerator<Paper[], MetadataStats, undefined> {
  if (!Number.isInteger(opts.batchSize) || opts.batchSize < 1) throw new RangeError('batchSize must be a positive integer');
  const stats: MetadataStats = { lines: 0, papers: 0, bad: 0 };
  let batch: Paper[] = [];

  const maxLine = opts.maxLineLength ?? MAX_LINE_LENGTH;
  const reject = (err: InputError): void => {
    if (opts.strict) throw opts.origin ? new InputError(`${opts.origin}: ${err.message}`) : err;
    stats.bad += 1;
    opts.onBadLine?.(stats.lines, err.message);
  };
  for await (const { no, text } of splitLines(input as AsyncIterable<Uint8Array | string>, maxLine)) {
    stats.lines = no;
    // A binary or corrupt file: the over-long line was never held whole.
    if (text === null) {
      reject(new InputError(`line ${no}: longer than ${maxLine} bytes; not a metadata record`));
      continue;
    }
    // Blank lines (whitespace only) are skipped.
    if (text.trim() === '') continue;
    try {
      batch.push(parseMetadataLine(text, no));
      stats.papers += 1;
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      reject(err);
    }
    if (batch.length >= opts.batchSize) {
      const full = batch;
      batch = [];
      yield full;
    }
  }
  if (batch.length > 0) yield batch;
  return stats;
}

/** The whole snapshot text at once, for small files and `--format arxiv-metadata`; bad lines become a warning. */
export const arxivMetadata: Source = {
  name: 'arxiv-metadata',
  sniff: sniffMetadata,
  parse(text, opts) {
    const out: ParsedListing = { format: 'arxiv-metadata', items: [], warnings: [] };
    const badLines: number[] = [];
    let firstProblem = '';
    text.split('\n').forEach((raw, i) => {
      const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
      if (line.trim() === '') return;
      try {
        out.items.push({ paper: parseMetadataLine(line, i + 1), listing: null });
      } catch (err) {
        if (!(err instanceof InputError)) throw err;
        if (badLines.length === 0) firstProblem = err.message;
        badLines.push(i + 1);
      }
    });
    if (out.items.length === 0) {
      throw new InputError(`${opts.origin}: no arXiv metadata records${firstProblem ? ` (${firstProblem})` : ''}`);
    }
    if (badLines.length > 0) {
      const shown = badLines.slice(0, 10).join(', ') + (badLines.length > 10 ? ', …' : '');
      out.warnings.push(`${opts.origin}: skipped ${badLines.length} malformed line(s): ${shown} (first: ${firstProblem})`);
    }
    return out;
  },
};

// ---------------------------------------------------------------------------
// Authors

/** Author names of a record: `authors_parsed` when usable, else the `authors` string split. */
function authorsOf(obj: Json): string[] {
  const parsed = obj.authors_parsed;
  if (Array.isArray(parsed) && parsed.length > 0 && parsed.every((a) => Array.isArray(a) && a.every((p) => typeof p === 'string'))) {
    const names = (parsed as string[][])
      .map(([last = '', first = '', suffix = '']) =>
        // The snapshot's parser writes `C.-P.` as `C. -P.`; undo that.
        normalizeLine(latexAccents([first.replace(/\.\s+-/g, '.-'), last, suffix].join(' '))),
      )
      .filter((n) => n !== '');
    if (names.length > 0) return names;
  }
  return splitAuthors(latexAccents(str(obj.authors) ?? ''));
}

// `Jr.` and friends follow a comma but are not authors of their own.
const SUFFIX = /^(?:Jr\.?|Sr\.?|II|III|IV)$/;

/**
 * Split an arXiv author string (`A, B and C`, `A, B, and C`) into names. Commas inside
 * parentheses belong to affiliations (`A (MIT, USA), B`), which are dropped.
 */
export function splitAuthors(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of text) {
    if (ch === '(') depth += 1;
    else if (ch === ')') depth = Math.max(0, depth - 1);
    if (ch === ',' && depth === 0) {
      parts.push(cur);
      cur = '';
    } else cur += ch;
  }
  parts.push(cur);
  const names: string[] = [];
  for (const part of parts) {
    // " and " splits only outside parentheses; the leading "and" of ", and C" goes too.
    for (const piece of splitOutside(part.replace(/^\s*and\s+/, ''), /\s+and\s+/)) {
      const name = normalizeLine(stripAffiliations(piece));
      if (!name) continue;
      if (SUFFIX.test(name) && names.length > 0) names[names.length - 1] += ` ${name}`;
      else names.push(name);
    }
  }
  return names;
}

/** Split `text` on `sep` where it is not inside parentheses. */
function splitOutside(text: string, sep: RegExp): string[] {
  if (!text.includes('(')) return text.split(sep);
  // Mask parenthesized text so the separator cannot match inside it, then cut the original.
  let depth = 0;
  const masked = [...text].map((ch) => {
    if (ch === '(') depth += 1;
    const out = depth > 0 ? '_' : ch;
    if (ch === ')') depth = Math.max(0, depth - 1);
    return out;
  });
  const flat = masked.join('');
  const out: string[] = [];
  let start = 0;
  const re = new RegExp(sep.source, 'g');
  for (let m = re.exec(flat); m; m = re.exec(flat)) {
    out.push(text.slice(start, m.index));
    start = m.index + m[0].length;
  }
  out.push(text.slice(start));
  return out;
}

/** A name without its parenthesized affiliations (`Ada Lovelace (Analytical Engines)`). */
function stripAffiliations(name: string): string {
  let out = name;
  // Innermost first, so nested parentheses go too.
  for (let prev = ''; prev !== out; ) {
    prev = out;
    out = out.replace(/\([^()]*\)/g, ' ');
  }
  return out;
}

// TeX accent commands → Unicode combining marks; NFC then composes `a` + U+0301 into `á`.
const ACCENT: Record<string, string> = {
  "'": '\u0301', '`': '\u0300', '^': '\u0302', '"': '\u0308', '~': '\u0303', '=': '\u0304', '.': '\u0307',
  u: '\u0306', v: '\u030C', H: '\u030B', c: '\u0327', k: '\u0328', r: '\u030A',
};
const LETTER: Record<string, string> = {
  ss: 'ß', o: 'ø', O: 'Ø', aa: 'å', AA: 'Å', ae: 'æ', AE: 'Æ', oe: 'œ', OE: 'Œ', l: 'ł', L: 'Ł', i: 'ı', j: 'ȷ',
};
// `\'a`, `\'{a}`, `\' a`, `\'{\i}`; letter-named accents need a brace or a space: `\v{c}`, `\c c`.
const SYMBOL_ACCENT = /\\(['`^"~=.])\s*(?:\{\s*(\\[ij]|[A-Za-z])\s*\}|(\\[ij](?![A-Za-z])|[A-Za-z]))/g;
const LETTER_ACCENT = /\\([uvHckr])(?:\s*\{\s*(\\[ij]|[A-Za-z])\s*\}|\s+(\\[ij](?![A-Za-z])|[A-Za-z]))/g;
const LETTER_MACRO = /\\(ss|aa|AA|ae|AE|oe|OE|o|O|l|L|i|j)(?![A-Za-z])(?:\{\}|\s)?/g;

/**
 * Convert the TeX accents common in arXiv author names (`Bal\'azs`, `Erd\H{o}s`,
 * `{\o}`) to Unicode, so names match what HF and the API show. Titles and abstracts
 * keep their TeX: there it is mostly math, and arXiv serves it that way everywhere.
 */
export function latexAccents(text: string): string {
  if (!text.includes('\\')) return text;
  const base = (b: string): string => (b === '\\i' ? 'i' : b === '\\j' ? 'j' : b);
  return text
    .replace(SYMBOL_ACCENT, (_, acc: string, braced?: string, bare?: string) => base(braced ?? bare ?? '') + ACCENT[acc]!)
    .replace(LETTER_ACCENT, (_, acc: string, braced?: string, bare?: string) => base(braced ?? bare ?? '') + ACCENT[acc]!)
    .replace(LETTER_MACRO, (_, name: string) => LETTER[name]!)
    // Braces left around a converted letter or a whole name part (`{\"O}zt{\"u}rk`).
    .replace(/\{([^{}\\]*)\}/g, '$1')
    .normalize('NFC');
}

/** One-line text of an optional string field, or null. */
function oneLine(v: unknown): string | null {
  const s = str(v);
  return s ? normalizeLine(s) : null;
}

/** ISO 8601 of a snapshot time (`Mon, 2 Apr 2007 19:18:42 GMT` or `2008-11-26`), or null. */
function isoTime(v: unknown): string | null {
  const s = str(v);
  if (!s || !namesRealDay(s)) return null;
  // `YYYY-MM-DD` alone is UTC midnight; RFC 1123 times carry their own zone.
  const d = /^\d{4}-\d{2}-\d{2}$/.test(s) ? new Date(`${s}T00:00:00Z`) : new Date(s);
  return fromUtc(d) ? d.toISOString() : null;
}
