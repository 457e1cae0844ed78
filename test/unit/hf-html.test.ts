import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ExitCode, FormatError, InputError } from '../../src/errors.js';
import { normalizeLine, normalizeParagraphs } from '../../src/model.js';
import { CARDS_ONLY_WARNING, hfHtml } from '../../src/sources/hf-html.js';
import { hfJson } from '../../src/sources/hf-json.js';
import type { ParseOptions } from '../../src/sources/types.js';

const fixture = (name: string): string => readFileSync(new URL(`../../fixtures/${name}`, import.meta.url), 'utf8');
const page = fixture('hf-html/2025-06-09.html');
const cardsOnly = fixture('hf-html/cards-only.html');
const layoutChanged = fixture('hf-html/layout-changed.html');
const apiText = fixture('hf-api/hfdp-ml_2025-06-09.json');

interface ApiItem {
  paper: { id: string; title: string; summary: string; upvotes: number; authors: unknown[]; submittedOnDailyAt?: string };
  numComments: number;
}
const api = JSON.parse(apiText) as ApiItem[];

const opts = (over: Partial<ParseOptions> = {}): ParseOptions => ({
  day: null,
  origin: 'page.html',
  now: new Date('2025-07-01T12:00:00Z'),
  ...over,
});

// Svelte SSR escaping of attribute values.
const esc = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
const island = (props: unknown, target = 'DailyPapers'): string =>
  `<div class="SVELTE_HYDRATER contents" data-target="${target}" data-props="${esc(JSON.stringify(props))}"></div>`;
const html = (body: string, head = ''): string => `<!doctype html><html><head>${head}</head><body>${body}</body></html>`;

/** A copy of an API item with its `submittedOnDailyAt` removed (as in 2024-era items) or replaced. */
function item(i: number, submittedOnDailyAt?: string): ApiItem {
  const copy = structuredClone(api[i]!);
  delete copy.paper.submittedOnDailyAt;
  if (submittedOnDailyAt) copy.paper.submittedOnDailyAt = submittedOnDailyAt;
  return copy;
}

/** Parse and return the error thrown, failing the test when none is. */
function parseError(text: string, o: ParseOptions = opts()): Error {
  try {
    hfHtml.parse(text, o);
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected parse to throw');
}

describe('hfHtml.sniff', () => {
  it.each([
    ['<!doctype html><html>', true],
    ['\n  <html>', true],
    ['\uFEFF<!DOCTYPE html>', true],
    ['[{"paper":{}}]', false],
    ['Daily Papers\nJun 9', false],
    ['', false],
  ])('%j → %s', (text, expected) => {
    expect(hfHtml.sniff(text)).toBe(expected);
  });
});

describe('hfHtml.parse: embedded DailyPapers data (2025-06-09.html)', () => {
  const result = hfHtml.parse(page, opts());

  it('imports all 12 papers from the JSON, not the 4 rendered cards', () => {
    expect(result.format).toBe('hf-html');
    expect(result.items).toHaveLength(12);
    expect(result.warnings).toEqual([]);
  });

  it.each(api.map((a, i) => [i + 1, a.paper.id, a] as const))('rank %i is %s with exact title, abstract, upvotes', (rank, id, a) => {
    const { paper, listing } = result.items[rank - 1]!;
    expect(paper.id).toBe(id);
    expect(paper.title).toBe(normalizeLine(a.paper.title));
    expect(paper.abstract).toBe(normalizeParagraphs(a.paper.summary));
    expect(paper.authors).toHaveLength(a.paper.authors.length);
    expect(paper.upvotes).toBe(a.paper.upvotes);
    expect(paper.comments).toBe(a.numComments);
    expect(listing).toEqual({ source: 'hf', day: '2025-06-09', rank, upvotes: a.paper.upvotes });
  });

  it('gives the same papers and listings as the API JSON', () => {
    const fromApi = hfJson.parse(apiText, opts());
    expect(result.items).toEqual(fromApi.items);
  });

  it('decodes &quot; &#39; inside the props (apostrophes in abstracts)', () => {
    const hashiru = result.items.find((x) => x.paper.id === '2506.04255')!;
    expect(hashiru.paper.abstract).toContain("HASHIRU's capabilities");
  });
});

describe('hfHtml.parse: listing day', () => {
  const body = (items: ApiItem[], extra: Record<string, unknown> = {}): string => html(island({ dailyPapers: items, ...extra }));
  const cases: Array<[string, string, Partial<ParseOptions>, string[]]> = [
    ['item submittedOnDailyAt wins over --date', body([item(0, '2025-06-09T07:27:12.232Z')]), { day: '2025-06-12' }, ['2025-06-09']],
    ['--date when items have no day', body([item(0), item(1)], { dateString: '2025-06-09' }), { day: '2025-06-12' }, ['2025-06-12', '2025-06-12']],
    ['props dateString when no --date', body([item(0)], { dateString: '2025-06-09', periodType: 'day' }), {}, ['2025-06-09']],
    [
      'canonical URL as the last resort',
      html(island({ dailyPapers: [item(0)] }), '<link rel="canonical" href="https://huggingface.co/papers/date/2025-06-10">'),
      {},
      ['2025-06-10'],
    ],
    ['mixed: each item its own day', body([item(0, '2025-06-09T01:00:00Z'), item(1)], { dateString: '2025-06-10' }), {}, ['2025-06-09', '2025-06-10']],
  ];
  it.each(cases)('%s', (_name, text, over, days) => {
    expect(hfHtml.parse(text, opts(over)).items.map((x) => x.listing?.day)).toEqual(days);
  });

  it('refuses a day page with no day anywhere (InputError, exit 2)', () => {
    const err = parseError(body([item(0)]));
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).exitCode).toBe(ExitCode.Usage);
    expect(err.message).toBe('page.html: cannot tell the listing day; pass --date YYYY-MM-DD');
  });
});

