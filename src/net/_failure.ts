/**
 * Low-level network errors (undici, node:net/dns, TLS, zlib) classified as worth a retry or
 * not, and described in one line that names the host and what failed.
 */
import { formatDuration } from './_retry.js';

/** What a description may mention besides the error itself. */
export interface FailureContext {
  host: string;
  connectTimeoutMs?: number;
  headersTimeoutMs?: number;
  bodyTimeoutMs?: number;
}

interface Coded {
  code?: unknown;
  cause?: unknown;
  errors?: unknown;
}

/**
 * The error's code. Looks through `cause` and through AggregateError, which is what Node's
 * happy-eyeballs connect throws when every address of a host failed.
 */
export function errorCode(err: unknown, depth = 0): string | undefined {
  if (typeof err !== 'object' || err === null || depth > 3) return undefined;
  const e = err as Coded;
  if (typeof e.code === 'string') return e.code;
  if (Array.isArray(e.errors) && e.errors.length > 0) return errorCode(e.errors[0], depth + 1);
  return errorCode(e.cause, depth + 1);
}

/**
 * Failures another try may fix: timeouts and connections that died mid-way. Refused
 * connections and DNS failures are not retried: they mean "offline" or "wrong host", and a
 * CLI with a cache should say so at once rather than after a minute of backoff.
 */
const TRANSIENT = new Set([
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_SOCKET',
  
  'UND_ERR_RES_CONTENT_LENGTH_MISMATCH',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
]);

/** True when the failure is worth another try. */
export function isTransientError(err: unknown): boolean {
  const code = errorCode(err);
  return code !== undefined && TRANSIENT.has(code);
}

function isTlsCode(code: string): boolean {
  return /^(CERT_|ERR_TLS_|ERR_SSL_|UNABLE_TO_)|SELF_SIGNED|HOSTNAME_MISMATCH/.test(code);
}

function isZlibCode(code: string): boolean {
  return code.startsWith('Z_') || code.startsWith('ERR__ERROR_');
}

/** One printable line: no control characters, no credentials in URLs, bounded length. */
export function oneLine(text: string, max = 200): string {
  const clean = text
    .replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]+/g, ' ')
    .replace(/\/\/[^/@\s]*@/g, '//***@')
    .replace(/\s+/g, ' ')
    .trim();
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
}

function after(ms: number | undefined): string {
  return ms === undefined ? '' : ` within ${formatDuration(ms)}`;
}

/**
 * One line saying what failed, naming the host: "no response from example.org within 15 s".
 * `ctx` is the host, or the host plus the timeouts in force (to say how long we waited).
 */
export function describeNetworkError(err: unknown, ctx: FailureContext | string = 'the server'): string {
  const c: FailureContext = typeof ctx === 'string' ? { host: ctx } : ctx;
  const host = c.host;
  const code = errorCode(err) ?? '';
  switch (code) {
    case 'UND_ERR_CONNECT_TIMEOUT':
      return `could not connect to ${host}${after(c.connectTimeoutMs)}`;
    case 'UND_ERR_HEADERS_TIMEOUT':
      return `no response from ${host}${after(c.headersTimeoutMs)}`;
    case 'UND_ERR_BODY_TIMEOUT':
      return `${host} stopped sending the response${c.bodyTimeoutMs === undefined ? '' : ` (nothing for ${formatDuration(c.bodyTimeoutMs)})`}`;
    case 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH':
      return `response from ${host} ended early (shorter than its Content-Length)`;
    case 'UND_ERR_SOCKET':
    case 'ECONNRESET':
    case 'ECONNABORTED':
    case 'EPIPE':
      return `connection to ${host} was closed unexpectedly`;
    case 'ETIMEDOUT':
      return `connection to ${host} timed out`;
    case 'ECONNREFUSED':
      return `${host} refused the connection`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_FAIL':
      return `cannot resolve ${host} (offline, or a DNS problem?)`;
    case 'ENETUNREACH':
    case 'EHOSTUNREACH':
    case 'ENETDOWN':
      return `cannot reach ${host} (offline?)`;
    case 'UND_ERR_ABORTED':
    case 'ABORT_ERR':
      return `request to ${host} was aborted`;
  }
  if (isTlsCode(code)) return `TLS connection to ${host} failed (${code})`;
  if (isZlibCode(code)) return `response from ${host} could not be decompressed (${oneLine(messageOf(err))})`;
  const detail = oneLine(messageOf(err)) || code || 'unknown error';
  return `request to ${host} failed: ${detail}${code && !detail.includes(code) ? ` (${code})` : ''}`;
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
