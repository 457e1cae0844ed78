import { describe, expect, test } from 'vitest';
import { displayWidth, padEnd, padStart, stripSgr, truncate, wrap } from '../../src/render/width.js';

const RED = '\x1b[31m';
const FG_OFF = '\x1b[39m';
const BOLD = '\x1b[1m';
const BOLD_OFF = '\x1b[22m';
const RESET = '\x1b[0m';

describe('stripSgr', () => {
  test.each([
    ['', ''],
    ['plain', 'plain'],
    [`${RED}red${FG_OFF}`, 'red'],
    [`${BOLD}${RED}a${RESET}b\x1b[mc`, 'abc'],
    ['\x1b[38;2;1;2;3mX\x1b[48:5:200mY', 'XY'],
    // Only SGR: other sequences are sanitize's job.
    ['\x1b[2JX', '\x1b[2JX'],
  ])('%j → %j', (input, expected) => {
    expect(stripSgr(input)).toBe(expected);
  });
});

describe('displayWidth', () => {
  test.each([
    ['', 0],
    ['abc', 3],
    ['hello world', 11],
    ['深度学习', 8], // CJK ideographs: wide
    ['한국어', 6], // Hangul syllables
    ['ひらがな カタカナ', 17],
    ['ｆｕｌｌ', 8], // fullwidth Latin
    ['ｱｲ', 2], // halfwidth katakana stay narrow
    ['「注意」。', 10], // CJK punctuation
    ['\u3000', 2], // ideographic space
    ['𠀀𪚥', 4], // CJK extension B (astral)
    ['é', 1],
    ['cafe\u0301', 4], // combining acute: 0
    ['a\u0300\u0301\u0302', 1], // stacked marks
    ['\u3099', 0], // combining kana voiced mark inside the wide block
    ['\u1100\u1161\u11a8', 2], // conjoining jamo: initial 2, medial and final 0
    ['\ud7b0', 0], // Hangul Jamo Extended-B medial vowel: joins like U+1161
    ['\u4dc0', 2], // Yijing hexagram: wide since Unicode 16
    ['\u3248', 2], // ambiguous circled number: counted wide, as glibc does
    ['\u0600', 1], // Arabic number sign: a drawn format character
    ['\u0915\u093e', 2], // Devanagari KA + spacing vowel sign (Mc): 1 + 1
    ['\u0915\u094d', 1], // KA + virama (Mn): 1 + 0
    ['\u200b', 0], // zero-width space (format)
    ['a\u00adb', 3], // soft hyphen: 1, as glibc
    ['αβγ ΩЖ', 6],
    ['— … “”', 6],
    ['😀', 2],
    ['😀😀x', 5],
    ['🚀🧠', 4],
    ['❤', 1], // text presentation by default
    ['❤\ufe0f', 2], // VS16 asks for emoji presentation
    ['\u2716\ufe0e', 1], // VS15: text
    ['👍🏽', 2], // skin tone joins the emoji
    ['🇯🇵', 2], // a flag: two regional indicators, one glyph
    ['🇯🇵🇫🇷', 4],
    ['1\ufe0f\u20e3', 2], // keycap
    ['⌚', 2], // BMP emoji presentation
    ['〈〉', 4], // U+2329/U+232A are wide
    [`${RED}red${FG_OFF}`, 3], // SGR: 0 columns
    [`${BOLD}深${BOLD_OFF}度`, 4],
    ['\x1b[38;2;255;0;0m😀\x1b[0m', 2],
  ])('%j → %i', (input, expected) => {
    expect(displayWidth(input)).toBe(expected);
  });
});

