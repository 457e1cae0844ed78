/**
 * `papers grep`: JavaScript regular expressions over titles, abstracts, authors and
 * keywords. The pure parts live here: compiling the user's pattern, finding a literal
 * that every match must contain (so SQL can discard most rows before JS runs the
 * regex), and cutting excerpts around matches.
 */
import { UsageError } from './errors.js';

/** Fields grep can look in, as the user names them in `--in`. */
export const GREP_FIELDS = ['title', 'abstract', 'authors', 'keywords', 'body'] as const;
export type GrepField = (typeof GREP_FIELDS)[number];
/** The fields stored as plain text in `papers` (the full text is compressed elsewhere). */
export type ColumnField = Exclude<GrepField, 'body'>;

export interface GrepOptions {
  ignoreCase: boolean;
  word: boolean;
  fixed: boolean;
}

/** A compiled pattern plus the literal every match contains (for the SQL prefilter), if one is known. */
export interface CompiledPattern {
  regex: RegExp;
  /** A substring every match contains, or null when none could be proven. */
  literal: string | null;
  /** Whether every match is that literal and nothing else: finding it (case-blind: ASCII case only) decides. */
  exact: boolean;
  /**
   * Printable ASCII strings, as typed, one of which every match contains (either case with
   * `ignoreCase`), or null: what the search index is asked for.
   */
  alternatives: string[] | null;
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');

/**
 * Compile the user's pattern. With the `u` flag when the pattern allows it (so `.`
 * and classes work on characters, not UTF-16 halves); grep users write `\-` and
 * similar, which only the legacy syntax accepts, so fall back to it.
 */
export function compilePattern(pattern: string, opts: GrepOptions): CompiledPattern {
  if (pattern === '') throw new UsageError('empty pattern: give a regular expression, or -F TEXT for a fixed string');
  let source = opts.fixed ? escapeRegExp(pattern) : pattern;
  const folded = foldedSource(pattern, source, opts.fixed);
  if (folded) source = folded;
  if (opts.word) source = `(?<![\\p{L}\\p{N}_])(?:${source})(?![\\p{L}\\p{N}_])`;
  const flags = 'g' + (opts.ignoreCase ? 'i' : '');
  let regex: RegExp;
  try {
    regex = new RegExp(source, flags + 'u');
  } catch (unicodeErr) {
    try {
      // -w needs \p{…}, which only exists with the u flag.
      if (opts.word) throw unicodeErr;
      regex = new RegExp(source, flags);
    } catch (err) {
      const why = (err as Error).message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /, '');
      throw new UsageError(`invalid regular expression "${pattern}": ${why}`);
    }
  }
  // Typed or folded: no one literal is in every match.
  const literal = folded ? null : opts.fixed ? pattern : requiredLiteral(pattern);
  const found = literal && (opts.ignoreCase ? caselessLiteral(literal) : withoutNul(literal));
  // The whole pattern is plain text (not a word: -w adds boundaries), found as typed.
  const plain = opts.fixed ? literal === pattern : !/[.*+?^${}()|[\]\\]/.test(pattern) && literal === pattern;
  const alternatives = folded ? null : opts.fixed ? (/^[\x20-\x7e]+$/.test(pattern) ? [pattern] : null) : requiredAlternatives(pattern);
  return { regex, literal: found, exact: !opts.word && plain && found === literal, alternatives };
}

/**
 * The longest part of `literal` without a NUL (two characters or more), or null: SQLite's
 * GLOB and LIKE end a pattern at its first NUL, so `*\0aaa*` would be `*`, found everywhere.
 */
function withoutNul(literal: string): string | null {
  if (!literal.includes('\0')) return literal;
  const longest = literal.split('\0').reduce((a, b) => (b.length > a.length ? b : a), '');
  return longest.length >= 2 ? longest : null;
}

/**
 * A part of `literal` that SQLite's ASCII-only `lower()` finds wherever the case-blind
 * regex matches: ASCII only, and without k and s, which `/iu` also matches as the Kelvin
 * sign (U+212A) and the long s (U+017F).
 */
