/**
 * BibTeX export: one `@misc` entry per paper, in the shape arXiv's own "Export
 * BibTeX citation" gives (`eprint`, `archivePrefix`, `primaryClass`, `url`), with
 * Google-Scholar-style keys (`vaswani2017attention`) that are stable for the same input.
 */
import { isTitleId, paperUrls } from '../model.js';
import type { PaperRow } from '../model.js';
import { sanitizeLine } from './sanitize.js';

// Skipped when picking the key's title word (Scholar skips these too).
const STOP_WORDS = new Set(
  'a an the on of in for to and or with without at by from via into onto over under is are be do does can how what when where which who why we our toward towards its it as not no'.split(' '),
);
// Name suffixes that are not the last name ("John Smith Jr." → smith).
// Not "v": a trailing initial ("Karthik V") is far more common than "the fifth".
const NAME_SUFFIXES = new Set(['jr', 'sr', 'ii', 'iii', 'iv', 'phd', 'md']);
// Letters NFKD does not decompose into ASCII.
const TRANSLITERATE: Record<string, string> = { ß: 'ss', æ: 'ae', œ: 'oe', ø: 'o', ł: 'l', đ: 'd', ð: 'd', þ: 'th', ı: 'i' };
// Built from the keys rather than written as a literal: the bundle stays ASCII (see bin/papers.cjs).
const TRANSLITERATED = new RegExp(`[${Object.keys(TRANSLITERATE).join('')}]`, 'g');

