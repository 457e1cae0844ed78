/**
 * undici, loaded lean. `import('undici')` evaluates its whole index (fetch, WebSocket, cache
 * stores, mock agents) where papers needs three things, Agent, EnvHttpProxyAgent and
 * request(), which load much sooner through their own modules.
 *
 * undici's index gives dispatchers their request() and connect() methods (a proxy's CONNECT
 * tunnel calls the latter) with `Object.assign(Dispatcher.prototype, api)` and turns a URL
 * into origin + path; both are done here the same way. Should a later undici move these
 * files, the whole package is imported instead, so an upgrade costs speed, never a failure.
 */
import { createRequire } from 'node:module';
import { setFlagsFromString } from 'node:v8';
import type * as Undici from 'undici';

export type UndiciLite = Pick<typeof Undici, 'Agent' | 'EnvHttpProxyAgent' | 'request'>;

let loading: Promise<UndiciLite> | undefined;

/** The parts of undici papers uses (loaded once per process). */
export function loadUndici(): Promise<UndiciLite> {
  // The full package through require, like the lean path: the CLI bundle (bin/papers.cjs)
  // runs as a script compiled with a code cache, where import() has no loader to call.
  loading ??= loadLean().catch(() => createRequire(import.meta.url)('undici') as UndiciLite);
  return loading;
}

async function loadLean(): Promise<UndiciLite> {
  // undici parses HTTP with llhttp compiled to WebAssembly. V8 first compiles it quickly
  // (Liftoff), then optimizes it on background threads that compete for the CPU and that the
  // process waits for at exit: time a short fetch never gets back, as parsing a few responses
  // never needs the optimized code. The flag is process-wide, but llhttp is the only
  // WebAssembly papers runs, and it is set only here, on the paths that fetch.
  setFlagsFromString('--liftoff-only');
  const require = createRequire(import.meta.url);
  const Dispatcher = require('undici/lib/dispatcher/dispatcher');
  const api = require('undici/lib/api');
  const Agent = require('undici/lib/dispatcher/agent') as typeof Undici.Agent;
  const EnvHttpProxyAgent = require('undici/lib/dispatcher/env-http-proxy-agent') as typeof Undici.EnvHttpProxyAgent;
  if (typeof api.request !== 'function' || typeof Agent !== 'function' || typeof EnvHttpProxyAgent !== 'function') {
    throw new Error('undici layout changed');
  }
  Object.assign(Dispatcher.prototype, api);
  const request = ((url: string | URL, opts: Undici.Dispatcher.RequestOptions & { dispatcher: Undici.Dispatcher }) => {
    const { dispatcher, ...rest } = opts;
    const u = new URL(url);
    return dispatcher.request({ ...rest, origin: u.origin, path: u.pathname + u.search, method: rest.method ?? 'GET' });
  }) as unknown as typeof Undici.request;
  return { Agent, EnvHttpProxyAgent, request };
}
