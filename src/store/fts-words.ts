/**
 * The words of the indexed text, unstemmed, in `fts_words` (schema 18): how grep uses the
 * search index for a substring. A literal every match contains is found inside some word of
 * the text; the words holding the literal are few, and the index finds their papers at once,
 * where a scan reads every abstract.
 *
 * The index keeps its tokens stemmed (porter), so they cannot be read back from it; the words
 * are split here. A word is a run of characters between separators, where a separator is a
 * character the index's tokenizer (unicode61) certainly splits on: ASCII but letters and
 * digits, and the punctuation, spaces and arrows of a few blocks (a test checks every one
 * against FTS5). Any other character stays in the word, so a word is one token of the index
 * or several in a row, and the index, asked for it as a phrase, finds every paper holding it.
 * The text is split as the index reads it, CJK characters spaced (cjk.ts).
 *
 * Every word of every indexed paper is in the table, written in the transaction that indexes
 * the paper (write.ts, fts-backlog.ts); a word no paper holds any more stays, which costs a
 * lookup, never a missed paper. Papers not indexed yet (a bulk import's backlog) are read by
 * grep whatever their words. ASCII letters are stored lower-case.
 */
import type Database from 'better-sqlite3';
import { spaceCjk } from './cjk.js';

// Not db.ts's Db (the same type): schema.ts calls fillWords, and db.ts imports schema.ts.
type Db = Database.Database;

/** Characters unicode61 always splits on; each one is checked against FTS5 by test/unit/fts-words.test.ts. */
export const SEPARATOR_CLASS =
  '\\u0000-\\u002f\\u003a-\\u0040\\u005b-\\u0060\\u007b-\\u00a9\\u00ab-\\u00b1\\u00b4\\u00b6-\\u00b8\\u00bb\\u00bf' +
  '\\u2000-\\u2064\\u206a-\\u206f\\u2190-\\u22ff\\u3000-\\u3004\\u3008-\\u3020\\u302a-\\u3030\\u3036-\\u3037\\u303d-\\u303f' +
  '\\uff01-\\uff0f\\uff1a-\\uff20\\uff3b-\\uff40\\uff5b-\\uff65';

/** The shortest ASCII fragment grep looks up: shorter ones are in too many words to pay. */
export const MIN_FRAGMENT = 3;
/** More words than this hold the fragment: a lookup would read about as much as a scan. */
export const MAX_WORDS = 400;

/** 1 for each UTF-16 code unit in SEPARATOR_CLASS (not the surrogates: an astral character stays in its word). */
let separatorTable: Uint8Array | null = null;
function separators(): Uint8Array {
  if (separatorTable) return separatorTable;
  separatorTable = new Uint8Array(0x10000);
  for (const m of SEPARATOR_CLASS.matchAll(/\\u([0-9a-f]{4})(?:-\\u([0-9a-f]{4}))?/g)) {
    const from = parseInt(m[1]!, 16);
    separatorTable.fill(1, from, (m[2] ? parseInt(m[2], 16) : from) + 1);
  }
  return separatorTable;
}

/** `text` with its ASCII letters lower-case (others as they are: their case is the index's business). */
const lowerAscii = (text: string) => (/^[\x00-\x7f]*$/.test(text) ? text.toLowerCase() : text.replace(/[A-Z]+/g, (s) => s.toLowerCase()));

/**
 * The distinct words of many texts. An import reads about 250 words a paper, nearly all seen
 * before: each is looked up by a hash computed while scanning, against the text itself, and
 * becomes a string only the first time (a Set takes a new string of every word: twice as slow).
 */
export class WordSet {
  readonly words: string[] = [];
  private hashes = new Int32Array(1 << 11);
  private slots = new Int32Array(1 << 12);

