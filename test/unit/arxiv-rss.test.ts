import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ExitCode, FormatError, InputError, NetworkError } from '../../src/errors.js';
import { arxivRss, inCategory, parseRssFeed, sniffRss, type RssOptions } from '../../src/sources/arxiv-rss.js';

const fixture = (name: string): string => readFileSync(new URL(`../../fixtures/arxiv/${name}`, import.meta.url), 'utf8');
const single = fixture('rss-cs.LG-2026-03-10.xml');
const union = fixture('rss-cs.LG+cs.CL-2026-03-10.xml');
const weekend = fixture('rss-cs.LG-2026-03-14-weekend.xml');

const opts = (over: Partial<RssOptions> = {}): RssOptions => ({
  day: null,
  origin: 'cs.LG.xml',
  now: new Date('2026-03-12T12:00:00Z'),
  ...over,
});

/** Parse and return the error thrown, failing the test when none is. */
function parseError(text: string, o: RssOptions = opts()): Error & { exitCode?: number } {
  try {
    parseRssFeed(text, o);
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected parse to throw');
}

/** The fixture with one substring replaced; fails loudly if the substring is gone. */
function edit(text: string, from: string | RegExp, to: string): string {
  const out = text.replace(from, to);
  expect(out).not.toBe(text);
  return out;
}

describe('sniffRss', () => {
  it.each([
    ['the cs.LG feed', single, true],
    ['the weekend feed', weekend, true],
    ['an API Atom page', fixture('atom-example.xml'), false],
    ['an HTML page', '<!doctype html><html><head><title>arXiv</title></head></html>', false],
    ['a JSON listing', '[{"paper":{"id":"2603.08706"}}]', false],
    ['another RSS feed', '<?xml version="1.0"?><rss version="2.0"><channel><title>Blog</title></channel></rss>', false],
  ])('%s → %s', (_, text, expected) => {
    expect(sniffRss(text)).toBe(expected);
    expect(arxivRss.sniff(text)).toBe(expected);
  });
});

describe('parseRssFeed: a weekday cs.LG feed (new, cross, replace, replace-cross)', () => {
  const feed = parseRssFeed(single, opts());
  const byId = new Map(feed.listing.items.map((x) => [x.paper.id, x]));

  it('reads the announcement day from the channel pubDate and the category from the channel', () => {
    expect(feed.day).toBe('2026-03-10');
    expect(feed.categories).toEqual(['cs.LG']);
    expect(feed.listing.format).toBe('arxiv-rss');
    expect(feed.listing.warnings).toEqual([]);
    expect(feed.listing.items).toHaveLength(10);
  });

  it.each([
    // rank, id, version, announce type, primary (known only for new/replace), categories
    [1, '2603.08706', 1, 'new', 'cs.LG', ['cs.LG', 'cs.AI', 'cs.CL']],
    [2, '2603.08660', 1, 'new', 'cs.LG', ['cs.LG', 'cs.CL']],
    [3, '2603.07475', 1, 'new', 'cs.LG', ['cs.LG', 'cs.CL']],
    [4, '2603.07300', 1, 'new', 'cs.LG', ['cs.LG', 'cs.AI']],
    [5, '2603.08709', 1, 'cross', null, ['cs.CV', 'cs.LG']],
    [6, '2603.07980', 1, 'cross', null, ['cs.CL', 'cs.AI', 'cs.LG']],
    [7, '2603.07901', 1, 'cross', null, ['cs.RO', 'cs.AI', 'cs.LG']],
    [8, '2602.21320', 2, 'replace', 'cs.LG', ['cs.LG', 'cs.AI']],
    [9, '2508.15881', 3, 'replace', 'cs.LG', ['cs.LG', 'cs.DC']],
    [10, '2411.19477', 4, 'replace-cross', null, ['cs.CL', 'cs.AI', 'cs.LG']],
  ])('rank %i: %s v%i (%s), primary %s', (rank, id, version, type, primary, categories) => {
    const item = feed.listing.items[rank - 1]!;
    expect(item.paper.id).toBe(id);
    expect(item.paper.version).toBe(version);
    expect(item.announceType).toBe(type);
    expect(item.paper.primaryCategory).toBe(primary);
    expect(item.paper.categories).toEqual(categories);
    expect(item.listing).toEqual({ source: 'arxiv:cs.LG', day: '2026-03-10', rank, upvotes: null });
  });

  it.each([
    ['2603.07475', 'Skip to the Good Part: Representation Structure & Inference-Time Layer Skipping in Diffusion vs. Autoregressive LLMs'],
    // TeX stays as arXiv has it; the hard line break of the title goes.
    ['2508.15881', 'TPLA: Tensor Parallel Latent Attention for Efficient Disaggregated Prefill \\& Decode Inference'],
    ['2603.07980', '\\$OneMillion-Bench: How Far are Language Agents from Human Experts?'],
    ['2411.19477', 'A Simple and Provable Scaling Law for the Test-Time Compute of Large Language Models'],
  ])('%s: title with entities decoded and TeX kept', (id, title) => {
    expect(byId.get(id)!.paper.title).toBe(title);
  });

  it('takes the abstract after "Abstract:", with entities decoded and hard wraps joined', () => {
    const abstract = byId.get('2411.19477')!.paper.abstract;
    expect(abstract.startsWith('We propose a general two-stage algorithm that enjoys a provable scaling law for the test-time')).toBe(true);
    expect(abstract).toContain('probability p_{gen} > 0 and a comparison');
    expect(abstract).toContain('$P(final output is incorrect) le (1 - p_{gen})^N + lceil log_2 N rceil e^{-2 K (p_{comp} - 0.5)^2}.$');
    expect(abstract.endsWith('gains from scaling up its test-time compute.')).toBe(true);
    for (const { paper } of feed.listing.items) {
      expect(paper.abstract).not.toMatch(/Announce Type|^Abstract:|\n/);
      expect(paper.abstract.length).toBeGreaterThan(500);
    }
  });

  it.each([
    ['2603.08660', 21, 'Bingxiang He', 'Ning Ding'],
    // Affiliations come in parentheses, with their own commas.
    ['2603.07901', 5, 'Ximeng Tao', 'Gaurav Pandey'],
    ['2602.21320', 6, 'Emre Can Acikgoz', 'Gokhan Tur'],
    ['2603.07980', 23, 'Qianyu Yang', 'Yuan Gong'],
  ])('%s: %i authors in order, %s … %s', (id, n, first, last) => {
    const { authors } = byId.get(id)!.paper;
    expect(authors).toHaveLength(n);
    expect(authors[0]).toBe(first);
    expect(authors.at(-1)).toBe(last);
    expect(authors.join('|')).not.toMatch(/[()]/);
  });

  it('keeps non-ASCII author names', () => {
    expect(byId.get('2602.21320')!.paper.authors.slice(2, 5)).toEqual(['Jonas Hübotter', 'Heng Ji', 'Dilek Hakkani-Tür']);
  });

  it.each([
    ['2508.15881', '10.48550/arXiv.2508.15881', 'Proceedings of MLSys 2026'],
    ['2411.19477', null, 'Transactions on Machine Learning Research (2026)'],
    ['2603.08706', null, null],
  ])('%s: DOI %s, journal ref %s', (id, doi, journalRef) => {
    const { paper } = byId.get(id)!;
    expect(paper.doi).toBe(doi);
    expect(paper.journalRef).toBe(journalRef);
  });

  it('leaves what the feed does not carry unknown', () => {
    for (const { paper } of feed.listing.items) {
      expect(paper.arxivComments).toBeNull();
      expect(paper.publishedAt).toBeNull();
      expect(paper.updatedAt).toBeNull();
      expect(paper.upvotes).toBeNull();
      expect(paper.comments).toBeNull();
    }
  });

  it('is what arxivRss.parse returns', () => {
    expect(arxivRss.parse(single, opts())).toEqual(feed.listing);
  });
});

describe('parseRssFeed: a two-category feed (cs.LG+cs.CL)', () => {
  const feed = parseRssFeed(union, opts({ origin: 'union.xml' }));
  const entries = feed.listing.items.map((x) => [x.listing?.source, x.listing?.rank, x.paper.id]);

  it('reads both categories from the channel', () => {
    expect(feed.categories).toEqual(['cs.LG', 'cs.CL']);
    expect(feed.day).toBe('2026-03-10');
    expect(feed.listing.warnings).toEqual([]);
  });

  it('lists each paper under every requested category it is in, ranked per category in feed order', () => {
    expect(entries).toEqual([
      ['arxiv:cs.LG', 1, '2603.08706'],
      ['arxiv:cs.CL', 1, '2603.08706'],
      ['arxiv:cs.LG', 2, '2603.08660'],
      ['arxiv:cs.CL', 2, '2603.08660'],
      ['arxiv:cs.CL', 3, '2603.08655'],
      ['arxiv:cs.CL', 4, '2603.08013'],
      ['arxiv:cs.LG', 3, '2603.07980'],
      ['arxiv:cs.CL', 5, '2603.07980'],
      ['arxiv:cs.LG', 4, '2603.07300'],
      ['arxiv:cs.LG', 5, '2603.08709'],
      ['arxiv:cs.CL', 6, '2603.07888'],
      ['arxiv:cs.LG', 6, '2508.15881'],
      ['arxiv:cs.LG', 7, '2411.19477'],
      ['arxiv:cs.CL', 7, '2411.19477'],
    ]);
  });

  it.each([
    // `new`/`replace` means the primary is requested; it is known when only one item category is.
    ['2603.08655', 'cs.CL'],
    ['2603.08013', 'cs.CL'],
    ['2603.07300', 'cs.LG'],
    ['2508.15881', 'cs.LG'],
    ['2603.08706', null],
    ['2603.07980', null],
    ['2411.19477', null],
    ['2603.07888', null],
  ])('%s: primary category %s', (id, primary) => {
    expect(feed.listing.items.find((x) => x.paper.id === id)!.paper.primaryCategory).toBe(primary);
  });

  it('infers the categories from the channel title when the links are gone', () => {
    const noLinks = edit(edit(union, /<link>http:\/\/rss[^<]*<\/link>/, ''), /<atom:link[^>]*\/>/, '');
    expect(parseRssFeed(noLinks, opts()).categories).toEqual(['cs.LG', 'cs.CL']);
  });

  it('uses the requested categories when given, and fails when nothing names them', () => {
    const anonymous = edit(
      edit(edit(union, /<link>http:\/\/rss[^<]*<\/link>/, ''), /<atom:link[^>]*\/>/, ''),
      '<title>cs.LG, cs.CL updates on arXiv.org</title>',
      '<title>arXiv</title>',
    );
    expect(parseRssFeed(anonymous, opts({ categories: ['cs.LG', 'cs.CL'] })).listing.items).toHaveLength(14);
    const err = parseError(anonymous);
    expect(err).toBeInstanceOf(FormatError);
    expect(err.message).toMatch(/cannot tell which arXiv categories/);
  });

  it('keeps a paper in none of the requested categories without a listing, and says so', () => {
    const stray = edit(union, '<category>cs.CV</category>\n      <category>cs.LG</category>', '<category>cs.CV</category>');
    const result = parseRssFeed(stray, opts({ origin: 'union.xml' }));
    const item = result.listing.items.find((x) => x.paper.id === '2603.08709')!;
    expect(item.listing).toBeNull();
    expect(result.listing.warnings).toEqual(['union.xml: 2603.08709 is in none of cs.LG, cs.CL; stored without a listing']);
  });
});

describe('parseRssFeed: weekends and holidays', () => {
  it('an empty feed with skipDays is an empty day, not an error', () => {
    const feed = parseRssFeed(weekend, opts());
    expect(feed.day).toBe('2026-03-14');
    expect(feed.categories).toEqual(['cs.LG']);
    expect(feed.listing.items).toEqual([]);
    expect(feed.listing.warnings).toEqual([]);
  });

  it('an empty feed without a date is still not an error', () => {
    const feed = parseRssFeed(edit(weekend, /<pubDate>[^<]*<\/pubDate>/, ''), opts());
    expect(feed.day).toBeNull();
    expect(feed.listing.items).toEqual([]);
  });
});

describe('parseRssFeed: the day', () => {
  const undated = single.replace(/\s*<pubDate>[^<]*<\/pubDate>/g, '');

  it('the feed date wins over --date', () => {
    expect(parseRssFeed(single, opts({ day: '2026-01-01' })).day).toBe('2026-03-10');
  });

  it('falls back to the first item date, then to --date', () => {
    const channelUndated = edit(single, /<pubDate>Tue[^<]*<\/pubDate>/, '');
    expect(parseRssFeed(channelUndated, opts()).day).toBe('2026-03-10');
    const feed = parseRssFeed(undated, opts({ day: '2026-03-10' }));
    expect(feed.listing.items.every((x) => x.listing?.day === '2026-03-10')).toBe(true);
  });

  it('is a usage error (exit 2) when neither the feed nor --date gives it', () => {
    const err = parseError(undated);
    expect(err).toBeInstanceOf(InputError);
    expect(err.exitCode).toBe(ExitCode.Usage);
    expect(err.message).toBe('cs.LG.xml: the feed carries no date; pass --date YYYY-MM-DD');
  });

  it.each([
    ['Tue, 10 Mar 2026 00:00:00 -0400', '2026-03-10'],
    ['Mon, 09 Mar 2026 23:30:00 -0500', '2026-03-10'],
    ['Tue, 10 Mar 2026 00:00:00 +0000', '2026-03-10'],
    ['10 Mar 2026 00:00 GMT', '2026-03-10'],
  ])('pubDate %s is the UTC day %s', (pubDate, day) => {
    expect(parseRssFeed(single.replace(/<pubDate>Tue[^<]*<\/pubDate>/, `<pubDate>${pubDate}</pubDate>`), opts()).day).toBe(day);
  });

  it('an unreadable feed date is a format change (exit 4)', () => {
    const err = parseError(edit(single, /<pubDate>Tue[^<]*<\/pubDate>/, '<pubDate>2026-03-10</pubDate>'));
    expect(err).toBeInstanceOf(FormatError);
    expect(err.exitCode).toBe(ExitCode.Format);
  });
});

describe('parseRssFeed: ids', () => {
  it('reads an old-style id and its version from the guid', () => {
    const old = edit(
      edit(single, 'oai:arXiv.org:2603.08706v1', 'oai:arXiv.org:hep-th/9901001v2'),
      '<link>https://arxiv.org/abs/2603.08706</link>',
      '<link>https://arxiv.org/abs/hep-th/9901001</link>',
    );
    const item = parseRssFeed(old, opts()).listing.items[0]!;
    expect([item.paper.id, item.paper.version]).toEqual(['hep-th/9901001', 2]);
  });

  it('falls back to the description when the guid is missing', () => {
    const noGuid = edit(single, '<guid isPermaLink="false">oai:arXiv.org:2603.08706v1</guid>', '');
    const item = parseRssFeed(noGuid, opts()).listing.items[0]!;
    expect([item.paper.id, item.paper.version]).toEqual(['2603.08706', 1]);
  });

  it('skips an item with no id anywhere, with a warning', () => {
    const broken = single
      .replace('oai:arXiv.org:2603.08706v1', 'oai:arXiv.org:nothing')
      .replace('arXiv:2603.08706v1 Announce', 'arXiv:nothing Announce')
      .replace('https://arxiv.org/abs/2603.08706<', 'https://arxiv.org/abs/nothing<');
    const feed = parseRssFeed(broken, opts());
    expect(feed.listing.items.map((x) => x.paper.id)).not.toContain('2603.08706');
    expect(feed.listing.items[0]!.listing!.rank).toBe(1);
    expect(feed.listing.warnings).toEqual(['cs.LG.xml: item 1 has no arXiv id or no title; skipped']);
  });

  it('fails as a format change when no item has an id', () => {
    const err = parseError(single.replace(/oai:arXiv\.org:[^<]+/g, '').replace(/arXiv:\S+ Announce/g, 'Announce').replace(/abs\/[^<]+/g, 'abs/'));
    expect(err).toBeInstanceOf(FormatError);
    expect(err.message).toMatch(/no item carries an arXiv id/);
  });
});

describe('parseRssFeed: errors', () => {
  // The shape of arxiv-feed's serialize_error (HTTP 400): no items, the reason in the description.
  const errorFeed = `<?xml version='1.0' encoding='UTF-8'?>
<rss xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom" version="2.0">
  <channel>
    <title>Feed error for query: https://rss.arxiv.org/rss/cs.XX</title>
    <link>https://rss.arxiv.org/rss/cs.XX</link>
    <description>Bad archive/category: cs.XX</description>
    <language>en-us</language>
    <pubDate>Tue, 10 Mar 2026 00:00:00 -0400</pubDate>
  </channel>
</rss>`;

  it('an arXiv error feed is a remote error (exit 3) carrying its text', () => {
    const err = parseError(errorFeed);
    expect(err).toBeInstanceOf(NetworkError);
    expect(err.exitCode).toBe(ExitCode.Network);
    expect(err.message).toBe('arXiv RSS error: Bad archive/category: cs.XX');
  });

  const cut = (at: number): string => single.slice(0, at);
  it.each([
    ['cut inside an item', cut(single.indexOf('Abstract: Unsupervised')), /line \d+: the document ends inside <description>/],
    ['cut after an item', cut(single.indexOf('<item>', single.indexOf('</item>'))), /ends inside <channel>/],
    ['cut inside a tag', cut(single.indexOf('<guid') + 10), /a malformed tag or an unescaped "<"/],
    ['cut before </rss>', single.replace('</rss>', ''), /ends inside <rss>/],
    ['mismatched tags', single.replace('</title>', '</titel>'), /<\/titel> where <\/title> was expected/],
    ['an unescaped "<"', single.replace('Agentic Critical Training', 'Agentic < Critical'), /unescaped "<"/],
    ['an HTML error page', '<!DOCTYPE html>\n<html><head><title>503</title></head><body>Service Unavailable</body></html>', /not an RSS feed \(the document is <html>/],
    ['plain text', 'Service Unavailable', /text before the root element/],
    ['an old RSS 1.0 (RDF) feed', '<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"></rdf:RDF>', /the document is <rdf:RDF>/],
    ['a feed without a channel', '<?xml version="1.0"?><rss version="2.0"></rss>', /without a <channel>/],
    ['two roots', `${weekend}<rss></rss>`, /a second root element/],
  ])('%s → FormatError (exit 4), one line', (_, text, message) => {
    const err = parseError(text);
    expect(err).toBeInstanceOf(FormatError);
    expect(err.exitCode).toBe(ExitCode.Format);
    expect(err.message).toMatch(message);
    expect(err.message.startsWith('cs.LG.xml: ')).toBe(true);
    expect(err.message).not.toContain('\n');
  });

  it('refuses a category that is not one', () => {
    const err = parseError(single, opts({ categories: ['cs LG;'] }));
    expect(err).toBeInstanceOf(InputError);
  });
});

describe('inCategory', () => {
  it.each([
    ['cs.LG', 'cs.LG', true],
    ['cs.LG', 'cs.CL', false],
    ['cs.LG', 'cs.LGX', false],
    // archive feeds hold their categories
    ['cs', 'cs.LG', true],
    ['math', 'math-ph', false],
    ['hep-th', 'hep-th', true],
    // arXiv's aliases
    ['eess.SY', 'cs.SY', true],
    ['cs.SY', 'eess.SY', true],
    ['math.ST', 'stat.TH', true],
    ['stat.ML', 'cs.LG', false],
  ])('%s holds %s: %s', (want, cat, expected) => {
    expect(inCategory(want, cat)).toBe(expected);
  });
});
