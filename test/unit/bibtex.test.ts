import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { emptyPaper, titleId } from '../../src/model.js';
import { arxivYearMonth, baseKey, bibtexEntry, bibtexToAppend, createKeyAllocator, escapeLatex, heldEntries, lastNameKey, titleWordKey, toBibtex } from '../../src/render/bibtex.js';
import type { PaperRow } from '../../src/model.js';

const row = (over: Partial<PaperRow> = {}): PaperRow => ({
  ...emptyPaper('2602.13515', 'SpargeAttention2: Trainable Sparse Attention via Hybrid Top-k+Top-p Masking'),
  authors: ['Jintao Zhang', 'Kai Jiang', 'Chendong Xiang'],
  publishedAt: '2026-02-13T17:59:58.000Z',
  listedOn: '2026-02-16',
  source: 'hf',
  rank: 1,
  ...over,
});

describe('toBibtex', () => {
  test('an arXiv paper: @misc with eprint, archivePrefix, primaryClass, url, doi, note', () => {
    const r = row({ primaryCategory: 'cs.LG', categories: ['cs.LG', 'cs.CV'], doi: '10.48550/arXiv.2602.13515', journalRef: 'ICML 2026' });
    expect(toBibtex([r])).toBe(`@misc{zhang2026spargeattention2,
  title = {{SpargeAttention2: Trainable Sparse Attention via Hybrid Top-k+Top-p Masking}},
  author = {Jintao Zhang and Kai Jiang and Chendong Xiang},
  year = {2026},
  month = feb,
  eprint = {2602.13515},
  archivePrefix = {arXiv},
  primaryClass = {cs.LG},
  url = {https://arxiv.org/abs/2602.13515},
  doi = {10.48550/arXiv.2602.13515},
  note = {ICML 2026}
}
`);
  });

  test('unknown fields are left out; primaryClass falls back to the first category; year, month and DOI come from the id', () => {
    const r = row({ authors: [], publishedAt: null, listedOn: null, categories: ['stat.ML', 'cs.LG'] });
    expect(bibtexEntry(r, 'k')).toBe(`@misc{k,
  title = {{SpargeAttention2: Trainable Sparse Attention via Hybrid Top-k+Top-p Masking}},
  year = {2026},
  month = feb,
  eprint = {2602.13515},
  archivePrefix = {arXiv},
  primaryClass = {stat.ML},
  url = {https://arxiv.org/abs/2602.13515},
  doi = {10.48550/arXiv.2602.13515}
}
`);
    expect(bibtexEntry(row({ categories: [] }), 'k')).not.toContain('primaryClass');
  });

  test('a title-only paper still gets an entry, with a note instead of eprint and url', () => {
    const r = row({ id: titleId('Magistral'), title: 'Magistral', authors: [], publishedAt: null, listedOn: '2025-06-10' });
    expect(toBibtex([r])).toBe(`@misc{anon2025magistral,
  title = {{Magistral}},
  year = {2025},
  note = {arXiv identifier unknown; listed on Hugging Face Daily Papers on 2025-06-10}
}
`);
  });

  test('entries are separated by a blank line, keys deduplicated in order and stable', () => {
    const rows = [row(), row({ id: '2602.00001' }), row({ id: '2602.00002' }), row({ id: '2602.00003', authors: ['Ada Lovelace'] })];
    const keys = (text: string) => [...text.matchAll(/^@misc\{([^,]+),$/gm)].map((m) => m[1]);
    const text = toBibtex(rows);
    expect(keys(text)).toEqual(['zhang2026spargeattention2', 'zhang2026spargeattention2a', 'zhang2026spargeattention2b', 'lovelace2026spargeattention2']);
    expect(text.split('\n}\n\n@misc{')).toHaveLength(4);
    expect(toBibtex(rows)).toBe(text);
  });

  test('the special characters of LaTeX are escaped in every field, and braces stay balanced', () => {
    const r = row({ title: 'Costs $5 & 100% of #1 a_b x^2 ~ {set} \\cmd', authors: ['Ann {Brace', 'Bob & Co'], journalRef: 'J. 50% {off' });
    const entry = bibtexEntry(r, 'k');
    expect(entry).toContain('title = {{Costs \\$5 \\& 100\\% of \\#1 a\\_b x\\^{}2 \\~{} \\{set\\} \\textbackslash{}cmd}},');
    expect(entry).toContain('author = {Ann \\{Brace and Bob \\& Co},');
    expect(entry).toContain('note = {J. 50\\% \\{off}');
  });

  test('names BibTeX would misparse are braced', () => {
    expect(bibtexEntry(row({ authors: ['Research and Development Team', 'A, B, C, D'] }), 'k')).toContain(
      'author = {{Research and Development Team} and {A, B, C, D}},',
    );
    expect(bibtexEntry(row({ authors: ['Zhang, Jintao'] }), 'k')).toContain('author = {Zhang, Jintao},');
  });

  test('url and doi are verbatim fields: specials kept, only braces, backslash, % and spaces encoded', () => {
    const entry = bibtexEntry(row({ id: titleId('x'), doi: '10.1000/a_b#c{d}\\e%f g' }), 'k');
    expect(entry).toContain('doi = {10.1000/a_b#c%7Bd%7D%5Ce%25f%20g}');
  });

  test('control characters and line breaks do not reach the file', () => {
    expect(bibtexEntry(row({ title: 'A\x1b[31m red\ntitle\u202e' }), 'k')).toContain('title = {{A red title}},');
  });

  test('any text gives an entry with balanced braces (BibTeX would reject anything else)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.array(fc.string({ unit: 'binary' }), { maxLength: 3 }), fc.string(), (title, authors, doi) => {
        const entry = bibtexEntry(row({ title, authors, doi, journalRef: title }), 'k');
        let depth = 0;
        for (let i = 0; i < entry.length; i++) {
          if (entry[i] === '\\') i++;
          else if (entry[i] === '{') depth++;
          else if (entry[i] === '}' && --depth < 0) return false;
        }
        return depth === 0;
      }),
    );
  });
});

