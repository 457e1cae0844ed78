/**
 * Hostile text: sanitize() and every renderer meant for people (plain records,
 * TTY list, `show`) never emit an escape sequence, a C0/C1 control other than \n and \t,
 * a bidi control or a zero-width character, whatever the paper's text holds; TTY output
 * never exceeds the width it was given; JSON stays exact. Every data format bound for a
 * terminal (forTerminal) and every diagnostic (escapeVisible) carries none of them either,
 * nor U+2028/9; bound for a pipe, the bytes are exact.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { emptyPaper, titleId } from '../../src/model.js';
import { paperJson } from '../../src/render/json.js';
import { escapeVisible, forTerminal, sanitize, sanitizeLine } from '../../src/render/sanitize.js';
import { formatChunks, formatRows, type DataFormat } from '../../src/render/formats.js';
import { PLAIN_STYLE, loadStyle, type Style } from '../../src/render/style.js';
import { plainRecord, showText, ttyList, ttyRecord } from '../../src/render/text.js';
import { displayWidth, stripSgr } from '../../src/render/width.js';
import { HL_CLOSE, HL_OPEN, type PaperRow } from '../../src/model.js';
import { ESCAPES, HEAVY_RUNS, TIMEOUT, check, checkAsync, hostileString } from './support.js';

/** What must never reach a terminal: ESC, C0 but \n \t, DEL, C1, bidi controls, zero-width and invisible format characters, lone surrogates. */
const FORBIDDEN = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb\u{e0000}-\u{e007f}\ud800-\udfff]/u;
const forbiddenIn = (s: string) => {
  const m = FORBIDDEN.exec(s);
  return m ? `U+${m[0].codePointAt(0)!.toString(16).padStart(4, '0')} at ${m.index}: ${JSON.stringify(s.slice(Math.max(0, m.index - 20), m.index + 20))}` : null;
};

/** Text of every kind, mostly hostile. */
const text = fc.oneof(
  { weight: 4, arbitrary: hostileString(16) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 60 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 60 }) },
);
/** Text with FTS match markers, as search returns titles and snippets. */
const marked = fc.array(fc.oneof(text, fc.constantFrom(HL_OPEN, HL_CLOSE)), { maxLength: 8 }).map((p) => p.join(''));
const nullable = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: null });
const day = fc.date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
const url = fc.oneof(
  fc.constantFrom('https://github.com/a/b', 'http://example.com/x?y#z', 'javascript:alert(1)', 'file:///etc/passwd', 'data:text/html,x', 'ftp://x'),
  text.map((t) => `https://example.com/${t}`),
  text,
);

/**
 * A PaperRow as the store returns it: ids, days, sources and timestamps are what the
 * parsers let through (validated), every text field is hostile.
 */
const row: fc.Arbitrary<PaperRow> = fc
  .record({
    id: fc.oneof(fc.constantFrom('2501.00001', '2506.12345', 'hep-th/9901001', 'math.AG/0601001'), text.map(titleId)),
    title: text,
    abstract: fc.array(text, { maxLength: 4 }).map((ps) => ps.join('\n\n')),
    authors: fc.array(text, { maxLength: 6 }),
    keywords: fc.array(text, { maxLength: 4 }),
    organization: nullable(text),
    aiSummary: nullable(text),
    githubRepo: nullable(url),
    githubStars: nullable(fc.integer({ min: 0, max: 1e7 })),
    projectPage: nullable(url),
    upvotes: nullable(fc.integer({ min: -1000, max: 1e9 })),
    comments: nullable(fc.integer({ min: 0, max: 1e6 })),
    publishedAt: nullable(fc.date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString())),
    listedOn: nullable(day),
    source: nullable(fc.constantFrom('hf', 'arxiv:cs.LG', 'hf-search')),
    rank: nullable(fc.integer({ min: 1, max: 1000 })),
    titleMarked: fc.option(marked, { nil: undefined }),
    snippet: fc.option(marked, { nil: undefined }),
  })
  .map((r) => {
    const { id, title, titleMarked, snippet, ...rest } = r;
    const out: PaperRow = { ...emptyPaper(id, title), ...rest };
    if (titleMarked !== undefined) out.titleMarked = titleMarked;
    if (snippet !== undefined) out.snippet = snippet;
    return out;
  });
const listings = fc.array(fc.record({ source: fc.constantFrom('hf', 'arxiv:cs.LG'), day, rank: fc.integer({ min: 1, max: 100 }), upvotes: nullable(fc.integer({ min: 0, max: 1e6 })) }), { maxLength: 4 });
const width = fc.integer({ min: 60, max: 240 });

