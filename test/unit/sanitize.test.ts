import { describe, expect, test } from 'vitest';
import { sanitize, sanitizeLine } from '../../src/render/sanitize.js';

const ESC = '\x1b';
const BEL = '\x07';
const ST = '\x1b\\';

// [name, input, expected]
const SANITIZE: Array<[string, string, string]> = [
  // Clean text passes through untouched.
  ['plain ASCII', 'Attention Is All You Need', 'Attention Is All You Need'],
  ['tab and newline kept', 'a\tb\nc\n\nd', 'a\tb\nc\n\nd'],
  ['CJK', '深度学习的注意力机制', '深度学习的注意力机制'],
  ['precomposed and combining accents', 'café cafe\u0301', 'café cafe\u0301'],
  ['emoji (surrogate pair) kept', 'ok 😀 🇯🇵 👍🏽', 'ok 😀 🇯🇵 👍🏽'],
  ['NBSP and typographic punctuation kept', 'a\u00a0b — “c” …', 'a\u00a0b — “c” …'],
  ['text that only looks like an escape', '[31m ]0;x ^[[2J', '[31m ]0;x ^[[2J'],

  // CSI
  ['SGR color', `${ESC}[31mred${ESC}[0m`, 'red'],
  ['SGR with many params', `${ESC}[1;31;4mX${ESC}[m`, 'X'],
  ['truecolor SGR', `${ESC}[38;2;255;0;0mX${ESC}[38:2::0:255:0mY`, 'XY'],
  ['clear screen + home', `${ESC}[2J${ESC}[HTitle`, 'Title'],
  ['private params (hide cursor)', `${ESC}[?25lhidden${ESC}[?25h`, 'hidden'],
  ['private param > and =', `${ESC}[>4;2m${ESC}[=5uX`, 'X'],
  ['intermediate byte (DECSCUSR)', `${ESC}[2 qX`, 'X'],
  ['erase line after cursor-up', `real${ESC}[1A${ESC}[2Kfake`, 'realfake'],
  ['CSI cut short by another ESC', `${ESC}[31${ESC}[0mX`, 'X'],
  ['CSI cut short at the end', `X${ESC}[31;`, 'X'],
  // The letter after ESC [ is a final byte to a terminal too (CUP): it goes.
  ['CSI eats its final letter', `${ESC}[Hello`, 'ello'],
  ['8-bit CSI', '\u009b31mred\u009b0m', 'red'],
  ['8-bit CSI with private params', '\u009b?1049hX', 'X'],

  // OSC
  ['OSC 8 hyperlink, ST', `${ESC}]8;;https://evil.example/${ST}click${ESC}]8;;${ST}`, 'click'],
  ['OSC 8 hyperlink, BEL', `${ESC}]8;id=1;http://e.example${BEL}click${ESC}]8;;${BEL}`, 'click'],
  ['OSC 0 title, BEL', `a${ESC}]0;pwned title${BEL}b`, 'ab'],
  ['OSC 0 title, ST', `a${ESC}]0;pwned title${ST}b`, 'ab'],
  ['OSC 2 title, BEL', `a${ESC}]2;rm -rf ~${BEL}b`, 'ab'],
  ['OSC 2 title, ST', `a${ESC}]2;rm -rf ~${ST}b`, 'ab'],
  ['OSC 52 clipboard write', `${ESC}]52;c;ZWNobyBoaQ==${BEL}x`, 'x'],
  ['OSC with non-ASCII payload', `${ESC}]0;标题 😀${BEL}x`, 'x'],
  ['OSC with 8-bit ST', `a${ESC}]0;t\u009cb`, 'ab'],
  ['OSC unterminated, to end', `a${ESC}]0;title`, 'a'],
  ['OSC unterminated, stops at newline', `a${ESC}]0;title\nb`, 'a\nb'],
  ['OSC cut short by a CSI', `${ESC}]0;a${ESC}[31mred`, 'red'],
  ['8-bit OSC, 8-bit ST', 'a\u009d0;title\u009cb', 'ab'],
  ['8-bit OSC 8, BEL', '\u009d8;;http://x.example\u0007link\u009d8;;\u0007', 'link'],
  ['8-bit OSC, 7-bit ST', `a\u009d2;t${ST}b`, 'ab'],
  // Mojibake (UTF-8 "ß" read as Latin-1) must not swallow the rest of the sentence.
  ['unterminated 8-bit APC removes only itself', 'Stra\u00c3\u009fe ist lang', 'Stra\u00c3e ist lang'],

  // DCS, SOS, PM, APC
  ['DCS sixel payload', `a${ESC}Pq#0;2;0;0;0#0~~@@vv${ST}b`, 'ab'],
  ['DCS DECRQSS', `a${ESC}P$qm${ST}b`, 'ab'],
  ['8-bit DCS, 8-bit ST', 'a\u0090$qm\u009cb', 'ab'],
  ['SOS', `a${ESC}Xhidden${ST}b`, 'ab'],
  ['PM', `a${ESC}^hidden${ST}b`, 'ab'],
  ['APC', `a${ESC}_Gf=100;AAAA${ST}b`, 'ab'],
  ['8-bit APC', 'a\u009fGhidden\u009cb', 'ab'],
  ['DCS unterminated', `a${ESC}Pqpayload`, 'a'],

  // Other ESC sequences and a lone ESC
  ['RIS full reset', `a${ESC}cb`, 'ab'],
  ['charset designation', `a${ESC}(0b${ESC}(B`, 'ab'],
  ['save/restore cursor', `a${ESC}7b${ESC}8`, 'ab'],
  ['DEC line attributes', `a${ESC}#8b`, 'ab'],
  ['reverse index', `a${ESC}Mb`, 'ab'],
  ['lone ESC at the end', 'abc\x1b', 'abc'],
  ['lone ESC before newline', 'a\x1b\nb', 'a\nb'],
  ['lone ESC before non-ASCII', 'a\x1bé', 'aé'],
  ['ESC ESC', 'a\x1b\x1bb', 'a'],

  // C0, DEL, C1
  ['CR overwrite trick', 'safe\rEVIL', 'safeEVIL'],
  ['CRLF becomes LF', 'a\r\nb', 'a\nb'],
  ['backspaces', 'rm -rf /\b\b\b\b\b\b\b\bls', 'rm -rf /ls'],
  ['BEL', 'ding\x07dong', 'dingdong'],
  ['NUL', 'a\x00b', 'ab'],
  ['VT and FF', 'a\x0b\x0cb', 'ab'],
  ['SUB, FS', 'a\x1a\x1cb', 'ab'],
  ['SO/SI shift to line drawing', 'a\x0eb\x0f', 'ab'],
  ['DEL', 'a\x7fb', 'ab'],
  ['NEL (C1 newline)', 'a\u0085b', 'ab'],
  ['lone C1 ST and SS2', 'a\u009c\u008eb', 'ab'],

  // Bidi and invisible characters
  ['RLO (Trojan Source)', 'invoice\u202Efdp.exe', 'invoicefdp.exe'],
  ['LRE RLE PDF LRO', '\u202aa\u202bb\u202cc\u202dd', 'abcd'],
  ['isolates', '\u2066a\u2069 \u2067b\u2069 \u2068c\u2069', 'a b c'],
  ['LRM RLM ALM', 'a\u200e\u200f\u061cb', 'ab'],
  ['zero-width space, ZWNJ, ZWJ, word joiner, BOM', '\ufeffa\u200bb\u200cc\u200dd\u2060e', 'abcde'],
  ['ZWJ emoji sequence falls apart into its emoji', '👨\u200d👩\u200d👧', '👨👩👧'],
  ['invisible operators', 'f\u2061(x)\u2062y\u2063z\u2064', 'f(x)yz'],
  ['tag characters (ASCII smuggling)', 'hi\u{E0001}\u{E0069}\u{E0067}\u{E007F}', 'hi'],
  ['interlinear annotation', 'a\ufff9b\ufffac\ufffb', 'abc'],

  // Lone surrogates
  ['lone high surrogate', 'a\ud800b', 'ab'],
  ['lone low surrogate', 'a\udc00b', 'ab'],
  ['reversed pair', '\ude00\ud83d', ''],
  ['high surrogate at the end', 'ok\ud83d', 'ok'],

  // Layered attack
  [
    'title spoof: clear, retitle, CR, erase',
    `${ESC}[2J${ESC}[H${ESC}]0;owned${BEL}Real title\r${ESC}[KFake title\u202e`,
    'Real titleFake title',
  ],
];

