/**
 * The lean undici loader's fallback: when undici's internal files are not where this version
 * expects them (a later undici moved them), the whole package is loaded instead — an upgrade
 * costs start-up time, never a failure. Simulated by a require that cannot find undici/lib/*.
 */
import { describe, expect, it, vi } from 'vitest';

vi.mock('node:module', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:module')>();
  const createRequire = (from: string | URL) => {
    const req = real.createRequire(from);
    return Object.assign((id: string) => {
      if (id.startsWith('undici/lib/')) throw Object.assign(new Error(`Cannot find module '${id}'`), { code: 'MODULE_NOT_FOUND' });
      return req(id);
    }, req);
  };
  return { ...real, default: { ...real, createRequire }, createRequire };
});

describe('loadUndici when undici/lib has moved', () => {
  it('loads the whole package, which still gives Agent, EnvHttpProxyAgent and request()', async () => {
    const { loadUndici } = await import('../../src/net/undici.js');
    const undici = await loadUndici();
    // The whole package: its index also exports fetch (the lean path does not).
    expect('fetch' in undici).toBe(true);
    expect(typeof undici.Agent).toBe('function');
    expect(typeof undici.EnvHttpProxyAgent).toBe('function');
    expect(typeof undici.request).toBe('function');
    expect(await loadUndici()).toBe(undici);
  });
});
