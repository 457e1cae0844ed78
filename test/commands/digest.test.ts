/** `papers digest`: Markdown, HTML and Atom of the inbox's top picks; `-o FILE`; `--since last`. */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES } from '../support/run.js';
import { inProcessWithDb as withDb } from '../support/in-process.js';
import { digest, type DigestPick } from '../../src/render/digest.js';
import { emptyPaper } from '../../src/model.js';

const hf = (name: string) => join(FIXTURES, 'hf-api', name);
const NOW = { env: { PAPERS_NOW: '2025-06-10T08:00:00Z' } };

describe('papers digest', () => {
  it('md by default: the top picks with links, why and abstracts; starred and dismissed papers are left out', async () => {
    const { run } = withDb();
    await run(['import', hf('hfdp-ml_2025-06-09.json')]);
    await run(['dismiss', '2505.21115']);
    const r = await run(['digest', '--limit', '3'], NOW);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^# papers digest · from 2025-06-09 to 2025-06-10\n\n## 1\. \[FusionAudio-1\.2M/);
    expect(r.stdout.match(/^## \d/gm)).toHaveLength(3);
    expect(r.stdout).toContain('(<https://arxiv.org/abs/2506.01111>)');
    expect(r.stdout).toContain('*why: +upvotes 21*');
    expect(r.stdout).not.toContain('2505.21115');
  });

  it('atom to a file: one entry per pick, escaped; the next --since last starts at that day', async () => {
    const { run } = withDb();
    await run(['import', hf('hfdp-ml_2025-06-09.json')]);
    const file = join(mkdtempSync(join(tmpdir(), 'papers-digest-')), 'feed.xml');
    const r = await run(['digest', '--format', 'atom', '-o', file], NOW);
    expect(r).toMatchObject({ code: 0, stdout: '' });
    const xml = readFileSync(file, 'utf8');
    expect(xml).toMatch(/^<\?xml version="1.0" encoding="utf-8"\?>\n<feed xmlns="http:\/\/www.w3.org\/2005\/Atom">/);
    expect(xml.match(/<entry>/g)).toHaveLength(10);
    expect(xml).toContain('<id>https://arxiv.org/abs/2506.01111</id>');
    expect(xml).toContain('<updated>2025-06-10T08:00:00.000Z</updated>');
    // Days later, with nothing new: the window starts at the previous digest's day, at least the latest listing day.
    const later = await run(['digest', '--format', 'html'], { env: { PAPERS_NOW: '2025-06-20T08:00:00Z' } });
    expect(later.stdout).toContain('<h1>papers digest · from 2025-06-09 to 2025-06-20</h1>');
    const bad = await run(['digest', '--format', 'pdf'], NOW);
    expect(bad.code).toBe(2);
  });

  it('escapes markup in every format', () => {
    const p: DigestPick = { ...emptyPaper('2506.00001', 'A <b> & "c" *d* [e](f)'), abstract: 'x < y\u0001', authors: ['O\'Brien & Co'], categories: ['cs.LG'], listedOn: null, source: null, rank: null, score: 1, why: ['+<script>'] };
    const meta = { title: 'papers digest', now: new Date('2025-06-10T08:00:00Z'), window: 'on 2025-06-09' };
    const xml = digest([p], 'atom', meta);
    expect(xml).toContain('<title>A &lt;b&gt; &amp; &quot;c&quot; *d* [e](f)</title>');
    expect(xml).toContain('<summary type="text">x &lt; y</summary>');
    expect(xml).toContain('<author><name>O&#39;Brien &amp; Co</name></author>');
    expect(xml).toContain('&lt;em&gt;why: +&amp;lt;script&amp;gt;&lt;/em&gt;');
    expect(digest([p], 'html', meta)).toContain('<h2>1. <a href="https://arxiv.org/abs/2506.00001">A &lt;b&gt; &amp; &quot;c&quot; *d* [e](f)</a></h2>');
    expect(digest([p], 'md', meta)).toContain('## 1. [A \\<b\\> & "c" \\*d\\* \\[e\\](f)](<https://arxiv.org/abs/2506.00001>)');
  });
});
