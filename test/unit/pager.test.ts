/** The pager's hold on Ctrl-C (src/render/pager.ts): taken while a pager runs, given back whole. */
import { describe, expect, it } from 'vitest';
import { startPager } from '../../src/render/pager.js';

describe('Ctrl-C while a pager runs', () => {
  it("is the pager's: the listeners this process had are off until the pager exits, then back", async () => {
    const mine = () => {};
    process.on('SIGINT', mine);
    try {
      const pager = startPager('cat > /dev/null', process.env);
      expect(process.listeners('SIGINT')).not.toContain(mine);
      // Not Node's default either (that would end this process): one listener that ignores it.
      expect(process.listenerCount('SIGINT')).toBe(1);
      pager.stdin.write('text\n');
      await pager.close();
      expect(process.listeners('SIGINT')).toEqual([mine]);
    } finally {
      process.off('SIGINT', mine);
    }
  });

  it('two pagers at once (in-process tests) give back exactly the listeners there were, in either order', async () => {
    const mine = () => {};
    process.on('SIGINT', mine);
    const before = process.listeners('SIGINT');
    try {
      for (const firstToClose of [0, 1]) {
        const pagers = [startPager('cat > /dev/null', process.env), startPager('cat > /dev/null', process.env)];
        expect(process.listeners('SIGINT')).not.toContain(mine);
        await pagers[firstToClose]!.close();
        expect(process.listeners('SIGINT'), 'one pager still runs').not.toContain(mine);
        await pagers[1 - firstToClose]!.close();
        expect(process.listeners('SIGINT')).toEqual(before);
      }
    } finally {
      process.off('SIGINT', mine);
    }
  });
});