describe('hfHtml.parse: week and month pages', () => {
  const week = (items: ApiItem[]): string =>
    html(island({ dailyPapers: items, dateString: '2025-W24', periodType: 'week' }), '<link rel="canonical" href="https://huggingface.co/papers/date/2025-06-09">');

  it('asks for --date when the items carry no day', () => {
    const err = parseError(week([item(0), item(1)]));
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).exitCode).toBe(ExitCode.Usage);
    expect(err.message).toBe('page.html: this is a week page (2025-W24) and its papers carry no listing day; pass --date YYYY-MM-DD');
  });

  it('lists every paper on --date, ranked in page order', () => {
    const r = hfHtml.parse(week([item(0), item(1), item(2)]), opts({ day: '2025-06-13' }));
    expect(r.items.map((x) => [x.paper.id, x.listing?.day, x.listing?.rank])).toEqual([
      ['2505.21115', '2025-06-13', 1],
      ['2506.01111', '2025-06-13', 2],
      ['2506.05984', '2025-06-13', 3],
    ]);
  });

  it('ranks papers per day when the items carry their days', () => {
    const items = [item(0, '2025-06-10T08:00:00Z'), item(1, '2025-06-09T08:00:00Z'), item(2, '2025-06-10T09:00:00Z'), item(3, '2025-06-09T09:00:00Z')];
    const r = hfHtml.parse(week(items), opts());
    expect(r.items.map((x) => [x.paper.id, x.listing?.day, x.listing?.rank])).toEqual([
      ['2505.21115', '2025-06-10', 1],
      ['2506.01111', '2025-06-09', 1],
      ['2506.05984', '2025-06-10', 2],
      ['2506.05629', '2025-06-09', 2],
    ]);
  });
});

describe('hfHtml.parse: escaping and island discovery', () => {
  it('round-trips < > & " \' through the escaped props', () => {
    const tricky = item(0, '2025-06-09T01:00:00Z');
    tricky.paper.title = 'A <b>bold</b> & "quoted" model\'s title';
    tricky.paper.summary = 'x < y && y > z; it\'s "fine" &amp; literal';
    const r = hfHtml.parse(html(island({ dailyPapers: [tricky] })), opts());
    expect(r.items[0]!.paper.title).toBe('A <b>bold</b> & "quoted" model\'s title');
    expect(r.items[0]!.paper.abstract).toBe('x < y && y > z; it\'s "fine" &amp; literal');
  });

  it('finds the listing in a renamed island, skipping unrelated islands', () => {
    const body = island({ isLoggedIn: false }, 'MainHeader') + island({ dailyPapers: [item(0, '2025-06-09T01:00:00Z')] }, 'DailyPapersPage');
    const r = hfHtml.parse(html(body), opts());
    expect(r.items.map((x) => x.paper.id)).toEqual(['2505.21115']);
    expect(r.warnings).toEqual([]);
  });

  it('returns an empty listing for a page that lists no papers', () => {
    const r = hfHtml.parse(html(island({ dailyPapers: [], dateString: '2025-06-08', periodType: 'day' })), opts());
    expect(r.items).toEqual([]);
  });
});