describe('truncate', () => {
  test.each<[string, number, string | undefined, string]>([
    ['hello', 10, undefined, 'hello'],
    ['hello', 5, undefined, 'hello'],
    ['hello world', 8, undefined, 'hello w…'],
    ['hello world', 1, undefined, '…'],
    ['hello', 4, '...', 'h...'],
    ['hello', 2, '...', 'he'], // no room for the ellipsis: cut bare
    ['hello', 3, '', 'hel'],
    ['hello', 0, undefined, ''],
    ['hello', -3, undefined, ''],
    ['hello', Number.NaN, undefined, ''],
    ['hello world', 7.9, undefined, 'hello …'], // fractional width floors
    ['深度学习', 8, undefined, '深度学习'],
    ['深度学习', 5, undefined, '深度…'],
    ['深度学习', 4, undefined, '深…'], // 度 does not fit in the 3rd column: left out whole
    ['cafe\u0301 noir', 5, undefined, 'cafe\u0301…'], // the mark stays with its letter
    ['😀😀😀', 4, undefined, '😀…'],
    ['🇯🇵🇫🇷🇩🇪', 5, undefined, '🇯🇵🇫🇷…'], // flags are never split
    [`${RED}red text${FG_OFF}`, 5, undefined, `${RED}red …${RESET}`], // cut inside color: reset
    [`${RED}red${FG_OFF} text here`, 6, undefined, `${RED}red${FG_OFF} t…`], // color closed already
    [`${RED}red${FG_OFF}`, 3, undefined, `${RED}red${FG_OFF}`], // fits: unchanged
  ])('%j at %d (ellipsis %j) → %j', (input, width, ellipsis, expected) => {
    const out = ellipsis === undefined ? truncate(input, width) : truncate(input, width, ellipsis);
    expect(out).toBe(expected);
    if (width >= 1) expect(displayWidth(out)).toBeLessThanOrEqual(Math.floor(width));
  });
});

describe('padEnd / padStart', () => {
  test.each<[string, number, string, string]>([
    ['ab', 5, 'ab   ', '   ab'],
    ['', 2, '  ', '  '],
    ['深', 4, '深  ', '  深'],
    ['深', 3, '深 ', ' 深'],
    ['😀', 3, '😀 ', ' 😀'],
    ['cafe\u0301', 5, 'cafe\u0301 ', ' cafe\u0301'],
    ['abcdef', 3, 'abcdef', 'abcdef'], // never cuts
    ['ab', 0, 'ab', 'ab'],
    ['ab', Number.NaN, 'ab', 'ab'],
    [`${RED}ab${FG_OFF}`, 4, `${RED}ab${FG_OFF}  `, `  ${RED}ab${FG_OFF}`], // SGR takes no room
  ])('%j to %d', (input, width, end, start) => {
    expect(padEnd(input, width)).toBe(end);
    expect(padStart(input, width)).toBe(start);
  });
});

