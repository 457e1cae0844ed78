import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ExitCode, FormatError, NetworkError } from '../../src/errors.js';
import { arxivAtom, parseAtomPage, sniffAtom, type AtomOptions } from '../../src/sources/arxiv-atom.js';

const fixture = (name: string): string => readFileSync(new URL(`../../fixtures/arxiv/${name}`, import.meta.url), 'utf8');
const example = fixture('atom-example.xml');
const errorExample = fixture('atom-error-example.xml');
const page = fixture('atom-cs.LG-2026-03-09.xml');

const opts = (over: Partial<AtomOptions> = {}): AtomOptions => ({
  day: null,
  origin: 'api',
  now: new Date('2026-03-12T12:00:00Z'),
  ...over,
});

/** Parse and return the error thrown, failing the test when none is. */
function parseError(text: string, o: AtomOptions = opts()): Error & { exitCode?: number } {
  try {
    parseAtomPage(text, o);
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected parse to throw');
}

/** `text` with a part replaced; fails loudly if the part is gone. */
function edit(text: string, from: string | RegExp, to: string): string {
  const out = text.replace(from, to);
  expect(out).not.toBe(text);
  return out;
}

describe('sniffAtom', () => {
  it.each([
    ['the documented example', example, true],
    ['the error example', errorExample, true],
    ['a result page', page, true],
    ['an arXiv RSS feed', fixture('rss-cs.LG-2026-03-10.xml'), false],
    ['another Atom feed', '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Blog</title></feed>', false],
    ['an HTML page', '<!doctype html><html></html>', false],
  ])('%s → %s', (_, text, expected) => {
    expect(sniffAtom(text)).toBe(expected);
    expect(arxivAtom.sniff(text)).toBe(expected);
  });
});

describe("parseAtomPage: arXiv's documented example", () => {
  const result = parseAtomPage(example, opts());
  const { paper, listing } = result.listing.items[0]!;

  it('reads the paging numbers', () => {
    expect([result.total, result.start, result.perPage]).toEqual([1000, 0, 1]);
    expect(result.listing.items).toHaveLength(1);
    expect(result.listing.warnings).toEqual([]);
    expect(result.listing.format).toBe('arxiv-atom');
  });

  it('reads an old-style id; its version comes from the abs link', () => {
    expect(paper.id).toBe('hep-ex/0307015');
    expect(paper.version).toBe(1);
  });

  it('reads every field', () => {
    expect(paper.title).toBe('Multi-Electron Production at High Transverse Momenta in ep Collisions at HERA');
    expect(paper.authors).toEqual(['H1 Collaboration']);
    expect(paper.primaryCategory).toBe('hep-ex');
    expect(paper.categories).toEqual(['hep-ex']);
    expect(paper.arxivComments).toBe('23 pages, 8 figures and 4 tables');
    expect(paper.journalRef).toBe('Eur.Phys.J. C31 (2003) 17-29');
    expect(paper.doi).toBeNull();
    expect(paper.publishedAt).toBe('2003-07-07T17:46:39.000Z');
    expect(paper.updatedAt).toBe('2003-07-07T17:46:39.000Z');
    expect(paper.comments).toBeNull();
  });

  it('joins the hard-wrapped summary and keeps its TeX', () => {
    expect(paper.abstract.startsWith('Multi-electron production is studied at high electron transverse momentum in positron-')).toBe(true);
    expect(paper.abstract.endsWith('of 0.30 \\pm 0.04 and 0.23 \\pm 0.04, respectively.')).toBe(true);
    expect(paper.abstract).not.toContain('\n');
  });

  it('lists it on its publication day (UTC) under "arxiv"', () => {
    expect(listing).toEqual({ source: 'arxiv', day: '2003-07-07', rank: 1, upvotes: null });
  });

  it('is what arxivAtom.parse returns', () => {
    expect(arxivAtom.parse(example, opts())).toEqual(result.listing);
  });
});

describe('parseAtomPage: a page of a cs.LG day query', () => {
  const result = parseAtomPage(page, opts({ source: 'arxiv:cs.LG' }));
  const items = result.listing.items;

  it('reads the paging numbers: page 1 of 212 results, 4 per page', () => {
    expect([result.total, result.start, result.perPage]).toEqual([212, 0, 4]);
    expect(items).toHaveLength(4);
    expect(result.listing.warnings).toEqual([]);
  });

  it.each([
    // rank, id, version, published (UTC), updated (UTC), primary, categories
    [1, '2603.07901', 1, '2026-03-09T02:47:44.000Z', '2026-03-09T02:47:44.000Z', 'cs.RO', ['cs.RO', 'cs.AI', 'cs.LG']],
    [2, '2603.07980', 1, '2026-03-09T05:32:42.000Z', '2026-03-09T05:32:42.000Z', 'cs.CL', ['cs.CL', 'cs.AI', 'cs.LG']],
    [3, '2603.08660', 2, '2026-03-09T17:38:11.000Z', '2026-03-11T14:02:15.000Z', 'cs.LG', ['cs.LG', 'cs.CL']],
    [4, '2603.08706', 1, '2026-03-09T17:58:56.000Z', '2026-03-09T17:58:56.000Z', 'cs.LG', ['cs.LG', 'cs.AI', 'cs.CL']],
  ])('rank %i: %s v%i', (rank, id, version, published, updated, primary, categories) => {
    const { paper, listing } = items[rank - 1]!;
    expect(paper.id).toBe(id);
    expect(paper.version).toBe(version);
    expect(paper.publishedAt).toBe(published);
    expect(paper.updatedAt).toBe(updated);
    expect(paper.primaryCategory).toBe(primary);
    expect(paper.categories).toEqual(categories);
    // 2603.07901 was published at 22:47 on Mar 8 in New York: Mar 9 in UTC.
    expect(listing).toEqual({ source: 'arxiv:cs.LG', day: '2026-03-09', rank, upvotes: null });
  });

  it.each([
    ['2603.07901', '8 pages, 5 figures, submitted to IROS 2026', null, null],
    ['2603.07980', '39 pages, 12 figures', null, null],
    ['2603.08660', '30 pages; v2: fixed typos in Table 3', null, null],
    ['2603.08706', null, '10.48550/arXiv.2603.08706', 'Proceedings of the 43rd International Conference on Machine Learning (2026)'],
  ])('%s: comment %j, DOI %s, journal ref %s', (id, comment, doi, journalRef) => {
    const { paper } = items.find((x) => x.paper.id === id)!;
    expect(paper.arxivComments).toBe(comment);
    expect(paper.doi).toBe(doi);
    expect(paper.journalRef).toBe(journalRef);
  });

  it.each([
    ['2603.07901', 5, 'Ximeng Tao', 'Gaurav Pandey'],
    ['2603.07980', 23, 'Qianyu Yang', 'Yuan Gong'],
    ['2603.08660', 21, 'Bingxiang He', 'Ning Ding'],
    ['2603.08706', 6, 'Weize Liu', 'Furong Huang'],
  ])('%s: %i authors, %s … %s (names only, no affiliations)', (id, n, first, last) => {
    const { authors } = items.find((x) => x.paper.id === id)!.paper;
    expect(authors).toHaveLength(n);
    expect([authors[0], authors.at(-1)]).toEqual([first, last]);
  });

  it('decodes entities, keeps TeX, and joins a hard-wrapped summary', () => {
    expect(items[1]!.paper.title).toBe('\\$OneMillion-Bench: How Far are Language Agents from Human Experts?');
    const wrapped = items[2]!.paper.abstract;
    expect(wrapped.startsWith('Unsupervised reinforcement learning with verifiable rewards (URLVR) offers a pathway')).toBe(true);
    expect(wrapped).toContain("sharpening the model's initial distribution This sharpening mechanism");
    expect(wrapped).not.toContain('\n');
  });

  it('lists every entry on --date when given', () => {
    const dated = parseAtomPage(page, opts({ day: '2026-03-10' }));
    expect(dated.listing.items.map((x) => x.listing)).toEqual(
      [1, 2, 3, 4].map((rank) => ({ source: 'arxiv', day: '2026-03-10', rank, upvotes: null })),
    );
  });

  it('continues ranks across pages (rank = start + position)', () => {
    const third = edit(page, /(<opensearch:startIndex[^>]*>)0</, '$18<');
    expect(parseAtomPage(third, opts()).listing.items.map((x) => x.listing?.rank)).toEqual([9, 10, 11, 12]);
    expect(parseAtomPage(third, opts()).start).toBe(8);
  });
});

describe('parseAtomPage: empty and unusual pages', () => {
  it('an empty result is zero entries, not an error', () => {
    const empty = edit(edit(example, /<entry[\s\S]*<\/entry>/, ''), />1000</, '>0<');
    const result = parseAtomPage(empty, opts());
    expect(result.listing.items).toEqual([]);
    expect([result.total, result.start, result.perPage]).toEqual([0, 0, 1]);
  });

  it('without opensearch numbers the page stands alone', () => {
    const bare = edit(page, /\s*<opensearch:[^\n]*/g, '');
    expect(bare).not.toContain('opensearch:total');
    const result = parseAtomPage(bare, opts());
    expect([result.total, result.start, result.perPage]).toEqual([4, 0, 4]);
  });

  it('an entry without an arXiv id is skipped with a warning', () => {
    const odd = edit(page, 'http://arxiv.org/abs/2603.07980v1</id>', 'urn:uuid:1234</id>');
    const result = parseAtomPage(odd, opts());
    expect(result.listing.items.map((x) => x.paper.id)).toEqual(['2603.07901', '2603.08660', '2603.08706']);
    expect(result.listing.items.map((x) => x.listing?.rank)).toEqual([1, 3, 4]);
    expect(result.listing.warnings).toEqual(['api: entry 2 has no arXiv id or no title; skipped']);
  });
});

describe('parseAtomPage: errors', () => {
  it('the API error feed is a remote error (exit 3) carrying its text', () => {
    const err = parseError(errorExample);
    expect(err).toBeInstanceOf(NetworkError);
    expect(err.exitCode).toBe(ExitCode.Network);
    expect(err.message).toBe('arXiv API error: incorrect id format for 1234.12345');
    expect(() => arxivAtom.parse(errorExample, opts())).toThrow(NetworkError);
  });

  it('a paper that happens to be titled "Error" is a paper', () => {
    const titled = edit(example, /(<title xmlns="http:\/\/www.w3.org\/2005\/Atom">)Multi-Electron[^<]*</, '$1Error<');
    expect(parseAtomPage(titled, opts()).listing.items[0]!.paper.title).toBe('Error');
  });

  it.each([
    ['cut inside an entry', page.slice(0, page.indexOf('</summary>')), /not well-formed XML \(line \d+: the document ends inside <summary>\)/],
    ['cut between entries', page.slice(0, page.lastIndexOf('<entry')), /ends inside <feed>/],
    ['an RSS feed', fixture('rss-cs.LG-2026-03-14-weekend.xml'), /not an Atom feed \(the document is <rss>/],
    ['an HTML error page', '<html><body><h1>502 Bad Gateway</h1></body></html>', /not an Atom feed/],
    ['a bad count', example.replace(/>1000</, '>lots<'), /<opensearch:totalResults> is "lots", not a count/],
    ['a bad timestamp', example.replace('2003-07-07T13:46:39-04:00</published>', 'yesterday</published>'), /<published> "yesterday" is not an ISO 8601 time/],
    ['no entry with an id', page.replace(/http:\/\/arxiv\.org\/abs\/[^<]+<\/id>/g, 'x</id>'), /no entry carries an arXiv id/],
  ])('%s → FormatError (exit 4), one line', (_, text, message) => {
    const err = parseError(text);
    expect(err).toBeInstanceOf(FormatError);
    expect(err.exitCode).toBe(ExitCode.Format);
    expect(err.message).toMatch(message);
    expect(err.message.startsWith('api: ')).toBe(true);
    expect(err.message).not.toContain('\n');
  });
});
