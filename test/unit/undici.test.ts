/** The lean undici loader (src/net/undici.ts): the parts papers uses, without undici's whole index. */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { loadUndici } from '../../src/net/undici.js';

describe('loadUndici', () => {
  it('loads Agent, EnvHttpProxyAgent and request() from their own modules, not the whole package', async () => {
    const undici = await loadUndici();
    // The fallback is the full package, which also exports fetch: a layout change would show here.
    expect('fetch' in undici).toBe(false);
    expect(Object.keys(undici).sort()).toEqual(['Agent', 'EnvHttpProxyAgent', 'request']);
    expect(await loadUndici()).toBe(undici);
  });

  it('request() sends the path and query of a URL through the given dispatcher', async () => {
    const server = createServer((req, res) => res.end(`${req.method} ${req.url}`));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const undici = await loadUndici();
    const dispatcher = new undici.Agent();
    try {
      const res = await undici.request(new URL(`http://127.0.0.1:${port}/api/daily_papers?date=2025-08-28`), { dispatcher, method: 'GET' });
      expect(res.statusCode).toBe(200);
      expect(await res.body.text()).toBe('GET /api/daily_papers?date=2025-08-28');
    } finally {
      await dispatcher.close();
      server.close();
    }
  });
});
