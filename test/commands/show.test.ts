/**
 * `papers show`: by id, URL or list number; JSON with listings; references it cannot resolve.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { stripAnsi } from '../support/run.js';
import { inProcessWithDb as withDb } from '../support/in-process.js';
import { hf, sample2025 } from '../support/papers.js';

describe('show', () => {
  const { run } = withDb();
  beforeAll(async () => {
    await run(['import', hf('hfdp-ml_2025-06-09.json')]);
  });

  it('by id, with version, and by HF / arXiv URLs', async () => {
    const id = sample2025[0]!.paper.id;
    for (const ref of [id, `${id}v2`, `https://huggingface.co/papers/${id}`, `https://arxiv.org/abs/${id}v1`, `https://arxiv.org/pdf/${id}.pdf`]) {
      const r = await run(['show', ref]);
      expect(r.code, ref).toBe(0);
      expect(r.stdout.split('\n')[0], ref).toBe(sample2025[0]!.paper.title.replace(/\s+/g, ' ').trim());
      expect(r.stdout).toMatch(new RegExp(`^arXiv +https://arxiv\\.org/abs/${id.replace('.', '\\.')}$`, 'm'));
    }
  });

  it('by the number shown in the last TTY list', async () => {
    const listed = await run(['list', '--sort', 'title'], { env: { PAPERS_FORCE_TTY: '1' } });
    const third = /^ +3 .*?(\d{4}\.\d{5})/m.exec(stripAnsi(listed.stdout))![1]!;
    const r = await run(['show', '3', '--json']);
    expect(JSON.parse(r.stdout).id).toBe(third);
  });

  it('--json includes the listings', async () => {
    const r = await run(['show', sample2025[0]!.paper.id, '--json']);
    const obj = JSON.parse(r.stdout);
    expect(obj.listings).toEqual([{ source: 'hf', day: '2025-06-09', rank: expect.any(Number), upvotes: expect.any(Number) }]);
  });

  it.each([
    ['9999.99999', 1, /not in the database/],
    ['https://example.com/papers/2506.05176', 2, /not a paper id/],
    ['99', 2, /no paper numbered 99/],
  ])('%s → exit %i', async (ref, code, message) => {
    const r = await run(['show', ref]);
    expect(r.code).toBe(code);
    expect(r.stderr).toMatch(message);
  });
});