/** Lines wider than `width`, with their widths. */
const overflowing = (out: string, w: number) =>
  out
    .split('\n')
    .map((l) => [displayWidth(stripSgr(l)), l] as const)
    .filter(([lw]) => lw > w);

const COLOR = await loadStyle(3);

describe('sanitize, fuzzed', () => {
  it('never leaves ESC, C0 (but \\n \\t), C1, bidi, zero-width characters or lone surrogates', () => {
    check(fc.property(text, (s) => {
      expect(forbiddenIn(sanitize(s))).toBeNull();
      expect(forbiddenIn(sanitizeLine(s))).toBeNull();
    }));
  });

  it('sanitizeLine leaves no whitespace but single spaces', () => {
    check(fc.property(text, (s) => void expect(sanitizeLine(s)).not.toMatch(/[^\S ]| {2}/)));
  });

  it('is idempotent, and the identity on text that needs nothing removed', () => {
    check(fc.property(text, (s) => {
      const once = sanitize(s);
      expect(sanitize(once)).toBe(once);
      expect(sanitizeLine(sanitizeLine(s))).toBe(sanitizeLine(s));
    }));
    check(fc.property(fc.string({ unit: 'grapheme', maxLength: 80 }).filter((s) => !FORBIDDEN.test(s)), (s) => void expect(sanitize(s)).toBe(s)));
  });

  it('escape sequences go with their payload: an OSC title or hyperlink target never survives', () => {
    check(fc.property(text, fc.constantFrom('\x1b]0;PWNED\x07', '\x1b]2;PWNED\x1b\\', '\x1b]8;;https://PWNED/\x07', '\x1bPPWNED\x1b\\', '\x9d0;PWNED\x9c'), text, (a, seq, b) => {
      expect(sanitize(a + seq + b)).not.toContain('PWNED');
    }));
  });
});