  /** Add the words of `text`: as stored, or `spaced` as the index is given it (cjk.ts). */
  add(text: string, spaced = false): void {
    if (text === '') return;
    const s = lowerAscii(spaced ? text : spaceCjk(text));
    const sep = separators();
    const n = s.length;
    let start = -1;
    let hash = 0;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (sep[c] === 0) {
        if (start < 0) {
          start = i;
          hash = 0x811c9dc5;
        }
        hash = Math.imul(hash ^ c, 0x01000193);
      } else if (start >= 0) {
        this.addWord(s, start, i, hash);
        start = -1;
      }
    }
    if (start >= 0) this.addWord(s, start, n, hash);
  }

  private addWord(s: string, start: number, end: number, hash: number): void {
    const mask = this.slots.length - 1;
    const len = end - start;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const at = this.slots[slot]!;
      if (at === 0) break;
      // Same hash, length and characters: the same word.
      if (this.hashes[at - 1] === hash) {
        const word = this.words[at - 1]!;
        if (word.length === len && s.startsWith(word, start)) return;
      }
    }
    const k = this.words.length;
    // A copy of its own: a slice of 13 characters or more would keep the whole text alive.
    this.words.push(len < 13 ? s.slice(start, end) : [...s.slice(start, end)].join(''));
    if (k === this.hashes.length) {
      const grown = new Int32Array(k * 2);
      grown.set(this.hashes);
      this.hashes = grown;
    }
    this.hashes[k] = hash;
    if ((k + 1) * 2 > this.slots.length) {
      this.slots = new Int32Array(this.slots.length * 2);
      for (let i = 0; i <= k; i++) this.place(i);
    } else {
      this.place(k);
    }
  }

  private place(k: number): void {
    const mask = this.slots.length - 1;
    let slot = this.hashes[k]! & mask;
    while (this.slots[slot] !== 0) slot = (slot + 1) & mask;
    this.slots[slot] = k + 1;
  }
}

// The words this connection committed to fts_words. Nothing removes words, so these need no
// second insert while the connection lives; capped, so a long import's memory stays bounded.
const committed = new WeakMap<Db, Set<string>>();
const COMMITTED_CAP = 500_000;

/**
 * Store `words` not stored yet, inside the caller's write transaction; returns a function to
 * call once it committed (so a rolled-back word is never taken for stored).
 */
export function storeWords(db: Db, words: readonly string[]): () => void {
  const known = committed.get(db);
  const fresh = known ? words.filter((w) => !known.has(w)) : [...words];
  if (fresh.length > 0) {
    const insert = db.prepare<[string]>('INSERT OR IGNORE INTO fts_words (word) VALUES (?)');
    // In order: each insert lands next to the last one in the B-tree.
    for (const w of fresh.sort()) insert.run(w);
  }
  return () => {
    let set = committed.get(db);
    if (!set || set.size + fresh.length > COMMITTED_CAP) committed.set(db, (set = new Set()));
    for (const w of fresh) set.add(w);
  };
}

/** The words of the papers with pk in [from, to), read as stored. */
export function wordsOfRange(db: Db, from: number, to: number): string[] {
  const words = new WordSet();
  const rows = db.prepare<[number, number], string[]>('SELECT title, abstract, authors, keywords FROM papers WHERE pk >= ? AND pk < ?').raw(true);
  for (const r of rows.iterate(from, to)) for (const text of r) words.add(text ?? '');
  return words.words;
}

/** Papers read per WordSet when fts_words is filled: memory stays that of a chunk's words. */
const FILL_CHUNK = 50_000;

/** Store the words of every paper (the migration that creates fts_words), a chunk of papers at a time. */
export function fillWords(db: Db): void {
  const { lo, hi } = db.prepare<[], { lo: number | null; hi: number | null }>('SELECT (SELECT min(pk) FROM papers) AS lo, (SELECT max(pk) FROM papers) AS hi').get()!;
  if (lo === null || hi === null) return;
  for (let from = lo; from <= hi; from += FILL_CHUNK) storeWords(db, wordsOfRange(db, from, from + FILL_CHUNK));
}