function caselessLiteral(literal: string): string | null {
  if (!/^[\x20-\x7e]*$/.test(literal)) return null;
  const longest = literal.split(/[ks]/i).reduce((a, b) => (b.length > a.length ? b : a), '');
  return longest.length >= 2 ? longest : null;
}

/**
 * The pattern as typed or in compatibility form (NFKC: `ﬁne` → `fine`, `ＧＰＴ` → `GPT`), as
 * search matches: `(?:typed)|(?:folded)`; null when folding changes nothing, or when the
 * alternation cannot mean the same (backreferences count groups; an invalid folded pattern).
 */
function foldedSource(pattern: string, source: string, fixed: boolean): string | null {
  const form = pattern.normalize('NFKC');
  if (form === pattern) return null;
  if (fixed) return `${source}|${escapeRegExp(form)}`;
  if (/\\[1-9]|\\k</.test(pattern)) return null;
  const either = `(?:${pattern})|(?:${form})`;
  for (const flags of ['u', '']) {
    try {
      new RegExp(either, flags);
      return either;
    } catch {
      // try the legacy syntax, as compilePattern does
    }
  }
  return null;
}

/**
 * The longest run of plain characters that every match of `pattern` must contain, or
 * null. Conservative on purpose: an alternation outside any group gives up (one inside a
 * group is skipped with the group: `multimodal (understanding|reasoning)` needs
 * "multimodal "), groups and classes break a run, a character followed by `?`, `*` or `{` is not required, and an escape that is not
 * a punctuation character (`\d`, `\x41`, `\u{1F600}`, `\p{L}`, `\k<n>`) breaks a run with
 * its arguments. Walks code points, so an astral character is required whole or not at all.
 */
export function requiredLiteral(pattern: string): string | null {
  if (/\p{Cs}/u.test(pattern)) return null;
  const cps = [...pattern];
  if (topLevelAlternation(cps)) return null;
  let best = '';
  let run = '';
  const flush = () => {
    if (run.length > best.length) best = run;
    run = '';
  };
  for (let i = 0; i < cps.length; i++) {
    const c = cps[i]!;
    let lit: string | null = null;
    if (c === '\\') {
      const e = cps[++i];
      // An escaped punctuation character stands for itself; \d, \w, \b, \p… do not.
      if (e !== undefined && SYNTAX_CHAR.test(e)) lit = e;
      else i = skipEscapeArguments(cps, i);
    } else if (c === '[' || c === '(') {
      flush();
      i = skipGroup(cps, i);
      continue;
    } else if (c === '{') {
      // A `{n,m}` quantifier: its digits are not text.
      const close = quantifierEnd(cps, i);
      flush();
      if (close > i) i = close;
      continue;
    } else if (!/[.*+?^$)\]}]/.test(c)) {
      lit = c;
    }
    const after = cps[i + 1];
    if (lit === null) {
      flush();
    } else if (after === '?' || after === '*' || after === '{') {
      // This character may be absent: the run ends before it.
      flush();
    } else {
      run += lit;
      if (after === '+') flush();
    }
  }
  flush();
  return best.length >= 2 ? best : null;
}

/** The most strings requiredAlternatives gives: each one is a lookup in the search index. */
const MAX_ALTERNATIVES = 16;

/** A regex item, as far as literal extraction cares: a character, a group's alternatives, or anything else. */
type Item = { kind: 'char'; text: string } | { kind: 'group'; alternatives: Piece[][] } | { kind: 'other' };
/** An item and how often it must occur: `min` 0 makes it optional, `once` says it occurs exactly once. */
interface Piece {
  item: Item;
  min: number;
  once: boolean;
}

/**
 * Printable ASCII strings one of which every match of `pattern` contains, or null when none
 * are known: `multimodal (understanding|reasoning)` gives "multimodal understanding" and
 * "multimodal reasoning", where requiredLiteral gives "multimodal ". The search index looks up
 * each (fts-words.ts). Conservative like requiredLiteral: classes, escapes other than escaped
 * punctuation, anchors and lookaround break a run; an optional item is skipped; a repeated one
 * ends a run and starts the next. Runs multiply out while they stay at most MAX_ALTERNATIVES
 * strings; the run whose shortest string is longest wins.
 */
