/** Fuzzing the saved-page parser: arbitrary markup, mutated real pages, and mutated embedded listing data. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FormatError, InputError, PapersError } from '../../src/errors.js';
import { hfHtml } from '../../src/sources/hf-html.js';
import {
  DEEP_HTML,
  HEAVY_RUNS,
  HF_FIELDS,
  HF_HTML,
  HTML_PROPS,
  TIMEOUT,
  anyJson,
  applyJsonOps,
  applyTextOps,
  check,
  dayOption,
  hostileString,
  jsonOp,
  opts,
  outcome,
  snippet,
  textOps,
} from './support.js';

const fixture = fc.constantFrom(...HF_HTML);
const parse = (text: string, day: string | null) => outcome(() => hfHtml.parse(text, opts(day)));

/** Pieces of a listing page, in any order and nesting. */
const piece = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.constantFrom(
      '<article>', '</article>', '<h3>', '</h3>', '<h2>', '</h2>', '<a href="/papers/2501.00001">', '<a href="https://huggingface.co/papers/2506.12345v2?x#y">',
      '<a href="/papers/not-an-id">', '<a href="javascript:alert(1)">', '</a>', '<div>', '</div>', '<span>', '</span>', '<p>', '</p>',
      '<label class="upvote">', '</label>', '<div data-upvotes="1,234">', '<a href="/papers/2501.00001#community">', '<div aria-label="Upvote 41">',
      '<link rel="canonical" href="https://huggingface.co/papers/date/2025-06-09">', '<meta property="og:url" content="/papers/date/2025-02-30">',
      '<div data-target="DailyPapers" data-props="{&quot;dailyPapers&quot;:[]}">', '<div data-target="DailyPapers" data-props="{&quot;dailyPapers&quot;:">',
      '<div data-target="Other" data-props="{&quot;dailyPapers&quot;:[{&quot;paper&quot;:{&quot;id&quot;:&quot;2501.00002&quot;,&quot;title&quot;:&quot;T&quot;}}]}">',
      '<div data-props="{&quot;dailyPapers&quot;:[1], &quot;periodType&quot;:&quot;week&quot;}">', '<script>', '</script>', '<!--', '-->', '<![CDATA[', ']]>',
      '41', '1,234', '12,34', 'Title words', '\n', ' ', '&amp;', '&#x1b;[2J', '&#0;', '&#xD800;', '&lt;article&gt;',
    ),
  },
  { weight: 2, arbitrary: hostileString(3) },
  { weight: 1, arbitrary: snippet },
);

const propsTop = fc.record(
  {
    periodType: fc.oneof(fc.constantFrom('day', 'week', 'month', 'year', ''), anyJson),
    dateString: fc.oneof(fc.constantFrom('2025-06-09', '2025-W24', '2025-06', '2025-02-30', ''), anyJson),
    date: anyJson,
  },
  { requiredKeys: [] },
);

describe('hf-html parser, fuzzed', () => {
  it('arbitrary text', () => {
    check(fc.property(fc.string({ unit: 'binary' }), dayOption, (text, day) => void parse(text, day)));
  });

  it('arbitrary markup built from page pieces', () => {
    check(fc.property(fc.array(piece, { maxLength: 40 }), dayOption, (pieces, day) => void parse(pieces.join(''), day)));
  }, TIMEOUT);

  it('mutated real pages (truncation, byte flips, deleted/duplicated ranges, NUL, BOM, CRLF)', () => {
    check(fc.property(fixture, textOps, dayOption, (f, ops, day) => void parse(applyTextOps(f.text, ops), day)), { numRuns: HEAVY_RUNS });
  }, TIMEOUT);

  it('real pages whose embedded listing has values replaced (wrong types, null, 1 MB strings, 10k-deep nesting)', () => {
    check(
      fc.property(fc.array(jsonOp(HF_FIELDS), { maxLength: 3 }), propsTop, dayOption, (ops, top, day) => {
        const r = parse(HTML_PROPS.page(applyJsonOps(HTML_PROPS.json, ops, 'dailyPapers', top)), day);
        if (r instanceof PapersError) expect(r).toSatisfy((e) => e instanceof InputError || e instanceof FormatError);
      }),
      { numRuns: HEAVY_RUNS },
    );
  }, TIMEOUT);

  it('the unmutated pages parse or fail as documented', () => {
    for (const f of HF_HTML) {
      const r = parse(f.text, null);
      if (f.name === 'layout-changed.html') expect(r).toBeInstanceOf(FormatError);
      else expect(r).not.toBeInstanceOf(Error);
    }
  });
});

