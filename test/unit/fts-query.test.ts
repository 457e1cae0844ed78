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
    // Compatibility characters match as typed or folded (NFKC); stored text keeps its own.
    ['ﬁne-tuning', '("ﬁne tuning" OR "fine tuning")'],
    ['ﬁne*', '("ﬁne"* OR "fine"*)'],
    ['ＧＰＴ 4', '("ＧＰＴ" OR "GPT") AND "4"'],
    ['O(n²)', '("O n²" OR "O n2")'],
  ])('%j → %s', (input, out) => expect(expr(input)).toBe(out));

  it.each(['', '   ', '***', '"" ()', '-- ; \''])('%j has no words', (input) => expect(expr(input)).toBeNull());
});
