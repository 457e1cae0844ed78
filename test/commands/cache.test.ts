/** `papers cache`: path, stats, check, vacuum. */
import { describe, expect, it } from 'vitest';
import { importedDb } from '../support/papers.js';

const { run, db } = importedDb();

describe('cache', () => {
  it('path, stats, check, vacuum', async () => {
    expect((await run(['cache', 'path'])).stdout).toBe(db + '\n');
    const stats = JSON.parse((await run(['cache', 'stats', '--json'])).stdout);
    expect(stats).toMatchObject({ path: db, papers: 21, listings: 21 });
    expect(stats.bySource).toEqual([{ source: 'hf', days: 2, papers: 21, first: '2024-03-12', last: '2025-06-09' }]);
    const check = await run(['cache', 'check']);
    expect(check).toMatchObject({ code: 0, stderr: `${db}: ok (database and search index)\n` });
    const vacuum = await run(['cache', 'vacuum']);
    expect(vacuum.code).toBe(0);
    expect(vacuum.stderr).toMatch(/^compacted .* MB → .* MB\n$/);
    expect((await run(['search', 'stealing'])).code).toBe(0);
  });
});