describe('sanitize', () => {
  test.each(SANITIZE)('%s', (_name, input, expected) => {
    expect(sanitize(input)).toBe(expected);
  });

  test.each(SANITIZE)('idempotent: %s', (_name, input) => {
    const once = sanitize(input);
    expect(sanitize(once)).toBe(once);
  });

  test('empty string', () => {
    expect(sanitize('')).toBe('');
  });

  test('a long clean abstract comes back unchanged', () => {
    const abstract = 'We propose a transformer. '.repeat(200) + '注意力 😀 café';
    expect(sanitize(abstract)).toBe(abstract);
  });

  test('linear time on hostile input (many unterminated introducers)', () => {
    const hostile = ('\u009d' + 'x'.repeat(20) + '\x1b]' + 'y'.repeat(20)).repeat(5_000);
    const t0 = performance.now();
    const out = sanitize(hostile);
    // Linear: ~10 ms; quadratic would be minutes, so a loaded machine's bound can be generous.
    expect(performance.now() - t0).toBeLessThan(15_000);
    expect(out).not.toMatch(/[\x1b\x9d]/);
  });
});

// [name, input, expected]
const SANITIZE_LINE: Array<[string, string, string]> = [
  ['plain', 'A Title', 'A Title'],
  ['tab would split a TSV column', 'a\tb', 'a b'],
  ['newline would split a TSV record', 'line one\nline two', 'line one line two'],
  ['CRLF', 'a\r\nb', 'a b'],
  ['whitespace run', 'a  \t\n\n b', 'a b'],
  ['leading and trailing space kept, collapsed', '  a  ', ' a '],
  ['space left by a removed character collapses', 'a \u200b b', 'a b'],
  ['NBSP and ideographic space fold', 'a\u00a0\u3000b', 'a b'],
  ['line and paragraph separators', 'a\u2028b\u2029c', 'a b c'],
  ['escape sequences still removed', `T${ESC}]8;;http://x${ESC}\\itle${ESC}[0m\r`, 'Title'],
  ['CJK kept', '深度 学习', '深度 学习'],
];

