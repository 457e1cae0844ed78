/**
 * The words grep looks a literal up in (store/fts-words.ts). What must hold: a character taken
 * as a separator is one for the search index's tokenizer too (else a word would be split where
 * the index is not, and the index, asked for part of its token, would miss the paper); and
 * every word of every stored paper is in fts_words after each way papers are written.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { emptyPaper, titleId, type Paper, type ParsedListing } from '../../src/model.js';
import { openDatabase, type Db } from '../../src/store/db.js';
import { backlog, buildBacklog, indexChunkBeside, WordsWorkerError } from '../../src/store/fts-backlog.js';
import { spaceCjk } from '../../src/store/cjk.js';
import { anyWordQuery, fragmentOf, phrasesOf, SEPARATOR_CLASS, wordsHolding, wordsOfRange, WordSet } from '../../src/store/fts-words.js';
import { absorbPaper, storeListing } from '../../src/store/write.js';

const now = new Date('2025-06-10T08:00:00Z');
const tempDb = () => openDatabase(join(mkdtempSync(join(tmpdir(), 'papers-words-')), 'papers.db'));
const listing = (papers: Paper[]): ParsedListing => ({ format: 'test', warnings: [], items: papers.map((paper) => ({ paper, listing: null })) });
/** The words of `text` the plain way: split at runs of separators, ASCII lower-cased, distinct. */
const reference = (text: string) =>
  [...new Set(spaceCjk(text).replace(/[A-Z]/g, (c) => c.toLowerCase()).split(new RegExp(`[${SEPARATOR_CLASS}]+`)))].filter((w) => w !== '');
const wordsOf = (...texts: string[]) => {
  const set = new WordSet();
  for (const t of texts) set.add(t);
  return set.words;
};

/** The words of the indexed papers (all but a bulk import's backlog) that fts_words lacks. */
function missingWords(db: Db): string[] {
  const words = new Set<string>();
  const from = backlog(db)?.fromPk ?? Number.MAX_SAFE_INTEGER;
  for (const r of db.prepare('SELECT title, abstract, authors, keywords FROM papers WHERE pk < ?').raw(true).iterate(from) as IterableIterator<string[]>) for (const t of r) for (const w of reference(t)) words.add(w);
  const stored = new Set(db.prepare('SELECT word FROM fts_words').pluck().all() as string[]);
  return [...words].filter((w) => !stored.has(w));
}

/** Every code point of a regex character class made of `\uXXXX` and `\uXXXX-\uXXXX`. */
function codePointsOf(cls: string): number[] {
  const out: number[] = [];
  for (const m of cls.matchAll(/\\u([0-9a-f]{4})(?:-\\u([0-9a-f]{4}))?/g)) {
    const from = parseInt(m[1]!, 16);
    const to = m[2] ? parseInt(m[2], 16) : from;
    for (let c = from; c <= to; c++) out.push(c);
  }
  return out;
}

describe('the separators', () => {
  it('are each a separator to the search index tokenizer, as papers_fts declares it', () => {
    const db = tempDb();
    const declared = db.prepare("SELECT sql FROM sqlite_schema WHERE name = 'papers_fts'").pluck().get() as string;
    const tokenize = /tokenize\s*=\s*'([^']+)'/.exec(declared)![1]!;
    db.exec(`CREATE VIRTUAL TABLE temp.probe USING fts5(x, tokenize='${tokenize}')`);
    const insert = db.prepare('INSERT INTO temp.probe (rowid, x) VALUES (?, ?)');
    const chars = codePointsOf(SEPARATOR_CLASS);
    expect(chars.length).toBeGreaterThan(600);
    db.transaction(() => chars.forEach((c) => insert.run(c + 1, `qa${String.fromCodePoint(c)}qb`)))();
    // Split: both halves are tokens of their own. Not split, the row would hold one token "qa…qb".
    const split = new Set((db.prepare("SELECT rowid - 1 FROM temp.probe WHERE probe MATCH 'qa AND qb'").pluck().all() as number[]));
    expect(chars.filter((c) => !split.has(c)).map((c) => c.toString(16))).toEqual([]);
  });

  it('include neither letters, digits, marks nor private-use characters, which the index keeps in its tokens', () => {
    const glue = new RegExp(`[${SEPARATOR_CLASS}]`);
    for (const c of ['a', 'Z', '0', 'é', '\u0301', '\uE000', 'ß', 'я', '模', '\u212A', '\u017F']) expect(glue.test(c), c).toBe(false);
  });
});

