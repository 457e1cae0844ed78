import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { compilePattern, excerpt, findMatches, parseFields, requiredAlternatives, requiredLiteral } from '../../src/grep.js';

const plain = { ignoreCase: false, word: false, fixed: false };

describe('requiredLiteral: a substring every match must contain', () => {
  it.each([
    ['sparse attention', 'sparse attention'],
    ['state[- ]space model', 'space model'],
    ['colou?r', 'colo'],
    ['diffusion\\s+model', 'diffusion'],
    ['gpt-?4o', 'gpt'],
    ['a(b|c)d', null], // alternation inside a group: the group breaks the run
    ['cat|dog', null], // alternation outside every group: give up
    ['multimodal (understanding|reasoning)', 'multimodal '],
    ['(a|b)cde|xyz', null],
    ['[|]abc', 'abc'], // a `|` in a class is a character
    ['\\|abc', '|abc'], // so is an escaped one
    ['(?:x|y)+ model (a|b)', ' model '],
    ['\\d+\\.\\d+x speedup', 'x speedup'],
    ['v\\d', null], // one character is too short to be worth it
    ['[abc]+', null],
    ['3\\.5', '3.5'],
    ['abc{2}de', 'ab'],
    // Escapes with arguments and quantifier digits are not text.
    ['ab\\x41cd', 'ab'],
    ['\\u0041xyz', 'xyz'],
    ['\\u{1F600}xy', 'xy'],
    ['\\p{Lu}x', null],
    ['\\k<name>', null],
    ['a{10}', null],
    ['x{2,15}', null],
    // A class inside an optional group: its `)` does not end the group.
    ['(x[)]yz)?', null],
    // An optional astral character is optional whole, not one UTF-16 half of it.
    ['ab😀?', 'ab'],
    ['😀😀', '😀😀'],
  ])('%s → %s', (pattern, literal) => expect(requiredLiteral(pattern)).toBe(literal));

  it('is really required: every match of the pattern contains it', () => {
    const text = 'State-space models, state space model, statespace, colour, color, gpt4o, GPT-4o, 2.5x speedup, 3.5';
    for (const p of ['state[- ]space model', 'colou?r', 'gpt-?4o', '\\d+\\.\\d+x speedup']) {
      const lit = requiredLiteral(p)!;
      for (const m of text.matchAll(new RegExp(p, 'g'))) expect(m[0]).toContain(lit);
    }
  });
});

describe('requiredAlternatives: strings one of which every match contains', () => {
  it.each([
    ['sparse attention', ['sparse attention']],
    ['multimodal (understanding|reasoning)', ['multimodal understanding', 'multimodal reasoning']],
    ['cat|dog', ['cat', 'dog']],
    ['(?:x|y)+ model (a|b)', ['x model a', 'x model b', 'y model a', 'y model b']],
    ['(?<name>multi)modal', ['multimodal']],
    ['(state|address)(-of| of|ing)', ['state-of', 'state of', 'stateing', 'address-of', 'address of', 'addressing']],
    // Repeated: the run ends with its first occurrence and the next starts with its last.
    ['(ab)+cdef', ['abcdef']],
    ['xyz(ab)+', ['xyzab']],
    // An optional item, a class, an escape, an anchor or lookaround break the run.
    ['colou?r scheme', ['r scheme']],
    ['\\bdeep\\b learning', [' learning']],
    ['(?=abc)abcd', ['abcd']],
    ['diffusion\\s+model', ['diffusion']],
    ['state[- ]space', ['state']],
    ['3\\.5 times', ['3.5 times']],
    // An alternative without a string of its own: none for the whole.
    ['cat|\\d+', null],
    ['(cat|d)og', ['catog', 'dog']],
    ['(cat|)og', null],
    ['a(b|c)d', ['abd', 'acd']],
    // Too many to multiply out: the longest run that stays few.
    ['(a|b|c|d)(e|f|g|h)(i|j) model', ['i model', 'j model']],
    // Not printable ASCII: not for the index.
    ['café au lait', null],
    ['\\x41bcd', ['bcd']],
    ['ab{2}cd', ['bcd']],
    ['abc{1}de', ['abcde']],
    ['[|]abc', ['abc']],
    ['(x[)]yz)?', null],
    ['a)b', null],
  ])('%s → %j', (pattern, expected) => expect(requiredAlternatives(pattern)).toEqual(expected));

  it('is really required: every match of the pattern holds one of them', () => {
    const text = 'multimodal reasoning, multimodal understanding, xx model b, ab ab cdef abababcdef, addressing state-of the colour scheme';
    for (const p of ['multimodal (understanding|reasoning)', '(?:x|y)+ model (a|b)', '(ab)+cdef', '(state|address)(-of| of|ing)', 'colou?r scheme']) {
      const alternatives = requiredAlternatives(p)!;
      const matches = [...text.matchAll(new RegExp(p, 'g'))];
      expect(matches.length, p).toBeGreaterThan(0);
      for (const m of matches) expect(alternatives.some((a) => m[0].includes(a)), `${p}: ${m[0]}`).toBe(true);
    }
  });
});