/** Lowercase ASCII words: accents stripped (NFKD), apostrophes dropped, any other non-alphanumeric run → one space. */
export function asciiFold(text: string): string {
  return text
    .toLowerCase()
    .replace(TRANSLITERATED, (c) => TRANSLITERATE[c]!)
    .normalize('NFKD')
    // Combining marks go without a trace (ñ → n + ◌̃ → n), not as a word break.
    .replace(/\p{M}+/gu, '')
    // Apostrophes join (O'Brien → obrien, Don't → dont), everything else separates words.
    .replace(/['\u2019]/g, '')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/** The last name of an author as a key part: `Jintao Zhang` → `zhang`, `van der Berg, Jan` → `vanderberg`, `José Núñez Jr.` → `nunez`. */
export function lastNameKey(name: string): string {
  const comma = name.indexOf(',');
  // "Last, First" (BibTeX's own form) names the whole last name first, particles included.
  if (comma >= 0) return asciiFold(name.slice(0, comma)).replace(/ /g, '');
  const words = asciiFold(name).split(' ').filter((w) => w !== '');
  while (words.length > 1 && NAME_SUFFIXES.has(words[words.length - 1]!)) words.pop();
  return words[words.length - 1] ?? '';
}

/** The first word of a title that is not a stop word, folded to ASCII (`The Llama 3 Herd` → `llama`). */
export function titleWordKey(title: string): string {
  const words = asciiFold(title).split(' ').filter((w) => w !== '');
  return words.find((w) => !STOP_WORDS.has(w)) ?? words[0] ?? '';
}

/**
 * The year and month an arXiv id was assigned (`2512.01234` → 2025, 12; `hep-th/9901001` →
 * 1999, 1), or null for a title-derived id. This is the date arXiv cites: a paper listed on
 * Hugging Face months later, or updated since, keeps it.
 */
export function arxivYearMonth(id: string): { year: string; month: number } | null {
  const m = /^(\d{2})(\d{2})\.\d{4,5}$/.exec(id) ?? /^[a-z-]+(?:\.[A-Z]{2})?\/(\d{2})(\d{2})\d{3}$/.exec(id);
  if (!m) return null;
  const yy = Number(m[1]);
  const month = Number(m[2]);
  if (month < 1 || month > 12) return null;
  // Old-style ids began in August 1991 and ended in March 2007.
  return { year: String(yy >= 91 ? 1900 + yy : 2000 + yy), month };
}

/** The year of a paper: from its arXiv id, else publishedAt, else the listing day, else null. */
export function paperYear(row: PaperRow): string | null {
  const fromId = arxivYearMonth(row.id);
  if (fromId) return fromId.year;
  for (const d of [row.publishedAt, row.listedOn]) {
    const m = d ? /^(\d{4})-/.exec(d) : null;
    if (m) return m[1]!;
  }
  return null;
}

/** The DOI arXiv registers for every paper (DataCite): `10.48550/arXiv.ID`; null for a title-derived id. */
export function arxivDoi(id: string): string | null {
  return isTitleId(id) ? null : `10.48550/arXiv.${id}`;
}

// BibTeX's month macros: unbraced, so styles print the month in their own language.
const MONTHS = 'jan feb mar apr may jun jul aug sep oct nov dec'.split(' ');

/** The key before deduplication: first author's last name + year (`nd` when unknown) + first significant title word. */
export function baseKey(row: PaperRow): string {
  // Only the first author counts: a later one would make a misleading key. A name with no
  // ASCII letters at all (e.g. written in Chinese characters) gives `anon`.
  const first = row.authors.find((a) => a.trim() !== '');
  const author = (first && lastNameKey(first)) || 'anon';
  return `${author}${paperYear(row) ?? 'nd'}${titleWordKey(row.title)}`;
}

/** a, b, …, z, aa, ab, … (bijective base 26). */
function suffix(n: number): string {
  let s = '';
  for (let i = n + 1; i > 0; i = Math.floor((i - 1) / 26)) s = String.fromCharCode(97 + ((i - 1) % 26)) + s;
  return s;
}

/**
 * A key allocator: the first paper with a base key gets it as is, the next ones
 * `…a`, `…b`, … in the order asked, skipping keys already taken (a base key can itself
 * end in a letter, and `taken` names keys a file already holds). Same rows in the same
 * order → same keys.
 */
export function createKeyAllocator(taken: Iterable<string> = []): (row: PaperRow) => string {
  const used = new Set<string>(taken);
  const next = new Map<string, number>();
  return (row) => {
    const base = baseKey(row);
    let key = base;
    if (used.has(key)) {
      let n = next.get(base) ?? 0;
      do key = base + suffix(n++);
      while (used.has(key));
      next.set(base, n);
    }
    used.add(key);
    return key;
  };
}

const LATEX_SPECIAL: Record<string, string> = {
  '\\': '\\textbackslash{}',
  '{': '\\{',
  '}': '\\}',
  $: '\\$',
  '&': '\\&',
  '%': '\\%',
  '#': '\\#',
  _: '\\_',
  '^': '\\^{}',
  '~': '\\~{}',
};

/** Escape LaTeX's special characters (one pass, so `\` → `\textbackslash{}` keeps its braces); whitespace folded. */
export function escapeLatex(text: string): string {
  return sanitizeLine(text).trim().replace(/[\\{}$&%#_^~]/g, (c) => LATEX_SPECIAL[c]!);
}

/**
 * A verbatim field (url, doi): biblatex reads these verbatim, so `\_` would end up in a
 * DOI link. Only what would unbalance the entry's braces (or start a TeX command) is
 * percent-encoded, which a resolver reads back as the same character.
 */
function verbatim(text: string): string {
  return sanitizeLine(text).trim().replace(/[{}\\%\s]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0'));
}

/** One author for the `and`-separated list; braced when BibTeX would misparse the name. */
function authorName(name: string): string {
  const escaped = escapeLatex(name);
  // An " and " inside a name would split it; 3+ commas are "too many commas" to BibTeX.
  return /\sand\s/i.test(escaped) || (escaped.match(/,/g)?.length ?? 0) > 2 ? `{${escaped}}` : escaped;
}

/**
 * One paper as an `@misc` entry. arXiv papers get `month` (from the id), `eprint`,
 * `archivePrefix`, `primaryClass` when known, `url` and arXiv's DOI. A paper known only by its title (`title-…` id, from copied
 * page text) still gets an entry, with a `note` saying its arXiv id is unknown: an
 * export never drops papers silently, and the note shows what to fix.
 */
export function bibtexEntry(row: PaperRow, key: string): string {
  const fields: Array<[string, string]> = [['title', `{${escapeLatex(row.title)}}`]];
  // Values written as they are (no braces): the month macros.
  const bare = new Set<string>();
  const authors = row.authors.map((a) => a.trim()).filter((a) => a !== '');
  if (authors.length > 0) fields.push(['author', authors.map(authorName).join(' and ')]);
  const year = paperYear(row);
  if (year) fields.push(['year', year]);
  const month = arxivYearMonth(row.id)?.month;
  if (month) {
    fields.push(['month', MONTHS[month - 1]!]);
    bare.add('month');
  }
  if (isTitleId(row.id)) {
    const listed = row.listedOn ? `; listed on Hugging Face Daily Papers on ${row.listedOn}` : '';
    fields.push(['note', `arXiv identifier unknown${listed}`]);
  } else {
    fields.push(['eprint', verbatim(row.id)], ['archivePrefix', 'arXiv']);
    const primary = row.primaryCategory ?? row.categories[0] ?? null;
    if (primary) fields.push(['primaryClass', escapeLatex(primary)]);
    const url = paperUrls(row.id).arxiv;
    if (url) fields.push(['url', verbatim(url)]);
  }
  // arXiv's DOI names the version cited here; a journal's DOI (row.doi) names another text.
  const doi = arxivDoi(row.id) ?? row.doi;
  if (doi) fields.push(['doi', verbatim(doi)]);
  if (row.journalRef && !isTitleId(row.id)) fields.push(['note', escapeLatex(row.journalRef)]);
  const body = fields.map(([name, value]) => (bare.has(name) ? `  ${name} = ${value}` : `  ${name} = {${value}}`)).join(',\n');
  return `@misc{${key},\n${body}\n}\n`;
}

/** Papers as BibTeX, one `@misc` per row in order, keys deduplicated (`zhang2025sparse`, `zhang2025sparsea`, …). */
export function toBibtex(rows: readonly PaperRow[]): string {
  const keyOf = createKeyAllocator();
  return rows.map((r) => bibtexEntry(r, keyOf(r))).join('\n');
}

/** What a BibTeX file already holds: its entries' keys, and the DOI and eprint of each key (lowercased). */
export interface HeldEntries {
  /** key → the entry's DOI and eprint, lowercased (null when absent). */
  keys: Map<string, { doi: string | null; eprint: string | null }>;
  dois: Set<string>;
  eprints: Set<string>;
}

/**
 * The entries of a BibTeX text, read loosely: `@type{key,` starts an entry and its `doi` and
 * `eprint` fields (braced or quoted) are picked up until the next entry. Not a full parser:
 * enough to tell whether a paper is already cited, whoever wrote the file.
 */
export function heldEntries(text: string): HeldEntries {
  const held: HeldEntries = { keys: new Map(), dois: new Set(), eprints: new Set() };
  const starts = [...text.matchAll(/@\s*([A-Za-z]+)\s*[{(]\s*([^\s,{}()]+)\s*,/g)];
  starts.forEach((m, i) => {
    if (/^(comment|string|preamble)$/i.test(m[1]!)) return;
    const body = text.slice(m.index! + m[0].length, starts[i + 1]?.index ?? text.length);
    const field = (name: string) => {
      const f = new RegExp(`(?:^|[,\\s])${name}\\s*=\\s*[{"]\\s*([^}"]*?)\\s*[}"]`, 'i').exec(body);
      return f ? unverbatim(f[1]!).toLowerCase().replace(/^https?:\/\/(?:dx\.)?doi\.org\//, '') : null;
    };
    const doi = field('doi');
    const eprint = field('eprint')?.replace(/v\d+$/, '') ?? null;
    held.keys.set(m[2]!, { doi, eprint });
    if (doi) held.dois.add(doi);
    if (eprint) held.eprints.add(eprint);
  });
  return held;
}

/** A verbatim field's %-escapes read back (the reverse of `verbatim`). */
function unverbatim(text: string): string {
  return text.replace(/%([0-9A-F]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/**
 * The entries of `rows` that `held` lacks, with keys that do not clash with its keys: a paper
 * whose DOI or eprint the file holds is there already, and so is one whose key the file holds
 * for an entry that names neither (nothing tells it apart). `skipped` lists the ids left out.
 */
export function bibtexToAppend(rows: readonly PaperRow[], held: HeldEntries): { text: string; added: string[]; skipped: string[] } {
  const keyOf = createKeyAllocator(held.keys.keys());
  const entries: string[] = [];
  const added: string[] = [];
  const skipped: string[] = [];
  for (const row of rows) {
    const doi = (arxivDoi(row.id) ?? row.doi)?.toLowerCase() ?? null;
    const sameKey = held.keys.get(baseKey(row));
    const there =
      (doi !== null && held.dois.has(doi)) ||
      (row.doi !== null && held.dois.has(row.doi.toLowerCase())) ||
      (!isTitleId(row.id) && held.eprints.has(row.id.toLowerCase())) ||
      (sameKey !== undefined && sameKey.doi === null && sameKey.eprint === null);
    if (there) {
      skipped.push(row.id);
      continue;
    }
    // Later rows in this run must see this one as held too.
    if (doi) held.dois.add(doi);
    if (!isTitleId(row.id)) held.eprints.add(row.id.toLowerCase());
    entries.push(bibtexEntry(row, keyOf(row)));
    added.push(row.id);
  }
  return { text: entries.join('\n'), added, skipped };
}