describe('wrap', () => {
  test.each<[string, string, number, object, string[]]>([
    ['empty', '', 10, {}, []],
    ['only whitespace', ' \n\n\t ', 10, {}, []],
    ['fits', 'hello world', 20, {}, ['hello world']],
    ['exactly fits', 'hello world', 11, {}, ['hello world']],
    ['one word a line', 'hello world', 5, {}, ['hello', 'world']],
    ['greedy fill', 'the quick brown fox jumps', 10, {}, ['the quick', 'brown fox', 'jumps']],
    ['spaces collapse', '  a  b\t\t c  ', 10, {}, ['a b c']],
    ['NBSP keeps words together', 'aa bb\u00a0cc', 5, {}, ['aa', 'bb\u00a0cc']],
    ['paragraph break', 'first para\n\nsecond', 20, {}, ['first para', '', 'second']],
    ['blank-line runs collapse', 'p1\n\n\n\n p2', 20, {}, ['p1', '', 'p2']],
    ['leading and trailing blank lines dropped', '\n\np1\n\n', 20, {}, ['p1']],
    ['single newline is a hard break', 'line one\nline two', 20, {}, ['line one', 'line two']],
    ['paragraphs wrap separately', 'aaa bbb\n\nccc ddd', 3, {}, ['aaa', 'bbb', '', 'ccc', 'ddd']],
    ['long word cut hard', 'abcdefghij', 4, {}, ['abcd', 'efgh', 'ij']],
    [
      'long URL starts its own line, next word continues it',
      'see https://example.com/very/long/path ok',
      12,
      {},
      ['see', 'https://exam', 'ple.com/very', '/long/path', 'ok'],
    ],
    ['tail of a cut word takes the next word', 'abcdefg hi', 5, {}, ['abcde', 'fg hi']],
    ['CJK without spaces', '深度学习模型', 5, {}, ['深度', '学习', '模型']],
    ['CJK never overflows by half a char', '深度学习', 3, {}, ['深', '度', '学', '习']],
    ['mixed CJK and ASCII', 'AI 深度学习 model', 8, {}, ['AI', '深度学习', 'model']],
    ['emoji pairs are not split', '😀😀😀😀😀', 5, {}, ['😀😀', '😀😀', '😀']],
    ['combining mark stays with its letter', 'abcde\u0301f', 5, {}, ['abcde\u0301', 'f']],
    ['width 1', 'ab cd', 1, {}, ['a', 'b', 'c', 'd']],
    ['width 1, wide char alone on its line', '深a', 1, {}, ['深', 'a']],
    ['fractional width floors', 'aa bb', 4.9, {}, ['aa', 'bb']],
    ['width 0: no wrapping', 'a b c\n\nd', 0, {}, ['a b c', '', 'd']],
    ['negative width: no wrapping', 'a b c', -5, {}, ['a b c']],
    ['NaN width: no wrapping', 'a b c', Number.NaN, {}, ['a b c']],
    ['Infinity: no wrapping', 'a  b c', Number.POSITIVE_INFINITY, {}, ['a b c']],
    ['indent continuation lines', 'one two three four', 10, { indent: '  ' }, ['one two', '  three', '  four']],
    ['firstIndent only', 'aaa bbb ccc', 7, { firstIndent: '> ' }, ['> aaa', 'bbb ccc']],
    ['hanging indent', 'aaa bbb ccc', 9, { firstIndent: '- ', indent: '  ' }, ['- aaa bbb', '  ccc']],
    ['indent on lines after a blank line, none on it', 'aa\n\nbb', 10, { indent: '  ', firstIndent: '  ' }, ['  aa', '', '  bb']],
    ['wide indent counts its width', 'ab cd', 6, { indent: '深深', firstIndent: '深深' }, ['深深ab', '深深cd']],
    ['indent too wide for the width is dropped', 'ab cd', 3, { indent: '    ', firstIndent: '    ' }, ['ab', 'cd']],
    ['no-wrap width keeps the indent', 'a b', 0, { firstIndent: '> ' }, ['> a b']],
    [
      'color spanning a break is closed and reopened',
      `${RED}red words here${FG_OFF}`,
      9,
      {},
      [`${RED}red words${RESET}`, `${RED}here${FG_OFF}`],
    ],
    [
      'reopened after the indent, so the indent is not colored',
      `${RED}red words here${FG_OFF}`,
      11,
      { indent: '  ' },
      [`${RED}red words${RESET}`, `  ${RED}here${FG_OFF}`],
    ],
    [
      'closed color is not carried over',
      `${RED}red${FG_OFF} plain words`,
      9,
      {},
      [`${RED}red${FG_OFF} plain`, 'words'],
    ],
    [
      'colored long word cut hard',
      `${BOLD}abcdef${BOLD_OFF}`,
      3,
      {},
      [`${BOLD}abc${RESET}`, `${BOLD}def${BOLD_OFF}`],
    ],
    [
      'nested bold+red highlight (as chalk emits it) across breaks',
      `${BOLD}${RED}deep learning${FG_OFF}${BOLD_OFF} models`,
      6,
      {},
      [`${BOLD}${RED}deep${RESET}`, `\x1b[1;31mlearni${RESET}`, `\x1b[1;31mng${FG_OFF}${BOLD_OFF}`, 'models'],
    ],
    [
      'truecolor state is replayed whole',
      '\x1b[38;2;255;0;0mab cd\x1b[0m',
      2,
      {},
      ['\x1b[38;2;255;0;0mab\x1b[0m', '\x1b[38;2;255;0;0mcd\x1b[0m'],
    ],
    ['SGR between spaces adds no space', `a ${RED} b${FG_OFF}`, 10, {}, [`a${RED} b${FG_OFF}`]],
    // Same lines as its plain text "a\n\nb"; the color still applies after it.
    ['SGR-only line is a blank line', `a\n${RED}\nb${FG_OFF}`, 10, {}, ['a', '', `${RED}b${FG_OFF}`]],
    ['SGR-only lines collapse with blank ones', `a\n\n${BOLD}\n\n${BOLD_OFF}\nb`, 10, {}, ['a', '', 'b']],
  ])('%s', (_name, text, width, opts, expected) => {
    expect(wrap(text, width, opts)).toEqual(expected);
  });

  test('a 5,000-character word is cut into full lines', () => {
    const lines = wrap('x'.repeat(5_000), 80);
    expect(lines).toHaveLength(63);
    expect(lines.slice(0, 62).every((l) => l === 'x'.repeat(80))).toBe(true);
    expect(lines[62]).toBe('x'.repeat(40));
  });

  test('a long astral word never splits a surrogate pair', () => {
    const lines = wrap('𠀀'.repeat(101), 7); // 3 per line (6 columns)
    expect(lines).toHaveLength(34);
    expect(lines[0]).toBe('𠀀𠀀𠀀');
    expect(lines[33]).toBe('𠀀𠀀');
    for (const l of lines) expect(l).not.toMatch(/[\ud800-\udfff]/u);
  });

  test('a real abstract at 40 columns', () => {
    const abstract =
      'We introduce a method for training language models that uses 深度学习 and emoji 😀. ' +
      'See https://github.com/example/a-very-long-repository-name-that-will-not-fit for code.';
    const lines = wrap(abstract, 40, { indent: '  ', firstIndent: '  ' });
    expect(lines).toEqual([
      '  We introduce a method for training',
      '  language models that uses 深度学习 and',
      '  emoji 😀. See',
      '  https://github.com/example/a-very-long',
      '  -repository-name-that-will-not-fit for',
      '  code.',
    ]);
  });
});