describe('compilePattern', () => {
  it('-F takes the pattern literally and uses it as the prefilter', () => {
    const { regex, literal } = compilePattern('a.b(c', { ...plain, fixed: true });
    expect(regex.test('xa.b(cx')).toBe(true);
    expect(new RegExp(regex.source, regex.flags).test('aXb(c')).toBe(false);
    expect(literal).toBe('a.b(c');
  });
  it('-w matches whole words only, Unicode-aware', () => {
    const { regex } = compilePattern('RL', { ...plain, word: true });
    expect(findMatches(regex, 'abstract', 'RLHF and RL, not CURL; é-RL').map((m) => m.index)).toEqual([9, 25]);
  });
  it('-i ignores case; a non-ASCII literal is not prefiltered (SQLite lower() is ASCII-only)', () => {
    expect(compilePattern('Café au lait', { ...plain, ignoreCase: true }).literal).toBeNull();
    expect(compilePattern('Mamba', { ...plain, ignoreCase: true }).literal).toBe('Mamba');
  });
  it('-i: the prefilter leaves out k and s, which /iu matches as the Kelvin sign and the long s', () => {
    const { regex, literal } = compilePattern('skill', { ...plain, ignoreCase: true });
    expect(regex.test('\u017F\u212Aill')).toBe(true);
    expect(literal).toBe('ill');
    expect(compilePattern('mask', { ...plain, ignoreCase: true }).literal).toBe('ma');
  });
  it('accepts legacy escapes grep users write (\\-) by falling back from the u flag', () => {
    expect(compilePattern('gpt\\-4', plain).regex.test('gpt-4')).toBe(true);
  });
  it.each(['(', '[a-', '*x', 'a{2,1}'])('invalid regex %j is a usage error naming the problem', (p) => {
    expect(() => compilePattern(p, plain)).toThrow(UsageError);
    expect(() => compilePattern(p, plain)).toThrow(/^invalid regular expression/);
  });
  it('empty pattern is a usage error', () => expect(() => compilePattern('', plain)).toThrow(UsageError));

  it.each([
    ['ﬁne-tun', plain, ['fine-tuning', 'ﬁne-tuning'], ['fume']],
    ['ﬁne.tun', { ...plain, fixed: true }, ['ﬁne.tun', 'fine.tun'], ['fine-tun']],
    ['ＧＰＴ', { ...plain, ignoreCase: true }, ['gpt', 'ＧＰＴ'], ['gtp']],
    ['(ﬁ|x)ne', { ...plain, word: true }, ['fine', 'xne'], ['define']],
  ])('%j matches as typed or in compatibility form (NFKC), with no SQL literal', (pattern, opts, hits, misses) => {
    const { regex, literal } = compilePattern(pattern, opts);
    for (const h of hits) expect(h.match(regex), h).not.toBeNull();
    for (const m of misses) expect(m.match(regex), m).toBeNull();
    expect(literal).toBeNull();
  });

  it('a pattern with a backreference is matched as typed only (group numbers would shift)', () => {
    const { regex } = compilePattern('(ﬁ)\\1', plain);
    expect('ﬁﬁ'.match(regex)).not.toBeNull();
    expect('fifi'.match(regex)).toBeNull();
  });
});

describe('findMatches and excerpt', () => {
  it('lists the non-empty matches, or the first empty one when that is all there is', () => {
    expect(findMatches(/x*/g, 'title', 'abxxc')).toEqual([{ field: 'title', index: 2, text: 'xx' }]);
    expect(findMatches(/^/g, 'title', 'abc')).toEqual([{ field: 'title', index: 0, text: '' }]);
    expect(findMatches(/\b/g, 'title', '😀 ok')).toEqual([{ field: 'title', index: 3, text: '' }]);
    expect(findMatches(/(?=p)/g, 'title', 'no')).toEqual([]);
  });
  it('r14_empty_match_in_surrogate_pair: steps over astral characters whole and ends', () => {
    const text = '😀'.repeat(10_000) + 'e';
    expect(findMatches(/e*/gu, 'title', text)).toEqual([{ field: 'title', index: 20_000, text: 'e' }]);
    expect(findMatches(/(?:)/gu, 'title', '😀x😀')).toEqual([{ field: 'title', index: 0, text: '' }]);
    // Legacy (non-u) patterns step by UTF-16 unit, which ends too.
    expect(findMatches(/y*/g, 'title', '😀😀')).toEqual([{ field: 'title', index: 0, text: '' }]);
  });
  it('an empty match is not marked in an excerpt', () => {
    expect(excerpt('abc def', findMatches(/^/g, 'abstract', 'abc def'), '[', ']')).toBe('abc def');
  });
  it('marks matches and cuts at word boundaries', () => {
    const text = 'We study sparse attention in long-context transformers and show that sparse kernels help.';
    const ms = findMatches(/sparse/g, 'abstract', text);
    expect(excerpt(text, ms, '[', ']', 12)).toBe('We study [sparse] attention… …show that [sparse] kernels…');
    // Matches closer than the context share one excerpt.
    expect(excerpt(text, ms, '[', ']', 60)).toBe('We study [sparse] attention in long-context transformers and show that [sparse] kernels help.');
    expect(excerpt(text, ms.slice(0, 1), '[', ']', 7)).toBe('…study [sparse]…');
  });
});

describe('parseFields', () => {
  it('defaults to title and abstract; validates names', () => {
    expect(parseFields(undefined)).toEqual(['title', 'abstract']);
    expect(parseFields('authors, keywords,authors')).toEqual(['authors', 'keywords']);
    expect(parseFields('title,body')).toEqual(['title', 'body']);
    expect(() => parseFields('bodies')).toThrow(/unknown field "bodies" in --in/);
  });
});
