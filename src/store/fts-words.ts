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