describe('hfHtml.parse: cards only (cards-only.html)', () => {
  const result = hfHtml.parse(cardsOnly, opts());

  it('imports ids, titles and upvotes of all 12 cards, with a warning', () => {
    expect(result.warnings).toEqual([CARDS_ONLY_WARNING]);
    expect(result.items.map((x) => x.paper.id)).toEqual(api.map((a) => a.paper.id));
  });

  it.each(api.map((a, i) => [i + 1, a.paper.id, a] as const))('card %i (%s): title, upvotes (not comments), no abstract', (rank, _id, a) => {
    const { paper, listing } = result.items[rank - 1]!;
    expect(paper.title).toBe(normalizeLine(a.paper.title));
    expect(paper.abstract).toBe('');
    expect(paper.authors).toEqual([]);
    expect(paper.upvotes).toBe(a.paper.upvotes);
    expect(listing).toEqual({ source: 'hf', day: '2025-06-09', rank, upvotes: a.paper.upvotes });
  });

  it('uses --date over the page address', () => {
    const r = hfHtml.parse(cardsOnly, opts({ day: '2025-06-10' }));
    expect(new Set(r.items.map((x) => x.listing?.day))).toEqual(new Set(['2025-06-10']));
  });

  const card = (href: string, title: string, extra = ''): string => `<article>${extra}<h3><a href="${href}">${title}</a></h3></article>`;
  const cases: Array<[string, string, Array<[string, string, number | null]>]> = [
    ['no number on the card → upvotes null', card('/papers/2506.01111', 'FusionAudio'), [['2506.01111', 'FusionAudio', null]]],
    [
      'only a comment count → upvotes null',
      card('/papers/2506.01111', 'FusionAudio', '<a href="/papers/2506.01111#community">7</a>'),
      [['2506.01111', 'FusionAudio', null]],
    ],
    [
      'labelled upvote control with thousands separator',
      card('/papers/2506.01111', 'FusionAudio', '<button class="UpvoteButton">Upvote 1,234</button><span>9</span>'),
      [['2506.01111', 'FusionAudio', 1234]],
    ],
    [
      'bare counter after the title',
      `<article><h3><a href="/papers/2506.01111">Model 2</a></h3><div><span>· 5 authors</span><div>17</div></div></article>`,
      [['2506.01111', 'Model 2', 17]],
    ],
    [
      'absolute links, version suffix, repeated card, non-paper link',
      card('https://huggingface.co/papers/2506.05984', 'A') + card('/papers/2506.05984v2', 'A again') + card('/papers/not-an-id', 'B') + card('/papers/%E0%A4%A', 'D') + card('/models/x', 'C'),
      [['2506.05984', 'A', null]],
    ],
  ];
  it.each(cases)('%s', (_name, body, expected) => {
    const r = hfHtml.parse(html(body), opts({ day: '2025-06-09' }));
    expect(r.items.map((x) => [x.paper.id, x.paper.title, x.paper.upvotes])).toEqual(expected);
    expect(r.items.map((x) => x.listing?.rank)).toEqual(expected.map((_, i) => i + 1));
  });

  it('asks for --date when cards come from a page with no day in its address', () => {
    const err = parseError(html(card('/papers/2506.01111', 'FusionAudio')));
    expect(err).toBeInstanceOf(InputError);
    expect(err.message).toBe('page.html: cannot tell the listing day; pass --date YYYY-MM-DD');
  });
});

describe('hfHtml.parse: bad pages', () => {
  const notRecognized = 'page.html: page layout not recognized (no DailyPapers data and no paper cards); save the page again or use the API JSON';
  // Cut the DailyPapers props in half but keep the attribute closed (a broken save).
  const truncatedProps = page.replace(/(data-target="DailyPapers" data-props=")([^"]*)"/, (_m, a: string, b: string) => `${a}${b.slice(0, b.length / 2)}"`);
  // The file itself ends inside the props (download cut short).
  const truncatedFile = page.slice(0, page.indexOf('data-target="DailyPapers"') + 20_000);
  const noPaperObject = html(island({ dailyPapers: [{ id: '2506.01111', title: 'x' }] }));

  const cases: Array<[string, string, typeof FormatError | typeof InputError, ExitCode, string | RegExp]> = [
    ['truncated data-props', truncatedProps, FormatError, ExitCode.Format, /^page\.html: the page's DailyPapers data is not valid JSON \(.+\); save the page again or use the API JSON$/],
    ['file cut inside data-props', truncatedFile, FormatError, ExitCode.Format, 'page.html: the page ends inside its DailyPapers data (a partial save?); save the page again or use the API JSON'],
    ['layout changed', layoutChanged, FormatError, ExitCode.Format, notRecognized],
    ['items without a paper object', noPaperObject, FormatError, ExitCode.Format, 'page.html: the page\'s DailyPapers items have no "paper" object; the page format changed'],
    ['empty input', '', FormatError, ExitCode.Format, notRecognized],
    ['unrelated HTML', html('<h1>Not found</h1>'), FormatError, ExitCode.Format, notRecognized],
  ];
  it.each(cases)('%s', (_name, text, cls, code, message) => {
    const err = parseError(text);
    expect(err).toBeInstanceOf(cls);
    expect((err as FormatError).exitCode).toBe(code);
    if (typeof message === 'string') expect(err.message).toBe(message);
    else expect(err.message).toMatch(message);
  });

  it('layout-changed.html does have paper links: the FormatError is about their layout', () => {
    expect(layoutChanged).toContain('href="/papers/2505.21115"');
  });
});