export function requiredAlternatives(pattern: string): string[] | null {
  const cps = [...pattern];
  const parsed = parseAlternatives(cps, 0);
  if (parsed.end !== cps.length) return null;
  const found = requiredOfAlternatives(parsed.alternatives);
  if (!found || found.some((s) => !/^[\x20-\x7e]+$/.test(s))) return null;
  return shortest(found) >= 3 ? [...new Set(found)] : null;
}

const shortest = (set: string[]) => Math.min(...set.map((s) => s.length));

/** Parse alternatives from `start` up to an unmatched `)` or the end; `end` is where it stopped. */
function parseAlternatives(cps: string[], start: number): { alternatives: Piece[][]; end: number } {
  const alternatives: Piece[][] = [[]];
  let i = start;
  while (i < cps.length && cps[i] !== ')') {
    const c = cps[i]!;
    if (c === '|') {
      alternatives.push([]);
      i++;
      continue;
    }
    let item: Item;
    if (c === '\\') {
      const e = cps[i + 1];
      if (e !== undefined && SYNTAX_CHAR.test(e)) {
        item = { kind: 'char', text: e };
        i += 2;
      } else {
        item = { kind: 'other' };
        i = skipEscapeArguments(cps, i + 1) + 1;
      }
    } else if (c === '[') {
      item = { kind: 'other' };
      i = skipGroup(cps, i) + 1;
    } else if (c === '(') {
      // Lookaround matches no text: it neither adds to a run nor may be joined across.
      const look = /^\(\?<?[=!]/.test(cps.slice(i, i + 4).join(''));
      let body = i + 1;
      if (cps[i + 1] === '?') body = cps[i + 2] === '<' && !look ? cps.indexOf('>', i) + 1 : i + 3 + (look && cps[i + 2] === '<' ? 1 : 0);
      if (body <= i) return { alternatives, end: -1 };
      const inner = parseAlternatives(cps, body);
      if (inner.end < 0 || cps[inner.end] !== ')') return { alternatives, end: -1 };
      item = look ? { kind: 'other' } : { kind: 'group', alternatives: inner.alternatives };
      i = inner.end + 1;
    } else {
      // `.`, anchors, and a `{`, `}` or `]` that is not a quantifier: not text we can count on.
      item = /[.^$*+?{}\]]/.test(c) ? { kind: 'other' } : { kind: 'char', text: c };
      i++;
    }
    let min = 1;
    let once = true;
    const q = cps[i];
    if (q === '?' || q === '*' || q === '+') {
      min = q === '+' ? 1 : 0;
      once = false;
      i++;
    } else if (q === '{' && quantifierEnd(cps, i) > i) {
      const close = quantifierEnd(cps, i);
      const [lo, hi] = cps.slice(i + 1, close).join('').split(',');
      min = Number(lo);
      once = min === 1 && hi === undefined;
      i = close + 1;
    }
    if (!once && cps[i] === '?') i++; // lazy
    alternatives[alternatives.length - 1]!.push({ item, min, once });
  }
  return { alternatives, end: i };
}

/** Every string `pieces` can match, when they are few: characters and groups of such, each exactly once. */
function exactOf(pieces: Piece[]): string[] | null {
  let out = [''];
  for (const p of pieces) {
    const set = p.once ? exactOfItem(p.item) : null;
    if (!set || out.length * set.length > MAX_ALTERNATIVES) return null;
    out = out.flatMap((a) => set.map((b) => a + b));
  }
  return out;
}

function exactOfItem(item: Item): string[] | null {
  if (item.kind === 'char') return [item.text];
  if (item.kind === 'other') return null;
  const sets = item.alternatives.map(exactOf);
  if (sets.some((s) => s === null)) return null;
  const all = sets.flat() as string[];
  return all.length <= MAX_ALTERNATIVES ? all : null;
}

/** Strings one of which every match of one of `alternatives` contains: each alternative's, together. */
function requiredOfAlternatives(alternatives: Piece[][]): string[] | null {
  const sets = alternatives.map(requiredOf);
  if (sets.some((s) => s === null)) return null;
  const all = sets.flat() as string[];
  return all.length <= MAX_ALTERNATIVES ? all : null;
}