describe('sanitizeLine', () => {
  test.each(SANITIZE_LINE)('%s', (_name, input, expected) => {
    expect(sanitizeLine(input)).toBe(expected);
  });

  test.each(SANITIZE_LINE)('idempotent: %s', (_name, input) => {
    const once = sanitizeLine(input);
    expect(sanitizeLine(once)).toBe(once);
  });

  test('pieces around a search match keep their spaces', () => {
    expect(['deep ', 'learning', ' models'].map(sanitizeLine).join('')).toBe('deep learning models');
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

const FRAGMENTS = [
  'word', ' ', '\n', '\t', '深度', '😀', 'e\u0301', '\x1b', '\x1b[', '\x1b]', '\x1bP', '\x1b\\', '\x07',
  '\u009b', '\u009c', '\u009d', '\u0090', '\r', '\b', '\x00', '\x7f', '\u202e', '\u2066', '\u200b',
  '\u200d', '\ufeff', '\ud800', '\udc00', '\ud83d', '31m', ';', '8;;http://x', '0;title', '?25l', '[', ']',
  '\u{E0041}', '\u0085',
];

// Anything left that a terminal would act on, or that hides text.
const FORBIDDEN = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]|[\ud800-\udfff]/u;

describe('sanitize, random input', () => {
  const rand = rng(20_250_101);
  const cases = Array.from({ length: 3_000 }, () => {
    let s = '';
    const n = 1 + Math.floor(rand() * 30);
    for (let i = 0; i < n; i++) {
      s += rand() < 0.8
        ? FRAGMENTS[Math.floor(rand() * FRAGMENTS.length)]!
        : String.fromCharCode(Math.floor(rand() * 0x10000)); // any UTF-16 unit, surrogates too
    }
    return s;
  });

  test('output has no ESC, no C0/C1 but \\n and \\t, no bidi, no invisibles, no lone surrogates', () => {
    for (const s of cases) {
      const out = sanitize(s);
      expect(out, JSON.stringify(s)).not.toMatch(FORBIDDEN);
      expect(out.includes('\x1b')).toBe(false);
    }
  });

  test('idempotent', () => {
    for (const s of cases) {
      const once = sanitize(s);
      expect(sanitize(once), JSON.stringify(s)).toBe(once);
      const line = sanitizeLine(s);
      expect(sanitizeLine(line), JSON.stringify(s)).toBe(line);
    }
  });

  test('sanitizeLine output has no tab or newline and no double space', () => {
    for (const s of cases) {
      const out = sanitizeLine(s);
      expect(out, JSON.stringify(s)).not.toMatch(/[\t\n\r]|\s\s/);
      expect(out).not.toMatch(FORBIDDEN);
    }
  });

  test('never adds characters', () => {
    for (const s of cases) expect(sanitize(s).length).toBeLessThanOrEqual(s.length);
  });
});