describe('WordSet', () => {
  it('splits where the index certainly does, lower-cases ASCII only, and spaces CJK as the index reads it', () => {
    expect(wordsOf('Sparse-Attention, GPT‑4o (snake_case) 100%')).toEqual(['sparse', 'attention', 'gpt', '4o', 'snake', 'case', '100']);
    expect(wordsOf('CAFÉ cafe\u0301 Model\uE000X \u212Aelvin ÉCOLE')).toEqual(['cafÉ', 'cafe\u0301', 'model\uE000x', '\u212Aelvin', 'École']);
    expect(wordsOf('多模态Model理解')).toEqual(['多', '模', '态', 'model', '理', '解']);
    expect(wordsOf('Ada Lovelace\nAlan Turing')).toEqual(['ada', 'lovelace', 'alan', 'turing']);
    expect(wordsOf('')).toEqual([]);
  });

  it('gives the distinct words of many texts, in order of first sight, as a plain split does (through its table growing)', () => {
    const texts = Array.from({ length: 3000 }, (_, i) => `Word${i % 1700} w${i}x, ${i % 3 ? 'Shared' : 'shared'}\u00A0text—模型${i % 5}\uE000${i}`);
    expect(wordsOf(...texts)).toEqual([...new Set(texts.flatMap(reference))]);
    // A word, its prefix, its reverse, repeated: each once.
    expect(wordsOf('ab ba ab aab')).toEqual(['ab', 'ba', 'aab']);
  });

  it('fragmentOf takes the longest ASCII run of letters and digits, three or more', () => {
    expect(fragmentOf('state-of-the-art')).toBe('state');
    expect(fragmentOf('multimodal ')).toBe('multimodal');
    expect(fragmentOf('ab-cd')).toBeNull();
    expect(fragmentOf('模态理解')).toBeNull();
  });

  it('anyWordQuery asks for each word as a phrase, in the searched columns', () => {
    expect(anyWordQuery(['model', 'models'], ['title', 'abstract'], false)).toBe('{title abstract} : ("model" OR "models")');
    expect(anyWordQuery(['model'], ['title', 'abstract', 'authors', 'keywords'], true)).toBe('"model"');
  });
});

describe('fts_words holds every word of every paper', () => {
  it('through inserts, merges that change the text, a bulk import backlog built, and an absorbed title-only paper', () => {
    const db = tempDb();
    const a = { ...emptyPaper('2506.00001', 'Wombat Burrows'), abstract: 'Marsupial digging, 模型.', authors: ['Ada Lovelace'], version: 1 };
    storeListing(db, listing([a]), { now });
    expect(missingWords(db)).toEqual([]);
    expect(wordsHolding(db, 'arsupia')).toEqual(['marsupial']);
    // A new version changes the abstract: its words arrive with it.
    storeListing(db, listing([{ ...a, abstract: 'Nocturnal herbivores.', version: 2 }]), { now });
    expect(missingWords(db)).toEqual([]);
    expect(wordsHolding(db, 'nocturnal')).toEqual(['nocturnal']);
    // A bulk batch leaves its papers unindexed, and their words unstored until the backlog is built.
    const bulk = [{ ...emptyPaper(titleId('Platypus Venom'), 'Platypus Venom'), abstract: 'Spurs.' }, { ...emptyPaper('2506.00003', 'Echidna spines'), keywords: ['Monotremes'] }];
    storeListing(db, listing(bulk), { now, bulk: true });
    expect(wordsHolding(db, 'platypus')).toEqual([]);
    expect(missingWords(db)).toEqual([]);
    buildBacklog(db, { chunk: 1 });
    expect(backlog(db)).toBeNull();
    expect(missingWords(db)).toEqual([]);
    expect(wordsHolding(db, 'monotreme')).toEqual(['monotremes']);
    db.transaction(() => absorbPaper(db, titleId('Platypus Venom'), '2506.00004'))();
    expect(missingWords(db)).toEqual([]);
    // Words no paper holds any more stay: a lookup too many, never a paper missed.
    expect(wordsHolding(db, 'marsupial')).toEqual(['marsupial']);
  });

  it('a backlog chunk indexed beside a words worker stores its words; a worker failure rolls the chunk back whole', async () => {
    const db = tempDb();
    const papers = Array.from({ length: 5 }, (_, i) => ({ ...emptyPaper(`2506.0000${i}`, `Paper ${i}`), abstract: `Burrowing wombat${i}, 模型.` }));
    storeListing(db, listing(papers), { now, bulk: true });
    const before = backlog(db)!;
    const fts = () => db.prepare("SELECT count(*) FROM papers_fts WHERE papers_fts MATCH 'burrowing'").pluck().get();
    // The worker fails: nothing of the chunk stays, and the backlog is where it was.
    await expect(indexChunkBeside(db, () => Promise.reject(new WordsWorkerError('gone')), 2)).rejects.toThrow(WordsWorkerError);
    expect(db.inTransaction).toBe(false);
    expect(backlog(db)).toEqual(before);
    expect(fts()).toBe(0);
    // The worker's words come from a connection of its own, as words-worker.ts reads them.
    const other = openDatabase(db.name);
    for (let done = false; !done; ) done = (await indexChunkBeside(db, async (from, to) => wordsOfRange(other, from, to), 2)).done;
    other.close();
    expect(backlog(db)).toBeNull();
    expect(fts()).toBe(5);
    expect(missingWords(db)).toEqual([]);
    expect(wordsHolding(db, 'wombat')).toEqual(['wombat0', 'wombat1', 'wombat2', 'wombat3', 'wombat4']);
  });

  it('a failed write stores none of its words, and a later write of the same words stores them', () => {
    const db = tempDb();
    const p = { ...emptyPaper('2506.00001', 'Quokka smiles'), abstract: 'Islands.' };
    db.exec("CREATE TRIGGER fail BEFORE INSERT ON fetches BEGIN SELECT RAISE(ABORT, 'disk said no'); END");
    expect(() => storeListing(db, listing([p]), { now, fetch: { source: 'hf', period: '2025-06-09', status: 'ok' } })).toThrow(/disk said no/);
    expect(db.prepare('SELECT count(*) FROM fts_words').pluck().get()).toBe(0);
    db.exec('DROP TRIGGER fail');
    storeListing(db, listing([p]), { now });
    expect(missingWords(db)).toEqual([]);
  });

  it('wordsHolding gives up (null) when too many words hold the fragment', () => {
    const db = tempDb();
    const many = Array.from({ length: 450 }, (_, i) => `prefix${i}suffix`).join(' ');
    storeListing(db, listing([{ ...emptyPaper('2506.00001', 'Many words'), abstract: many }]), { now });
    expect(wordsHolding(db, 'suffix')).toBeNull();
    expect(wordsHolding(db, 'prefix12suffix')).toEqual(['prefix12suffix']);
  });
});

