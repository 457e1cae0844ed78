import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { inline, renderMarkdown } from '../../src/render/md-terminal.js';
import { PLAIN_STYLE, type Style } from '../../src/render/style.js';
import { displayWidth } from '../../src/render/width.js';

// Styles that show where they apply, so tests can read them without ANSI codes.
const MARKED: Style = {
  ...PLAIN_STYLE,
  enabled: true,
  title: (s) => `<b>${s}</b>`,
  emphasis: (s) => `<i>${s}</i>`,
  code: (s) => `<c>${s}</c>`,
  heading: (s) => `<h>${s}</h>`,
  link: (s) => `<a>${s}</a>`,
  meta: (s) => `<m>${s}</m>`,
};

describe('inline', () => {
  // [markdown, shown]
  test.each<[string, string]>([
    ['plain text', 'plain text'],
    ['**bold** and __bold__', '<b>bold</b> and <b>bold</b>'],
    ['*it* and _it_, snake_case_name stays', '<i>it</i> and <i>it</i>, snake_case_name stays'],
    ['`a * b` and ``x ` y``', '<c>a * b</c> and <c>x ` y</c>'],
    ['a [link](https://x.org/p) here', 'a link <a><https://x.org/p></a> here'],
    ['[https://x.org](https://x.org)', 'https://x.org'],
    ['a [relative](#sec-2) link', 'a relative link'],
    ['![Figure 1: the model](fig1.png)', '<m>[image: Figure 1: the model]</m>'],
    ['2 * 3 * 4 and a * b', '2 * 3 * 4 and a * b'],
    ['\\*not emphasis\\*', '*not emphasis*'],
    ['** spaced **', '** spaced **'],
  ])('%j → %j', (md, shown) => {
    expect(inline(md, MARKED)).toBe(shown);
  });
});

describe('renderMarkdown', () => {
  test('blocks: headings, paragraphs joined and wrapped, lists, quotes, rules, code', () => {
    const md = [
      '# Title of the Paper',
      '',
      'A paragraph on',
      'two lines.',
      '',
      '### 2.1 Method',
      '- one item that is long enough to wrap at twenty',
      '  and continues here',
      '  - nested',
      '1. first',
      '> quoted *words*',
      '---',
      '```python',
      'def f(x):  # a very long line of code that goes on',
      '```',
    ].join('\n');
    expect(renderMarkdown(md, MARKED, 30)).toBe(
      [
        '<h>Title of the Paper</h>',
        '',
        'A paragraph on two lines.',
        '',
        '<b>2.1 Method</b>',
        '',
        '• one item that is long enough',
        '  to wrap at twenty and',
        '  continues here',
        '  • nested',
        '1. first',
        '<m>│ </m>quoted <i>words</i>',
        '',
        '<m>──────────────────────────────</m>',
        '',
        '<c>    def f(x):  # a very long …</c>',
      ].join('\n') + '\n',
    );
  });

  test('a table that fits is aligned; one that does not becomes header: value blocks', () => {
    const md = '| Model | Score |\n|---|---:|\n| A | 0.5 |\n| Longer name | 10.25 |\n';
    expect(renderMarkdown(md, PLAIN_STYLE, 40)).toBe('Model       │ Score\n────────────┼──────\nA           │ 0.5\nLonger name │ 10.25\n');
    expect(renderMarkdown(md, PLAIN_STYLE, 15)).toBe('Model: A\nScore: 0.5\n\nModel: Longer\n  name\nScore: 10.25\n');
  });

  test('escape sequences and control characters from the body never reach the terminal', () => {
    const out = renderMarkdown('# Ti\x1b]0;pwned\x07tle\n\nText \x1b[31mred\x1b[0m and \x9b2J.\u202e', PLAIN_STYLE, 80);
    expect(out).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f-\x9f\u202e]/);
    expect(out).toContain('red');
  });

  test('no line is wider than the terminal, whatever the markdown', () => {
    const piece = fc.constantFrom('# ', '## ', '- ', '1. ', '> ', '| a | b |\n|---|---|\n', '```\n', '**', '*', '_', '`', '[x](https://e.org)', '![i](p)', '\n', '\n\n', ' ', 'word', '注意力', '😀', 'averyveryveryverylongwordwithoutbreaks');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 60 }), fc.integer({ min: 10, max: 120 }), (pieces, width) => {
        const out = renderMarkdown(pieces.join(''), PLAIN_STYLE, width);
        return out.endsWith('\n') && out.split('\n').every((line) => displayWidth(line) <= width);
      }),
    );
  });

  test('linear time on hostile input (unclosed emphasis, links, code spans)', () => {
    const hostile = ['**a '.repeat(50_000), '['.repeat(100_000), '``a` '.repeat(50_000), '*a _b [c](d `e '.repeat(20_000)];
    const t0 = performance.now();
    for (const md of hostile) renderMarkdown(md, PLAIN_STYLE, 80);
    // Linear: well under a second; quadratic was tens of seconds each, so the bound can be generous.
    expect(performance.now() - t0).toBeLessThan(15_000);
  });
});
