import { describe, expect, test } from 'vitest';
import { emptyPaper, titleId } from '../../src/model.js';
import { escapeMarkdown, markdownPaper, safeUrl, toMarkdown } from '../../src/render/markdown.js';
import type { PaperRow } from '../../src/model.js';

const row = (over: Partial<PaperRow> = {}): PaperRow => ({
  ...emptyPaper('2506.05176', 'Qwen3 Embedding: Advancing Text Embedding and Reranking'),
  listedOn: '2025-06-09',
  source: 'hf',
  rank: 1,
  ...over,
});

describe('toMarkdown', () => {
  test('a digest: heading, linked title, authors, meta line, abstract paragraphs', () => {
    const r = row({
      authors: ['Yanzhao Zhang', 'Mingxin Li'],
      upvotes: 42,
      comments: 3,
      githubRepo: 'https://github.com/QwenLM/Qwen3-Embedding',
      abstract: 'We introduce Qwen3.\n\nIt ranks first.',
      aiSummary: 'Qwen3 embeds text.',
    });
    expect(toMarkdown([r, row({ id: '2506.00001', title: 'Second', upvotes: 1, comments: 1 })], { summary: false, title: 'Daily Papers, 2025-06-09' })).toBe(
      `# Daily Papers, 2025-06-09

## [Qwen3 Embedding: Advancing Text Embedding and Reranking](https://huggingface.co/papers/2506.05176)

Yanzhao Zhang, Mingxin Li

▲ 42 · 3 comments · [code](https://github.com/QwenLM/Qwen3-Embedding) · listed 2025-06-09

We introduce Qwen3.

It ranks first.

## [Second](https://huggingface.co/papers/2506.00001)

▲ 1 · 1 comment · listed 2025-06-09
`,
    );
  });

  test('summary: the AI summary, else the abstract', () => {
    const r = row({ abstract: 'The abstract.', aiSummary: 'The summary.' });
    expect(markdownPaper(r, { summary: true })).toContain('\n\nThe summary.\n');
    expect(markdownPaper(r, { summary: false })).toContain('\n\nThe abstract.\n');
    expect(markdownPaper({ ...r, aiSummary: null }, { summary: true })).toContain('\n\nThe abstract.\n');
    expect(markdownPaper({ ...r, aiSummary: '  ' }, { summary: true })).toContain('\n\nThe abstract.\n');
  });

  test('more than 8 authors: the first 8 and "et al."', () => {
    const authors = Array.from({ length: 12 }, (_, i) => `Author ${i + 1}`);
    expect(markdownPaper(row({ authors }), { summary: false }).split('\n')[2]).toBe(
      'Author 1, Author 2, Author 3, Author 4, Author 5, Author 6, Author 7, Author 8 et al.',
    );
    expect(markdownPaper(row({ authors: authors.slice(0, 8) }), { summary: false }).split('\n')[2]).not.toContain('et al.');
  });

  test('links: arXiv page for old-style ids, none for title-only papers', () => {
    expect(markdownPaper(row({ id: 'hep-th/9901001', title: 'Old' }), { summary: false })).toMatch(/^## \[Old\]\(https:\/\/arxiv\.org\/abs\/hep-th\/9901001\)\n/);
    expect(markdownPaper(row({ id: titleId('Only a title'), title: 'Only a title' }), { summary: false })).toMatch(/^## Only a title\n/);
  });

  test('no heading without a title, no meta line when nothing is known', () => {
    expect(toMarkdown([row({ listedOn: null, title: 'T' })], { summary: false })).toBe('## [T](https://huggingface.co/papers/2506.05176)\n');
    expect(toMarkdown([], { summary: false, title: 'Empty' })).toBe('# Empty\n');
  });

  test('hostile text cannot add links, images, HTML or escape sequences', () => {
    const r = row({
      title: '[click](javascript:alert(1)) <img src=x onerror=alert(1)> \x1b]8;;https://evil.example\x07x',
      authors: ['![i](https://evil.example/t.png)', '<script>'],
      githubRepo: 'javascript:alert(1)',
      abstract: '<a href="https://evil.example">free</a> [x](https://evil.example)\n\n# Not a heading\n\n- not a list',
    });
    const md = markdownPaper(r, { summary: false });
    expect(md).toBe(
      '## [\\[click\\](javascript:alert(1)) \\<img src=x onerror=alert(1)\\> x](https://huggingface.co/papers/2506.05176)\n\n' +
        '!\\[i\\](https://evil.example/t.png), \\<script\\>\n\n' +
        'listed 2025-06-09\n\n' +
        '\\<a href="https://evil.example"\\>free\\</a\\> \\[x\\](https://evil.example)\n\n' +
        '\\# Not a heading\n\n' +
        '\\- not a list\n',
    );
  });
});

describe('escapeMarkdown', () => {
  // [text, lineStart, escaped]
  test.each<[string, boolean, string]>([
    ['Plain title: no change', false, 'Plain title: no change'],
    ['a_b *c* `d` [e] <f> g|h ~i~ \\j', false, 'a\\_b \\*c\\* \\`d\\` \\[e\\] \\<f\\> g\\|h \\~i\\~ \\\\j'],
    ['AT&T &amp; &#91;', false, 'AT&T \\&amp; \\&#91;'],
    ['# heading', true, '\\# heading'],
    ['# not at line start', false, '# not at line start'],
    ['> quote', true, '\\> quote'],
    ['- item', true, '\\- item'],
    ['+ item', true, '\\+ item'],
    ['2024. A year', true, '2024\\. A year'],
    ['1) one', true, '1\\) one'],
    ['3D scenes', true, '3D scenes'],
    ['=== rule', true, '\\=== rule'],
  ])('%j (line start: %s) → %j', (text, lineStart, escaped) => {
    expect(escapeMarkdown(text, lineStart)).toBe(escaped);
  });
});

describe('safeUrl', () => {
  // [raw, url]
  test.each<[string | null, string | null]>([
    ['https://github.com/QwenLM/Qwen3-Embedding', 'https://github.com/QwenLM/Qwen3-Embedding'],
    ['http://example.com/a b', 'http://example.com/a%20b'],
    ['https://example.com/x)(y', 'https://example.com/x%29%28y'],
    ['https://example.com/<b>"', 'https://example.com/%3Cb%3E%22'],
    ['  https://example.com/  ', 'https://example.com/'],
    ['javascript:alert(1)', null],
    ['data:text/html,<b>x</b>', null],
    ['ftp://example.com/', null],
    ['github.com/a/b', null],
    ['', null],
    [null, null],
  ])('%j → %j', (raw, url) => {
    expect(safeUrl(raw)).toBe(url);
  });
});

test('a "#" in a heading survives (trailing "#"s would close an ATX heading)', () => {
  expect(toMarkdown([row({ id: titleId('Learning C #'), title: 'Learning C #' })], { summary: false, title: 'Issue #8' })).toBe(
    '# Issue \\#8\n\n## Learning C \\#\n\nlisted 2025-06-09\n',
  );
});