describe('hf-html regressions', () => {
  const card = (inner: string) => `<article><h3><a href="/papers/2501.00001">${inner}</a></h3><span>41</span></article>`;
  it.each([
    ['10k-deep markup in a card title', card(DEEP_HTML)],
    ['100k-deep markup in a card title', card('<i>'.repeat(100_000) + 'x')],
    ['10k-deep markup around the upvote count', `<article><h3><a href="/papers/2501.00001">T</a></h3>${DEEP_HTML}</article>`],
    ['10k-deep unclosed markup inside a card', `<article><h3><a href="/papers/2501.00001">T</a></h3>${'<div>'.repeat(10_000)}41`],
  ])('r7_deep_html: %s is an InputError, never a RangeError', (_, html) => {
    expect(() => hfHtml.parse(html, opts('2025-06-09'))).toThrow(InputError);
  });

  it('r7_deep_html: 10k-deep markup anywhere in a real page is refused', () => {
    const page = HTML_PROPS.page(HTML_PROPS.json).replace('</body>', `${DEEP_HTML}</body>`);
    expect(() => hfHtml.parse(page, opts(null))).toThrow(/nests elements more than 1000 deep/);
  });
});

describe('hf-html regressions, cost of nesting', () => {
  it('r7_deep_html_time: a 1 MB page of unclosed tags is refused at once (htmlparser2 would take minutes)', () => {
    const t = performance.now();
    expect(() => hfHtml.parse('<i>'.repeat(333_000), opts('2025-06-09'))).toThrow(InputError);
    expect(() => hfHtml.parse(`<div>${'<i></b>'.repeat(150_000)}`, opts('2025-06-09'))).toThrow(InputError);
    // Refused in milliseconds; a nesting-bound parser would take minutes, so the bound can be generous.
    expect(performance.now() - t).toBeLessThan(15_000);
  });

  it('r7_deep_html_time: unmatched end tags and script bodies do not count as nesting', () => {
    const cards = HF_HTML.find((f) => f.name === 'cards-only.html')!.text;
    const noisy = cards
      .replace('<body', `<script>${'if (a<b && c<d) {}'.repeat(5000)}</script><body`)
      .replace('</body>', `${'</i>'.repeat(5000)}</body>`);
    expect(hfHtml.parse(noisy, opts(null)).items.length).toBe(12);
  });

  it('r7_deep_html_time: a card 990 levels deep is still read, quickly', () => {
    const t = performance.now();
    const deep = `<article><h3><a href="/papers/2501.00001">T</a></h3>${'<div>'.repeat(990)}41${'</div>'.repeat(990)}</article>`;
    expect(hfHtml.parse(deep, opts('2025-06-09')).items[0]!.paper.upvotes).toBe(41);
    // Every level's text is "41" but lies under the title: none is the upvote count.
    const underTitle = `<article><h3><a href="/papers/2501.00001">T</a></h3><h3>${'<div>'.repeat(990)}41${'</div>'.repeat(990)}</h3></article>`;
    expect(hfHtml.parse(underTitle, opts('2025-06-09')).items[0]!.paper.upvotes).toBeNull();
    expect(performance.now() - t).toBeLessThan(15_000); // milliseconds; minutes if depth cost were quadratic
  });
});

describe('hf-html regressions, days', () => {
  it('r7_date_string: a page whose dateString is no real day (2025-02-30) does not list papers on it', () => {
    const props = JSON.parse(HTML_PROPS.json) as { dailyPapers: Array<{ paper: Record<string, unknown> }>; dateString: string };
    props.dateString = '2025-02-30';
    for (const item of props.dailyPapers) delete item.paper.submittedOnDailyAt;
    const page = HTML_PROPS.page(JSON.stringify(props));
    // The page's own address still names the day.
    for (const { listing } of hfHtml.parse(page, opts(null)).items) expect(listing!.day).toBe('2025-06-09');
    expect(() => hfHtml.parse(page.replace(/papers\/date\/2025-06-09/g, 'papers'), opts(null))).toThrow(InputError);
  });
});
