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
    // Each CJK character is a word of the index: a run is a phrase of its characters.
    ['多模态', '"多 模 态"'],
    ['视觉 transformer', '"视 觉" "transformer"'],
    ['GPT4多模态', '"GPT4 多 模 态"'],
    ['"多模态 大模型"', '"多 模 态 大 模 型"'],
    ['言語モデル', '"言 語 モ デ ル"'],
    ['트랜스포머*', '"트 랜 스 포 머"*'],
    ['ｶﾀｶﾅ', '("ｶ ﾀ ｶ ﾅ" OR "カ タ カ ナ")'],
  ])('%j → %s', (input, out) => expect(expr(input)).toBe(out));

  it.each(['', '   ', '***', '"" ()', '-- ; \''])('%j has no words', (input) => expect(expr(input)).toBeNull());
});