describe('phrasesOf: what the index is asked for to find a literal', () => {
  const db = tempDb();
  const abstract = 'Multimodal understanding, nonmultimodal understandings and multimodal reasoning. State-of-the-art kelvin \u212Aelvin \u017Ftate. ' +
    Array.from({ length: 450 }, (_, i) => `the${i}`).join(' ');
  storeListing(db, listing([{ ...emptyPaper('2506.00001', 'Phrases'), abstract }]), { now });
  const sorted = (xs: string[] | null) => xs && [...xs].sort();

  it('a literal within one word: the words holding it', () => {
    expect(sorted(phrasesOf(db, 'modal', false))).toEqual(['multimodal', 'nonmultimodal']);
    expect(phrasesOf(db, 'zzz', false)).toEqual([]);
    // Too short to pay, or in too many words.
    expect(phrasesOf(db, 'mu', false)).toBeNull();
    expect(phrasesOf(db, 'the', false)).toBeNull();
  });

  it('a literal across words: a word ending with its first part, its middle words, a word starting with its last', () => {
    expect(sorted(phrasesOf(db, 'multimodal underst', false))).toEqual(['multimodal understanding', 'multimodal understandings', 'nonmultimodal understanding', 'nonmultimodal understandings']);
    expect(sorted(phrasesOf(db, 'e-of-the-a', false))).toEqual(['state of the and', 'state of the art', 'the of the and', 'the of the art', '\u017Ftate of the and', '\u017Ftate of the art']);
    expect(sorted(phrasesOf(db, 'Multimodal Reasoning', true))).toEqual(['multimodal reasoning', 'nonmultimodal reasoning']);
    // A middle word no paper holds: no paper holds the literal.
    expect(phrasesOf(db, 'state zebra the', false)).toEqual([]);
    // A last part too many words start with is left out; with nothing left, null.
    expect(phrasesOf(db, 'of the', false)).toEqual(['of']);
    expect(phrasesOf(db, ' the', false)).toBeNull();
  });

  it('case-blind, k and s are also the Kelvin sign and the long s', () => {
    const variants = ['art kelvin kelvin', 'art kelvin \u212Aelvin', 'art \u212Aelvin kelvin', 'art \u212Aelvin \u212Aelvin'].flatMap((p) => [`${p} state`, `${p} \u017Ftate`]);
    expect(sorted(phrasesOf(db, 'art kelvin kelvin state', true))).toEqual(sorted(variants));
    // Case-sensitive, k and s are themselves (the words, stored lower-case, are found either way).
    expect(phrasesOf(db, 'art kelvin kelvin state', false)).toEqual(['art kelvin kelvin state']);
  });
});