/** Strings one of which every match of the sequence `pieces` contains (see requiredAlternatives). */
function requiredOf(pieces: Piece[]): string[] | null {
  let best: string[] | null = null;
  const consider = (set: string[] | null) => {
    if (set && set.length > 0 && (best === null || shortest(set) > shortest(best))) best = set;
  };
  let run = [''];
  for (const p of pieces) {
    if (p.min === 0) {
      consider(run);
      run = [''];
      continue;
    }
    const set = exactOfItem(p.item);
    if (set === null) {
      consider(run);
      run = [''];
      if (p.item.kind === 'group') consider(requiredOfAlternatives(p.item.alternatives));
      continue;
    }
    if (run.length * set.length > MAX_ALTERNATIVES) {
      consider(run);
      run = [''];
    }
    run = run.flatMap((a) => set.map((b) => a + b));
    if (!p.once) {
      // Repeated: the run ends with its first occurrence, and the next starts with its last.
      consider(run);
      run = set;
    }
  }
  consider(run);
  return best;
}

/** Whether `|` occurs outside every group and class (escapes and classes skipped). */
function topLevelAlternation(cps: string[]): boolean {
  let depth = 0;
  for (let i = 0; i < cps.length; i++) {
    const c = cps[i];
    if (c === '\\') i++;
    else if (c === '[') {
      // A class ends at its first unescaped `]`; `|`, `(` and `)` inside it are characters.
      i++;
      while (i < cps.length && cps[i] !== ']') i += cps[i] === '\\' ? 2 : 1;
    } else if (c === '(') depth++;
    else if (c === ')') depth = Math.max(0, depth - 1);
    else if (c === '|' && depth === 0) return true;
  }
  return false;
}

const SYNTAX_CHAR = /[.*+?^${}()|[\]\\/\-]/;

/** Index of the last code point belonging to the escape whose letter is at `i` (`\xHH`, `\u{…}`, `\cX`, `\p{…}`, `\k<…>`, `\12`). */
function skipEscapeArguments(cps: string[], i: number): number {
  const e = cps[i];
  const upTo = (close: string) => {
    const j = cps.indexOf(close, i + 1);
    return j < 0 ? cps.length : j;
  };
  switch (e) {
    case 'x':
      return i + 2;
    case 'u':
      return cps[i + 1] === '{' ? upTo('}') : i + 4;
    case 'c':
      return i + 1;
    case 'p':
    case 'P':
      return cps[i + 1] === '{' ? upTo('}') : i;
    case 'k':
      return cps[i + 1] === '<' ? upTo('>') : i;
    default: {
      let j = i;
      if (e !== undefined && /\d/.test(e)) while (j + 1 < cps.length && /\d/.test(cps[j + 1]!)) j++;
      return j;
    }
  }
}

/** Index of the `}` ending a `{n}`, `{n,}` or `{n,m}` quantifier opened at `start`, or -1. */
function quantifierEnd(cps: string[], start: number): number {
  const m = /^\{\d+(?:,\d*)?\}/.exec(cps.slice(start, start + 40).join(''));
  return m ? start + [...m[0]].length - 1 : -1;
}

/** Index of the `]` or `)` closing the group or class opened at `start` (or the end). */
function skipGroup(p: string[], start: number): number {
  let depth = 0;
  for (let i = start; i < p.length; i++) {
    if (p[i] === '\\') {
      i++;
    } else if (p[i] === '[') {
      // A class ends at its first unescaped `]`; inside it `(`, `)` and `[` are characters.
      let j = i + 1;
      while (j < p.length && p[j] !== ']') j += p[j] === '\\' ? 2 : 1;
      if (p[start] === '[') return Math.min(j, p.length);
      i = j;
    } else if (p[i] === '(') {
      depth++;
    } else if (p[i] === ')' && --depth === 0) {
      // A quantifier after the group does not matter: the group's content was skipped anyway.
      return i;
    }
  }
  return p.length;
}

/** One match in one field. */
export interface GrepMatch {
  field: GrepField;
  index: number;
  text: string;
}

