import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, test } from 'vitest';
import { clearStatusLine, diagnostic, diagnosticLines, statusLine } from '../../src/render/diagnostic.js';
import { escapeVisible, forTerminal, jsonForTerminal } from '../../src/render/sanitize.js';
import { ROOT } from '../support/run.js';

/** What a stream was sent. */
function captured(write: (s: NodeJS.WritableStream) => void): string {
  const stream = new PassThrough();
  let out = '';
  stream.on('data', (d: Buffer) => (out += d.toString('utf8')));
  write(stream);
  stream.end();
  return out;
}

// [name, input, escapeVisible(input)]
const VISIBLE: Array<[string, string, string]> = [
  ['clean text untouched', 'café 😀 深度 a\tb\nc', 'café 😀 深度 a\tb\nc'],
  ['OSC 0 window title', '\x1b]0;pwned\x07', '\\x1b]0;pwned\\x07'],
  ['OSC 52 clipboard', '\x1b]52;c;cHduZWQ=\x07', '\\x1b]52;c;cHduZWQ=\\x07'],
  ['full reset, clear screen', '\x1bc\x1b[2J', '\\x1bc\\x1b[2J'],
  ['CR, DEL, NUL', 'a\rb\x7fc\x00', 'a\\x0db\\x7fc\\x00'],
  ['8-bit CSI and NEL', '\u009b31m\u0085', '\\x9b31m\\x85'],
  ['bidi override and isolate', '\u202egnp.exe\u2066', '\\u202egnp.exe\\u2066'],
  ['zero-width space and BOM', 'a\u200bb\ufeff', 'a\\u200bb\\ufeff'],
  ['line and paragraph separators', 'a\u2028b\u2029', 'a\\u2028b\\u2029'],
  ['tag characters', '\u{E0041}\u{E007F}', '\\u{e0041}\\u{e007f}'],
  ['lone surrogate', 'a\ud800b', 'a\\ud800b'],
];

describe('escapeVisible', () => {
  test.each(VISIBLE)('%s', (_name, input, expected) => {
    expect(escapeVisible(input)).toBe(expected);
  });
});

describe('jsonForTerminal', () => {
  test.each(VISIBLE)('%s: valid JSON, the same data', (_name, input) => {
    const json = JSON.stringify({ t: input, list: [input] }, null, 2);
    const safe = jsonForTerminal(json);
    expect(safe).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff\u{e0000}-\u{e007f}]/u);
    expect(JSON.parse(safe)).toEqual(JSON.parse(json));
  });
});

describe('forTerminal', () => {
  test('into a pipe or file: the exact bytes, whatever the kind', () => {
    for (const kind of ['json', 'text'] as const) expect(forTerminal(false, '\x1b]0;x\x07\u202e', kind)).toBe('\x1b]0;x\x07\u202e');
  });
  test("text on a terminal: escaped visibly; \\n, \\t and CSV's CRLF kept, a lone CR escaped", () => {
    expect(forTerminal(true, 'a,"x\x1bc"\r\nb\tc\rd\n', 'text')).toBe('a,"x\\x1bc"\r\nb\tc\\x0dd\n');
  });
  test('JSON on a terminal: \\u escapes', () => {
    expect(forTerminal(true, JSON.stringify('\u009b\u202e\u2028\u{E0041}'), 'json')).toBe('"\\u009b\\u202e\\u2028\\udb40\\udc41"');
  });
});

describe('the diagnostic writer', () => {
  test('one line: escaped, tabs and line breaks folded, one newline', () => {
    expect(captured((s) => diagnostic(s, 'papers: x\x1b]0;t\x07\n\ty'))).toBe('papers: x\\x1b]0;t\\x07 y\n');
  });
  test('lines (a stack): line breaks kept, everything else escaped', () => {
    expect(captured((s) => diagnosticLines(s, 'Error: a\x1bc\n    at f (x.js:1:1)'))).toBe('Error: a\\x1bc\n    at f (x.js:1:1)\n');
  });
  test('the status line: only its own erase sequence is raw', () => {
    expect(captured((s) => (statusLine(s, 'fetching \x1b]0;t\x07'), clearStatusLine(s)))).toBe('\r\x1b[Kfetching \\x1b]0;t\\x07\r\x1b[K');
  });
});

/** Every .ts file under `dir`. */
function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

test('nothing writes to stderr but the diagnostic writer (src/render/diagnostic.ts)', () => {
  const writer = join(ROOT, 'src/render/diagnostic.ts');
  const offenders = sources(join(ROOT, 'src'))
    .filter((f) => f !== writer)
    .flatMap((f) =>
      readFileSync(f, 'utf8')
        .split('\n')
        .map((line, i) => ({ line, at: `${relative(ROOT, f)}:${i + 1}` }))
        .filter(({ line }) => /\bstderr\s*\.\s*write\b|\bconsole\s*\.\s*(error|warn|log|info|debug|trace)\b|process\.emitWarning/.test(line))
        .map(({ at, line }) => `${at}: ${line.trim()}`),
    );
  expect(offenders).toEqual([]);
});