describe('text renderers, fuzzed with hostile papers', () => {
  it('plainRecord: one line of four tab-separated fields, nothing forbidden', () => {
    check(fc.property(row, (r) => {
      const out = plainRecord(r);
      expect(forbiddenIn(out)).toBeNull();
      expect(out.endsWith('\n') && !out.slice(0, -1).includes('\n')).toBe(true);
      expect(out.split('\t')).toHaveLength(4);
    }));
  });

  it('ttyList / ttyRecord, plain and in color: nothing forbidden (color: SGR only), no line wider than the width', () => {
    check(fc.property(fc.array(row, { minLength: 1, maxLength: 4 }), width, fc.boolean(), fc.boolean(), (rows, w, spaced, colored) => {
      const style: Style = colored ? COLOR : PLAIN_STYLE;
      const out = ttyList(rows, style, w, spaced);
      expect(forbiddenIn(colored ? stripSgr(out) : out)).toBeNull();
      if (!colored) expect(out).not.toContain('\x1b');
      expect(overflowing(out, w)).toEqual([]);
      const one = ttyRecord(rows[0]!, 1, { index: 1, upvotes: 10, id: 18 }, style, w);
      expect(forbiddenIn(colored ? stripSgr(one) : one)).toBeNull();
    }));
  }, TIMEOUT);

  it('showText, plain and in color, with and without a width: nothing forbidden, no line wider than the width', () => {
    check(fc.property(row, listings, fc.option(width, { nil: null }), fc.boolean(), (r, ls, w, colored) => {
      const style: Style = colored ? COLOR : PLAIN_STYLE;
      const out = showText(r, ls, style, w);
      expect(forbiddenIn(colored ? stripSgr(out) : out)).toBeNull();
      if (!colored) expect(out).not.toContain('\x1b');
      if (w !== null) expect(overflowing(out, w)).toEqual([]);
    }));
  }, TIMEOUT);

  it('links are http(s) only', () => {
    check(fc.property(row, (r) => {
      const out = showText(r, [], PLAIN_STYLE, null);
      for (const line of out.split('\n')) {
        const m = /^(GitHub|Project)\s+(\S+)/.exec(line);
        if (m) expect(m[2]).toMatch(/^https?:\/\//);
      }
    }));
  });

  it('JSON output keeps the text exact', () => {
    check(fc.property(row, (r) => {
      const back = JSON.parse(JSON.stringify(paperJson(r))) as Record<string, unknown>;
      expect(back.title).toBe(r.title);
      expect(back.abstract).toBe(r.abstract);
      expect(back.authors).toEqual(r.authors);
    }));
  });
});

/** Also U+2028/U+2029 and a CR that does not end a CSV line: what forTerminal and the diagnostic writer escape too. */
const forbiddenOnTerminal = (s: string) => forbiddenIn(s.replace(/\r\n/g, '\n')) ?? (/[\r\u2028\u2029]/.test(s.replace(/\r\n/g, '\n')) ? `CR or U+2028/9 in ${JSON.stringify(s)}` : null);
const FORMATS: DataFormat[] = ['json', 'jsonl', 'csv', 'tsv', 'md', 'bibtex'];

describe('data and diagnostics on a terminal, fuzzed', () => {
  it('escapeVisible: nothing forbidden but \n and \t, and text without controls is untouched', () => {
    check(fc.property(text, (s) => {
      expect(forbiddenOnTerminal(escapeVisible(s))).toBeNull();
      expect(escapeVisible(escapeVisible(s))).toBe(escapeVisible(s));
    }));
  });

  it('forTerminal JSON: nothing forbidden, and it parses to the same data', () => {
    check(fc.property(fc.array(text, { maxLength: 4 }), (strings) => {
      const json = JSON.stringify({ strings }, null, 2);
      const safe = forTerminal(true, json, 'json');
      expect(forbiddenOnTerminal(safe)).toBeNull();
      expect(JSON.parse(safe)).toEqual(JSON.parse(json));
      expect(forTerminal(false, json, 'json')).toBe(json);
    }));
  });

  it('every data format of hostile papers, to a terminal: nothing forbidden; to a pipe: the bytes formatRows always made', async () => {
    await checkAsync(fc.asyncProperty(fc.array(row, { minLength: 1, maxLength: 3 }), fc.constantFrom(...FORMATS), async (rows, format) => {
      const exact = await formatRows(rows, format, null);
      expect(await formatRows(rows, format, null, { terminal: false })).toBe(exact);
      const tty = await formatRows(rows, format, null, { terminal: true });
      expect(forbiddenOnTerminal(tty)).toBeNull();
      let streamed = '';
      for await (const chunk of formatChunks(rows, format, null, { terminal: true })) streamed += chunk;
      expect(streamed).toBe(tty);
      if (format === 'json') expect(JSON.parse(tty)).toEqual(JSON.parse(exact));
    }), { numRuns: HEAVY_RUNS });
  }, TIMEOUT);
});

describe('hostile text regressions', () => {
  it.each(ESCAPES.filter((e) => FORBIDDEN.test(e)).map((e) => [e]))('r7_hostile_title: %j in every field is neutralized', (esc) => {
    const r: PaperRow = { ...emptyPaper('2501.00001', `A${esc}B`), abstract: `x${esc}y\n\nz${esc}`, authors: [`N${esc}`], keywords: [esc], organization: esc, aiSummary: esc, listedOn: '2025-06-09', source: 'hf', rank: 1 };
    for (const out of [plainRecord(r), ttyList([r], PLAIN_STYLE, 80), showText(r, [], PLAIN_STYLE, 80), showText(r, [], PLAIN_STYLE, null)]) {
      expect(forbiddenIn(out)).toBeNull();
    }
  });
});

// KNOWN GAP, outside the files this suite may fix: src/render/text.ts prints `id`,
// `publishedAt.slice(0, 10)`, `listedOn` and the listings' `source`/`day` without sanitizing
// them. The parsers now validate those fields (r7_title_id, r7_source, r7_published_at,
// r7_listed_on), so imported data cannot carry escapes there; a renderer that sanitized them
// too would not depend on every present and future source getting that right. Remove
// `.skip` once text.ts sanitizes them.
describe('text renderers with hostile ids, days, sources and timestamps (r7: fixed in src/render/text.ts)', () => {
  const evil = '\x1b]0;PWNED\x07\x1b[2J\u202e';
  const r: PaperRow = { ...emptyPaper(`title-${evil}`, 'T'), publishedAt: `2025${evil}`, listedOn: `2025-06-09${evil}`, source: `hf${evil}`, rank: 1 };
  it('plainRecord', () => expect(forbiddenIn(plainRecord(r))).toBeNull());
  it('ttyList', () => expect(forbiddenIn(ttyList([r], PLAIN_STYLE, 80))).toBeNull());
  it('showText', () => expect(forbiddenIn(showText(r, [{ source: `hf${evil}`, day: `2025${evil}`, rank: 1, upvotes: null }], PLAIN_STYLE, 80))).toBeNull());
});