/**
 * The stored words holding `fragment` (ASCII letters and digits, any case), or null when more
 * than MAX_WORDS do.
 */
export function wordsHolding(db: Db, fragment: string): string[] | null {
  const found = db.prepare<[string, number], string>('SELECT word FROM fts_words WHERE word LIKE ? LIMIT ?').pluck().all(`%${fragment}%`, MAX_WORDS + 1);
  return found.length > MAX_WORDS ? null : found;
}

/** More phrases than this for one literal: too many lookups to pay. */
export const MAX_PHRASES = 400;

/**
 * The phrases the search index is asked for to find every paper holding `literal` (printable
 * ASCII; either case with `ignoreCase`), or null when the lookup would not pay. A literal
 * within one word (`sparsity`) lies inside a word of the text: the words holding it. One that
 * spans words (`sparse attention`, `state-of-the-art`) is a word ending with its first part,
 * the words of its middle parts, and a word starting with its last part, in a row: each such
 * sequence is a phrase. A first or last part that too many words end or start with is left
 * out (the phrase finds more papers, never fewer). Case-blind: ASCII letters are stored
 * lower-case, and `/iu` also matches k and s as the Kelvin sign and the long s.
 */
export function phrasesOf(db: Db, literal: string, ignoreCase: boolean): string[] | null {
  const parts = literal.toLowerCase().split(/[^a-z0-9]+/);
  const glob = (part: string) => (ignoreCase ? part.replace(/k/g, '[k\u212a]').replace(/s/g, '[s\u017f]') : part);
  const words = db.prepare<[string, number], string>('SELECT word FROM fts_words WHERE word GLOB ? LIMIT ?').pluck();
  const matching = (pattern: string) => {
    const found = words.all(pattern, MAX_WORDS + 1);
    return found.length > MAX_WORDS ? null : found;
  };
  if (parts.length === 1) return parts[0]!.length >= MIN_FRAGMENT ? matching(`*${glob(parts[0]!)}*`) : null;
  const first = parts[0]!;
  const last = parts[parts.length - 1]!;
  // Per position in the phrase, the words that can stand there; null: any (left out).
  let before = first === '' ? null : matching(`*${glob(first)}`);
  let after = last === '' ? null : matching(`${glob(last)}*`);
  const middle: string[][] = [];
  for (const part of parts.slice(1, -1)) {
    const exact = matching(glob(part));
    if (exact === null) return null;
    middle.push(exact);
  }
  const count = (lists: string[][]) => lists.reduce((n, l) => n * l.length, 1);
  const inner = count(middle);
  if (before && after && inner * before.length * after.length > MAX_PHRASES) {
    if (before.length > after.length) before = null;
    else after = null;
  }
  if (before && inner * before.length > MAX_PHRASES) before = null;
  if (after && inner * after.length > MAX_PHRASES) after = null;
  const lists = [...(before ? [before] : []), ...middle, ...(after ? [after] : [])];
  if (lists.length === 0 || count(lists) > MAX_PHRASES) return null;
  return lists.reduce<string[]>((phrases, list) => phrases.flatMap((p) => list.map((w) => (p === '' ? w : `${p} ${w}`))), ['']);
}

/** The longest run of ASCII letters and digits in `literal`, when it is long enough to look up. */
export function fragmentOf(literal: string): string | null {
  const runs = literal.match(/[A-Za-z0-9]+/g) ?? [];
  const best = runs.reduce((a, b) => (b.length > a.length ? b : a), '');
  return best.length >= MIN_FRAGMENT ? best : null;
}

/** An FTS5 query for papers holding any of `words` in `columns` (each word a phrase). */
export function anyWordQuery(words: string[], columns: string[], allColumns: boolean): string {
  const phrases = words.map((w) => `"${w.replace(/"/g, '""')}"`).join(' OR ');
  return allColumns ? phrases : `{${columns.join(' ')}} : (${phrases})`;
}