/** Small seeded PRNG (mulberry32), so a failure reproduces. */
function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PIECES = [
  'a', 'word', 'longerword', ' ', ' ', ' ', '  ', '\n', '\n\n', '\t', '深', '度学习', '😀', '👍🏽', '🇯🇵', '❤\ufe0f',
  'e\u0301', '\u0915\u093e', 'ｆ', '\u00a0', RED, FG_OFF, BOLD, BOLD_OFF, RESET, '\x1b[38;5;208m',
  'https://example.com/' + 'p'.repeat(90), 'x'.repeat(300), '𠀀',
];

describe('wrap, random input', () => {
  const rand = rng(42);
  const cases = Array.from({ length: 1_500 }, () => {
    let text = '';
    const n = 1 + Math.floor(rand() * 40);
    for (let i = 0; i < n; i++) text += PIECES[Math.floor(rand() * PIECES.length)]!;
    const width = 2 + Math.floor(rand() * 60);
    return { text, width };
  });
  const INDENTS = ['', '  ', '> ', '深 ', '    '];

  test('no line is wider than the width; SGR codes and surrogate pairs stay whole', () => {
    const bad: unknown[] = [];
    for (const [i, { text, width }] of cases.entries()) {
      const indent = INDENTS[i % INDENTS.length]!;
      for (const line of wrap(text, width, { indent, firstIndent: indent })) {
        const problem =
          displayWidth(line) > width ? 'too wide'
          : stripSgr(line).includes('\x1b') ? 'split SGR'
          : /[\ud800-\udfff]/u.test(line) ? 'lone surrogate'
          : /[ \t]$/.test(line) ? 'trailing space' // also catches indent-only lines
          : null;
        if (problem) bad.push({ problem, text, width, indent, line });
      }
    }
    expect(bad).toEqual([]);
  });

  test('keeps every visible character, in order', () => {
    for (const { text, width } of cases) {
      const lines = wrap(text, width);
      const visible = (s: string) => stripSgr(s).replace(/[\s\u00a0]/g, '');
      expect(visible(lines.join('')), JSON.stringify({ text, width })).toBe(visible(text));
    }
  });

  test('with colors removed, gives the same lines as the plain text', () => {
    for (const { text, width } of cases) {
      expect(wrap(text, width).map(stripSgr), JSON.stringify({ text, width })).toEqual(wrap(stripSgr(text), width));
    }
  });

  test('tiny widths terminate and respect the width', () => {
    const bad: unknown[] = [];
    for (const width of [1, 2, 3, 5]) {
      for (const { text } of cases.slice(0, 200)) {
        for (const line of wrap(text, width)) {
          // The one allowed overflow: a 2-column unit alone on a 1-column line.
          if (displayWidth(line) > Math.max(width, 2)) bad.push({ text, width, line });
        }
      }
    }
    expect(bad).toEqual([]);
  });
});