describe('keys', () => {
  // [author, key part]
  test.each<[string, string]>([
    ['Jintao Zhang', 'zhang'],
    ['Zhang, Jintao', 'zhang'],
    ['José Núñez', 'nunez'],
    ['Jürgen Schmidhuber', 'schmidhuber'],
    ['Łukasz Kaiser', 'kaiser'],
    ['Søren Østergaard', 'ostergaard'],
    ['Thomas Weiß', 'weiss'],
    ['John Smith Jr.', 'smith'],
    ['Martin Luther King III', 'king'],
    ['van der Berg, Jan', 'vanderberg'],
    ['Ludwig van Beethoven', 'beethoven'],
    ["Conan O'Brien", 'obrien'],
    ['Karthik V', 'v'],
    ['Jean-Baptiste Alayrac', 'alayrac'],
    ['张三', ''],
    ['', ''],
  ])('last name of %j → %j', (name, key) => {
    expect(lastNameKey(name)).toBe(key);
  });

  // [title, word]
  test.each<[string, string]>([
    ['Attention Is All You Need', 'attention'],
    ['The Llama 3 Herd of Models', 'llama'],
    ['On the Dangers of Stochastic Parrots', 'dangers'],
    ['A Survey on Large Language Models', 'survey'],
    ['GPT-4 Technical Report', 'gpt'],
    ['3D Gaussian Splatting', '3d'],
    ["Don’t Stop Pretraining", 'dont'],
    ['Élan vital', 'elan'],
    ['The Of A', 'the'],
    ['', ''],
    ['深度学习', ''],
  ])('title word of %j → %j', (title, word) => {
    expect(titleWordKey(title)).toBe(word);
  });

  // [row, key]
  test.each<[Partial<PaperRow>, string]>([
    [{}, 'zhang2026spargeattention2'],
    [{ publishedAt: null }, 'zhang2026spargeattention2'],
    [{ publishedAt: '2027-01-02T00:00:00Z', listedOn: '2027-01-05' }, 'zhang2026spargeattention2'],
    [{ id: '2512.00001', publishedAt: '2025-12-31T00:00:00Z', listedOn: '2026-01-02' }, 'zhang2025spargeattention2'],
    [{ id: titleId('x'), publishedAt: null, listedOn: '2025-12-31' }, 'zhang2025spargeattention2'],
    [{ id: titleId('x'), publishedAt: null, listedOn: null }, 'zhangndspargeattention2'],
    [{ authors: [] }, 'anon2026spargeattention2'],
    [{ authors: ['张三', 'John Smith'] }, 'anon2026spargeattention2'],
    [{ id: '1706.03762', title: 'Attention Is All You Need', authors: ['Ashish Vaswani'], publishedAt: '2017-06-12T17:57:34Z' }, 'vaswani2017attention'],
    [{ id: 'hep-th/9901001', title: 'Strings', authors: ['Ed Witten'], publishedAt: null }, 'witten1999strings'],
  ])('%j → %s', (over, key) => {
    expect(baseKey(row(over))).toBe(key);
  });

  test('suffixes a…z, then aa; a key taken by another base is skipped', () => {
    const keyOf = createKeyAllocator();
    const keys = Array.from({ length: 27 }, () => keyOf(row()));
    expect(keys.slice(0, 3)).toEqual(['zhang2026spargeattention2', 'zhang2026spargeattention2a', 'zhang2026spargeattention2b']);
    expect(keys.slice(25)).toEqual(['zhang2026spargeattention2y', 'zhang2026spargeattention2z']);
    expect(keyOf(row())).toBe('zhang2026spargeattention2aa');

    const other = createKeyAllocator();
    // "x2026fooa" is a base key of its own here; the second "x2026foo" must not take it.
    expect(other(row({ authors: ['X'], title: 'Fooa' }))).toBe('x2026fooa');
    expect(other(row({ authors: ['X'], title: 'Foo' }))).toBe('x2026foo');
    expect(other(row({ authors: ['X'], title: 'Foo' }))).toBe('x2026foob');
    // Keys a file already holds are skipped like keys given in this run.
    expect(createKeyAllocator(['x2026foo'])(row({ authors: ['X'], title: 'Foo' }))).toBe('x2026fooa');
  });
});

