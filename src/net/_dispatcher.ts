/**
 * undici dispatchers for src/net/http.ts, one per (connect timeout, proxy settings), kept for
 * the life of the process so that paging through a listing reuses its connections instead of
 * paying a TLS handshake per request. Idle undici sockets do not keep the process alive.
 */
import type { Dispatcher } from 'undici';
import { UsageError } from '../errors.js';
import type { UndiciLite } from './undici.js';

type Undici = UndiciLite;

/** Proxy settings read from an environment; empty strings mean "not set". */
export interface ProxySettings {
  httpProxy: string;
  httpsProxy: string;
  noProxy: string;
}

/**
 * The proxy variables of `env`, lower-case first like curl and undici, or undefined when no
 * proxy is configured (NO_PROXY alone changes nothing). Empty strings, never undefined, are
 * returned on purpose: undici's EnvHttpProxyAgent falls back to `process.env` for undefined.
 */
export function proxySettings(env: NodeJS.ProcessEnv): ProxySettings | undefined {
  const httpProxy = env.http_proxy || env.HTTP_PROXY || '';
  const httpsProxy = env.https_proxy || env.HTTPS_PROXY || '';
  if (!httpProxy && !httpsProxy) return undefined;
  return { httpProxy, httpsProxy, noProxy: env.no_proxy || env.NO_PROXY || '' };
}

const dispatchers = new Map<string, Dispatcher>();

/** A dispatcher with this connect timeout, going through the proxies `env` names, if any. */
export function dispatcherFor(undici: Undici, connectTimeoutMs: number, env: NodeJS.ProcessEnv): Dispatcher {
  const proxy = proxySettings(env);
  const key = JSON.stringify([connectTimeoutMs, proxy ?? null]);
  let dispatcher = dispatchers.get(key);
  if (!dispatcher) {
    dispatcher = proxy ? proxyAgent(undici, connectTimeoutMs, proxy) : new undici.Agent({ connect: { timeout: connectTimeoutMs } });
    dispatchers.set(key, dispatcher);
  }
  return dispatcher;
}

function proxyAgent(undici: Undici, timeout: number, proxy: ProxySettings): Dispatcher {
  try {
    // proxyTls/requestTls carry the connect timeout for the proxy leg and the tunnelled leg.
    // proxyTunnel: false sends plain-http requests in absolute form instead of through CONNECT,
    // which many proxies (Squid by default) allow only to port 443; https still tunnels.
    return new undici.EnvHttpProxyAgent({
      ...proxy,
      proxyTunnel: false,
      connect: { timeout },
      proxyTls: { timeout },
      requestTls: { timeout },
    });
  } catch {
    // Never echo the value: proxy URLs often carry a user name and password.
    throw new UsageError('HTTP_PROXY/HTTPS_PROXY is not a valid proxy URL; expected e.g. http://proxy.example:3128');
  }
}

/** Close every cached dispatcher (tests; or a long-lived process that is done with the network). */
export async function closeDispatchers(): Promise<void> {
  const all = [...dispatchers.values()];
  dispatchers.clear();
  await Promise.all(all.map((d) => d.close()));
}