/**
 * The matches of `regex` in `text`: every non-empty one (up to `max`), or when there is
 * none, the first empty one, since a pattern such as `\b`, `^` or `x*` matches the text
 * by matching empty. Steps past an empty match by a whole code point under the `u` flag
 * (a step into a surrogate pair makes V8 match at the pair's start again, forever), so
 * it is linear in the text for any pattern that is itself linear.
 */
export function findMatches(regex: RegExp, field: GrepField, text: string, max = 1000): GrepMatch[] {
  const out: GrepMatch[] = [];
  let empty: GrepMatch | null = null;
  regex.lastIndex = 0;
  let m: RegExpExecArray | null;
  while (out.length < max && (m = regex.exec(text)) !== null) {
    if (m[0] === '') {
      empty ??= { field, index: m.index, text: '' };
      regex.lastIndex = nextIndex(text, m.index, regex.unicode);
      if (regex.lastIndex > text.length) break;
      continue;
    }
    out.push({ field, index: m.index, text: m[0] });
  }
  regex.lastIndex = 0;
  return out.length === 0 && empty ? [empty] : out;
}

/** Whether `regex` matches `text` at all (an empty match counts): all `-c` and `-l` need. */
export function matchesAny(regex: RegExp, text: string): boolean {
  regex.lastIndex = 0;
  const hit = regex.exec(text) !== null;
  regex.lastIndex = 0;
  return hit;
}

/** The index after the character at `i`: past a whole surrogate pair when matching by code points. */
function nextIndex(text: string, i: number, unicode: boolean): number {
  if (unicode && i + 1 < text.length) {
    const hi = text.charCodeAt(i);
    const lo = text.charCodeAt(i + 1);
    if (hi >= 0xd800 && hi <= 0xdbff && lo >= 0xdc00 && lo <= 0xdfff) return i + 2;
  }
  return i + 1;
}

/**
 * An excerpt of `text` around the matches, with each match wrapped in `open`/`close`
 * markers; nearby matches share one excerpt. `context` is the characters kept on each side.
 */
export function excerpt(text: string, matches: GrepMatch[], open: string, close: string, context = 60, maxPieces = 3): string {
  const pieces: string[] = [];
  let i = 0;
  while (i < matches.length && pieces.length < maxPieces) {
    const start = wordStart(text, Math.max(0, matches[i]!.index - context), matches[i]!.index);
    let end = matches[i]!.index + matches[i]!.text.length;
    let j = i;
    let body = '';
    let cursor = start;
    while (j < matches.length && matches[j]!.index <= end + context) {
      const m = matches[j]!;
      if (m.index < cursor) {
        j++;
        continue;
      }
      // An empty match (`\b`, `^`) has nothing to mark.
      body += text.slice(cursor, m.index) + (m.text ? open + m.text + close : '');
      cursor = m.index + m.text.length;
      end = cursor;
      j++;
    }
    const stop = wordEnd(text, Math.min(text.length, end + context), cursor);
    body += text.slice(cursor, stop);
    pieces.push((start > 0 ? '…' : '') + body.trim() + (stop < text.length ? '…' : ''));
    i = j;
  }
  return pieces.join(' ');
}

/** Move an excerpt's start forward to the next word start (not past `limit`), so no word is cut. */
function wordStart(text: string, at: number, limit: number): number {
  if (at === 0 || /\s/.test(text[at - 1]!)) return at;
  const space = text.slice(at, limit).search(/\s/);
  return space < 0 ? at : at + space + 1;
}

/** Move an excerpt's end back to the last word end (not before `limit`), so no word is cut. */
function wordEnd(text: string, at: number, limit: number): number {
  if (at >= text.length || /\s/.test(text[at]!)) return at;
  const space = text.slice(limit, at).search(/\s\S*$/);
  return space < 0 ? at : limit + space;
}

/** Parse `--in title,abstract,…`. */
export function parseFields(spec: string | undefined): GrepField[] {
  if (!spec) return ['title', 'abstract'];
  const fields = spec.split(',').map((s) => s.trim()).filter(Boolean);
  for (const f of fields) {
    if (!(GREP_FIELDS as readonly string[]).includes(f)) {
      throw new UsageError(`unknown field "${f}" in --in: use ${GREP_FIELDS.join(', ')}`);
    }
  }
  return [...new Set(fields)] as GrepField[];
}