describe('escapeLatex', () => {
  test.each<[string, string]>([
    ['plain', 'plain'],
    ['\\', '\\textbackslash{}'],
    ['{}', '\\{\\}'],
    ['$&%#_', '\\$\\&\\%\\#\\_'],
    ['^~', '\\^{}\\~{}'],
    ['  a \n b  ', 'a b'],
    ['Über café', 'Über café'],
  ])('%j → %j', (text, escaped) => {
    expect(escapeLatex(text)).toBe(escaped);
  });
});

describe('arxivYearMonth', () => {
  test.each<[string, { year: string; month: number } | null]>([
    ['2512.01234', { year: '2025', month: 12 }],
    ['2601.0001', { year: '2026', month: 1 }],
    ['0704.0001', { year: '2007', month: 4 }],
    ['hep-th/9901001', { year: '1999', month: 1 }],
    ['math.GT/0309136', { year: '2003', month: 9 }],
    ['2513.00001', null],
    ['title-abc', null],
  ])('%s → %j', (id, ym) => {
    expect(arxivYearMonth(id)).toEqual(ym);
  });
});

describe('appending to a .bib file', () => {
  const bib = `% my refs
@misc{zhang2026spargeattention2,
  title = {{SpargeAttention2}},
  doi = {10.48550/arXiv.2602.13515}
}

@article{Other:2020,
  title = "Other",
  eprint = "2001.00001v2",
}
@misc{lovelace2026spargeattention2, title={No ids}}
@comment{skipped, doi = {10.1/not-an-entry}}
`;

  test('keys, DOIs and eprints are read from braced and quoted fields; comments are not entries', () => {
    const held = heldEntries(bib);
    expect([...held.keys.keys()]).toEqual(['zhang2026spargeattention2', 'Other:2020', 'lovelace2026spargeattention2']);
    expect([...held.dois]).toEqual(['10.48550/arxiv.2602.13515']);
    expect([...held.eprints]).toEqual(['2001.00001']);
  });

  test('a paper held by DOI, eprint or an id-less entry of its key is skipped; a clash of keys gets a suffix', () => {
    const rows = [
      row(), // same DOI as the file
      row({ id: '2001.00001' }), // same eprint
      row({ id: '2602.00001', authors: ['Ada Lovelace'] }), // key held by an entry naming no id
      row({ id: '2602.00002' }), // a different paper with the file's first key
      row({ id: '2602.00002' }), // twice in one run: once
    ];
    const out = bibtexToAppend(rows, heldEntries(bib));
    expect(out.added).toEqual(['2602.00002']);
    expect(out.skipped).toEqual(['2602.13515', '2001.00001', '2602.00001', '2602.00002']);
    expect(out.text).toMatch(/^@misc\{zhang2026spargeattention2a,\n/);
    expect(out.text).toContain('doi = {10.48550/arXiv.2602.00002}');
  });

  test('an empty file holds nothing', () => {
    expect(bibtexToAppend([row()], heldEntries('')).added).toEqual(['2602.13515']);
  });
});
