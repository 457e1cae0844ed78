import { describe, expect, it } from 'vitest';
import { parseQuery, toMatchExpression } from '../../src/store/fts-query.js';

const expr = (s: string) => toMatchExpression(parseQuery(s));

describe('search text → FTS5 expression', () => {
  it.each([
    ['sparse attention', '"sparse" "attention"'],
    ['"sparse attention"', '"sparse attention"'],
    ['sparse-attention', '"sparse attention"'],
    ['transform*', '"transform"*'],
    ['"mixture of expert*"', '"mixture of expert"*'],
    ['GPT-4o AND llama', '"GPT 4o" "AND" "llama"'],
    ['NEAR(a b)', '"NEAR a" "b"'],
    ["'; DROP TABLE papers; --", '"DROP" "TABLE" "papers"'],
    ['unbalanced "quote here', '"unbalanced" "quote" "here"'],
    ['a "b c" "d', '"a" "b c" "d"'],
    ['\\ back\\slash', '"back slash"'],
    ['régularisation café', '"régularisation" "café"'],
  ])('%j → %s', (input, out) => expect(expr(input)).toBe(out));

  it.each(['', '   ', '***', '"" ()', '-- ; \''])('%j has no words', (input) => expect(expr(input)).toBeNull());
});
