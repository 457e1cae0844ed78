/**
 * Fuzzing grep's matcher: random small regular expressions from a grammar of the syntax
 * users write (escapes with arguments, classes, groups, lookaround, quantifiers, anchors,
 * patterns that only match empty) over random text with astral characters, the Kelvin
 * sign and the long s. grep's decision per field equals RegExp#test, the SQL prefilter's
 * literal is in every field the regex matches (as SQLite's instr/lower() would see it),
 * and the match loop runs a bounded number of times.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PapersError } from '../../src/errors.js';
import { compilePattern, findMatches, matchesAny } from '../../src/grep.js';
import { TIMEOUT, check } from './support.js';

const CHARS = ['a', 'b', 'e', 'k', 's', 'K', 'S', 'x', ' ', '-', '.', '(', ')', 'é', '深', '😀', '🤗', '\u212A', '\u017F', '\n', '1', '0'];
const text = fc.array(fc.constantFrom(...CHARS), { maxLength: 40 }).map((cs) => cs.join(''));

const ATOMS = [
  'a', 'b', 'e', 'k', 's', 'x', 'ab', 'ske', ' ', '.', '😀', '深', 'é', '\\b', '\\B', '\\d', '\\w', '\\s', '\\.', '\\(', '\\-', '\\x61', '\\u0065',
  '\\u{1F600}', '\\p{L}', '\\P{L}', '[ab]', '[^a]', '[)]', '[(]', '[😀x]', '^', '$', '(?:)', '\\1', '\\k<n>', '10',
];
const QUANTIFIERS = ['', '', '', '?', '*', '+', '*?', '+?', '{2}', '{0,1}', '{10}', '{1,}', '{'];
const regexSource: fc.Arbitrary<string> = fc.letrec<{ re: string; atom: string }>((tie) => ({
  re: fc.array(fc.tuple(tie('atom') as fc.Arbitrary<string>, fc.constantFrom(...QUANTIFIERS)).map(([a, q]) => a + q), { minLength: 1, maxLength: 5 }).map((xs) => xs.join('')),
  atom: fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...ATOMS) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.constantFrom('(', '(?:', '(?=', '(?!', '(?<=', '(?<!', '(?<n>'), tie('re') as fc.Arbitrary<string>, fc.option(tie('re') as fc.Arbitrary<string>, { nil: undefined, depthSize: 'small' }))
        .map(([open, a, b]) => `${open}${a}${b === undefined ? '' : '|' + b})`),
    },
  ),
})).re;

/** A RegExp that refuses to run `exec` more than `limit` times: the loop over matches must end. */
function bounded(re: RegExp, limit: number): RegExp {
  let calls = 0;
  const copy = new RegExp(re.source, re.flags);
  const exec = copy.exec.bind(copy);
  copy.exec = (s: string) => {
    if (++calls > limit) throw new Error(`exec called more than ${limit} times`);
    return exec(s);
  };
  return copy;
}

// What SQLite's lower() does: ASCII letters only.
const sqlLower = (s: string) => s.replace(/[A-Z]/g, (c) => c.toLowerCase());

describe('grep matcher, fuzzed', () => {
  it('decides like RegExp#test, keeps its prefilter sound, and ends', () => {
    check(
      fc.property(regexSource, fc.boolean(), fc.boolean(), fc.boolean(), fc.array(text, { minLength: 1, maxLength: 6 }), (source, ignoreCase, word, fixed, fields) => {
        let compiled: ReturnType<typeof compilePattern>;
        try {
          compiled = compilePattern(source, { ignoreCase, word, fixed });
        } catch (err) {
          if (err instanceof PapersError) return;
          throw err;
        }
        const { regex, literal } = compiled;
        const reference = new RegExp(regex.source, regex.flags.replace('g', ''));
        for (const field of fields) {
          const matches = findMatches(bounded(regex, 2 * field.length + 4), 'title', field);
          const expected = reference.test(field);
          expect(matches.length > 0, `/${regex.source}/${regex.flags} on ${JSON.stringify(field)}`).toBe(expected);
          expect(matchesAny(regex, field)).toBe(expected);
          for (const m of matches) expect(field.startsWith(m.text, m.index)).toBe(true);
          if (expected && literal !== null) {
            const haystack = ignoreCase ? sqlLower(field) : field;
            expect(haystack, `literal ${JSON.stringify(literal)} of /${regex.source}/${regex.flags}`).toContain(ignoreCase ? literal.toLowerCase() : literal);
          }
        }
      }),
    );
  }, TIMEOUT);

  it('patterns that only match empty end on long text of astral characters', () => {
    const long = '😀🤗 e x '.repeat(5_000);
    for (const p of ['e*', '\\b', '\\B', '(?=p)', '^', '$', 'x*', '(?:)', '😀*', '(?<=😀)', 'y?']) {
      for (const ignoreCase of [false, true]) {
        const { regex } = compilePattern(p, { ignoreCase, word: false, fixed: false });
        const matches = findMatches(bounded(regex, 2 * long.length + 4), 'abstract', long);
        expect(matches.length > 0, p).toBe(new RegExp(regex.source, regex.flags.replace('g', '')).test(long));
      }
    }
  }, TIMEOUT);
});
