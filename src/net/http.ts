/**
 * The only module that touches the network: GET with connect/headers/body timeouts, retries
 * (capped exponential backoff with full jitter, honoring Retry-After), redirects followed by
 * hand, gzip/br decoding with a cap on the decoded size, proxies from the environment, and a
 * bearer token bound to one origin. undici is loaded inside httpGet, and only the parts used
 * (undici.ts), so commands that never touch the network never pay for it. undici's own retry,
 * redirect and decompress interceptors each break one of these guarantees; the reason is
 * beside the code that does their work here.
 */
import { STATUS_CODES } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import type { Dispatcher } from 'undici';
import { BudgetError, InterruptedError, NetworkError, UsageError } from '../errors.js';
import { BodyTooLargeError, UnsupportedEncodingError, readDecodedBody } from './_body.js';
import { dispatcherFor } from './_dispatcher.js';
import { loadUndici, type UndiciLite } from './undici.js';
import { describeNetworkError, isTransientError, oneLine } from './_failure.js';
import { backoffMs, formatDuration, isRetryableStatus, serverWaitMs } from './_retry.js';

export { closeDispatchers as closeHttp } from './_dispatcher.js';
export { BudgetError } from '../errors.js';
export { describeNetworkError } from './_failure.js';

const MiB = 1024 * 1024;

/** Defaults of the optional HttpOptions. */
export const HTTP_DEFAULTS = {
  connectTimeoutMs: 10_000,
  headersTimeoutMs: 15_000,
  bodyTimeoutMs: 30_000,
  totalTimeoutMs: 60_000,
  maxBytes: 32 * MiB,
  retries: 3,
  backoffBaseMs: 500,
  backoffMaxMs: 8_000,
  minRetryDelayMs: 0,
  maxRetryAfterMs: 60_000,
  maxRedirects: 5,
  accept: '*/*',
} as const;

/** What onRetry hears before each wait. */
export interface RetryInfo {
  /** The URL asked for (not a redirect target). */
  url: string;
  /** The 1-based try that just failed. */
  attempt: number;
  /** How long we wait before the next try. */
  delayMs: number;
  /** What failed, one line: "HTTP 503 Service Unavailable", "no response from host within 15 s". */
  reason: string;
  /** The HTTP status, when the failure was one. */
  status?: number;
}

/** What onAttempt hears as each try starts. */
export interface AttemptInfo {
  /** The URL asked for. */
  url: string;
  /** Its host, for messages ("huggingface.co"). */
  host: string;
  /** This try, from 1. */
  attempt: number;
  /** Tries allowed in all (retries + 1). */
  tries: number;
  /** When this try gives up at the latest (epoch ms): the deadline, or its connect + headers timeouts. */
  giveUpAt: number;
}

/** Options of httpGet; only userAgent is required. */
export interface HttpOptions {
  /** Time to open the TCP/TLS connection. */
  connectTimeoutMs?: number;
  /** Time from sending the request to receiving the complete response headers. */
  headersTimeoutMs?: number;
  /** Longest silence allowed between two chunks of the body (undici's bodyTimeout is an idle timeout). */
  bodyTimeoutMs?: number;
  /** Longest one try may take in all — connecting, redirects, the headers and the whole body — so a body that drips is cut too. */
  totalTimeoutMs?: number;
  /** Cap on the decoded body size in bytes. */
  maxBytes?: number;
  /** Extra tries after the first one, for 408/429/5xx and dropped connections or timeouts. */
  retries?: number;
  /** Backoff before try n+1 is a uniform draw in [0, min(backoffMaxMs, backoffBaseMs·2^(n-1))]. */
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  /** No wait between tries is shorter than this (a host that allows one request every so often). */
  minRetryDelayMs?: number;
  /** A server asking for a longer wait than this (Retry-After) makes us give up instead of waiting. */
  maxRetryAfterMs?: number;
  /** Redirects followed before giving up. */
  maxRedirects?: number;
  /** The Accept header. */
  accept?: string;
  /** Sent as User-Agent on every request. */
  userAgent: string;
  /**
   * Bearer token for one origin: `host` is a URL host ("huggingface.co", "127.0.0.1:8080").
   * Sent only when the request URL has that host and the redirect chain never left the
   * origin (scheme + host + port) it started on.
   */
  token?: { host: string; value: string };
  /** Aborting it ends the request, or the wait before a retry, with InterruptedError. */
  signal?: AbortSignal;
  /** Where HTTP(S)_PROXY / NO_PROXY are read (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** Told about each retry before its wait, e.g. to print a note on stderr. */
  onRetry?: (info: RetryInfo) => void;
  /** Told as each try starts, e.g. to show what is being waited for. */
  onAttempt?: (info: AttemptInfo) => void;
  /**
   * Epoch ms by which everything — connecting, the answer, every retry and every wait between
   * them — must be over. Past it the request ends with a BudgetError; a wait that would end
   * past it is not waited out. A function is asked again at each step, so a budget shared by
   * several requests can move it (see onAnswer).
   */
  deadline?: number | (() => number);
  /** Told when a 2xx answer has arrived whole (a shared budget starts again). */
  onAnswer?: () => void;
  /**
   * Bytes several requests may read together (all pages of one listing): a response that
   * would take `used` past `max` ends the request; each answer adds its size to `used`.
   */
  allowance?: ByteAllowance;
  /** Replaces the wait between tries (tests). */
  sleep?: (ms: number) => Promise<void>;
}

/** A cap on the decoded bytes of several responses together; pass one object to each request. */
export class ByteAllowance {
  used = 0;
  constructor(readonly max: number) {}
}

/** A successful (2xx) response with its body decoded as UTF-8. */
export interface HttpResponse {
  /** The final URL, after redirects. */
  url: string;
  status: number;
  /** Lower-case names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  body: string;
}

/** A non-2xx answer that retries did not fix; `status` lets callers tell a 404 from a 503. */
export class HttpStatusError extends NetworkError {
  constructor(
    message: string,
    readonly status: number,
    readonly url: string,
  ) {
    super(message);
  }
}

type Optional = 'token' | 'signal' | 'onRetry' | 'onAttempt' | 'sleep' | 'deadline' | 'onAnswer' | 'allowance';
type Resolved = Required<Omit<HttpOptions, Optional>> & Pick<HttpOptions, Optional>;

/** The outcome of one try (one request plus the redirects it led to). */
type Attempt =
  | { ok: true; response: HttpResponse }
  | { ok: false; reason: string; retryable: boolean; status?: number; waitMs?: number; host: string; outOfTime?: boolean };

/** Everything one try needs. */
interface Context {
  request: UndiciLite['request'];
  dispatcher: Dispatcher;
  start: URL;
  o: Resolved;
}

const utf8 = new TextDecoder(); // strips a leading BOM, replaces invalid bytes
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/**
 * GET `url` and return the decoded body of the 2xx answer. Throws NetworkError (exit 3; an
 * HttpStatusError for a non-2xx status) with a one-line message, InterruptedError (exit 130)
 * when `signal` aborts, UsageError for a URL or proxy setting that cannot work.
 */
export async function httpGet(url: string, opts: HttpOptions): Promise<HttpResponse> {
  const o = resolveOptions(opts);
  const start = parseHttpUrl(url);
  throwIfAborted(o.signal);
  const undici = await loadUndici();
  const ctx: Context = { request: undici.request, dispatcher: dispatcherFor(undici, o.connectTimeoutMs, o.env), start, o };
  const label = `GET ${displayUrl(start)}`;
  const tries = o.retries + 1;
  const deadline = deadlineOf(o);
  let lastReason: string | null = null;
  // Our loop, not undici's retry interceptor: that one knows no shared deadline and silently shortens a long Retry-After.
  for (let attempt = 1; ; attempt++) {
    const now = Date.now();
    if (now >= deadline()) throw new BudgetError(`${label}: no answer in the time allowed`, start.host);
    const giveUpAt = Math.min(deadline(), now + o.connectTimeoutMs + o.headersTimeoutMs, now + o.totalTimeoutMs);
    o.onAttempt?.({ url, host: start.host, attempt, tries, giveUpAt });
    const result = await tryOnce(ctx, deadline);
    if (result.ok) {
      o.onAnswer?.();
      return result.response;
    }
    const afterTries = attempt > 1 ? ` after ${attempt} tries` : '';
    // Cut by the budget after other failures: the last of those says what was going wrong.
    if (result.outOfTime) throw new BudgetError(`${label}: ${result.reason}${afterTries}${lastReason ? `; try ${attempt - 1}: ${lastReason}` : ''}`, result.host);
    lastReason = result.reason;
    if (!result.retryable || attempt >= tries) throw failure(label, result, afterTries, url);
    if (result.waitMs !== undefined && result.waitMs > o.maxRetryAfterMs) {
      // Waiting a capped time and asking again would only earn another 429: give up and say why.
      const asked = `; ${result.host} asks to wait ${formatDuration(result.waitMs)}`;
      const err = failure(label, result, `${afterTries}${asked}`, url);
      err.retryAt = Date.now() + result.waitMs;
      throw err;
    }
    const delayMs = retryDelay(result.waitMs, attempt, o);
    const left = deadline() - Date.now();
    if (delayMs >= left) {
      // Sleeping past the budget only to be cut off: give up now, and say when to come back if the server did.
      const retryAt = result.waitMs !== undefined ? Date.now() + result.waitMs : null;
      const asked = retryAt !== null ? `; ${result.host} asks to wait ${formatDuration(result.waitMs!)}, more than the ${formatDuration(Math.max(0, left))} left of the time allowed` : '';
      throw new BudgetError(`${label}: ${result.reason}${afterTries}${asked}`, result.host, retryAt);
    }
    o.onRetry?.({ url, attempt, delayMs, reason: result.reason, ...(result.status ? { status: result.status } : {}) });
    await sleep(delayMs, o);
  }
}

/** The deadline as a function (Infinity without one), so a shared budget that moves is read afresh. */
function deadlineOf(o: Resolved): () => number {
  const d = o.deadline;
  if (d === undefined) return () => Infinity;
  return typeof d === 'function' ? d : () => d;
}

/**
 * Call `fire` once `at()` has passed; `at` is asked again when the timer goes off, so a
 * deadline that moved later re-arms it. Returns the cancel function.
 */
function whenPast(at: () => number, fire: () => void): () => void {
  let timer: NodeJS.Timeout | undefined;
  const arm = () => {
    const left = at() - Date.now();
    if (left === Infinity) return;
    if (left <= 0) fire();
    else timer = setTimeout(arm, Math.min(left, 2 ** 31 - 1));
  };
  arm();
  return () => clearTimeout(timer);
}

const NUMERIC_OPTIONS = [
  'connectTimeoutMs',
  'headersTimeoutMs',
  'bodyTimeoutMs',
  'totalTimeoutMs',
  'maxBytes',
  'retries',
  'backoffBaseMs',
  'backoffMaxMs',
  'minRetryDelayMs',
  'maxRetryAfterMs',
  'maxRedirects',
] as const;

function resolveOptions(opts: HttpOptions): Resolved {
  const o = { ...HTTP_DEFAULTS, env: process.env, ...dropUndefined(opts), userAgent: opts.userAgent };
  for (const key of NUMERIC_OPTIONS) {
    if (!Number.isFinite(o[key]) || o[key] < 0) throw new UsageError(`httpGet: ${key} must be a non-negative number`);
  }
  return o;
}

function dropUndefined<T extends object>(obj: T): Partial<T> {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function parseHttpUrl(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UsageError(`not a valid URL: ${oneLine(url)}`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new UsageError(`not an http(s) URL: ${displayUrl(parsed)}`);
  }
  return parsed;
}

/** The URL without user name or password, for messages. */
function displayUrl(url: URL): string {
  if (!url.username && !url.password) return url.href;
  const copy = new URL(url.href);
  copy.username = '';
  copy.password = '';
  return copy.href;
}

function failure(label: string, a: Extract<Attempt, { ok: false }>, suffix: string, url: string): NetworkError {
  const message = `${label}: ${a.reason}${suffix}`;
  return a.status === undefined ? new NetworkError(message) : new HttpStatusError(message, a.status, url);
}

/** The server's wait when it named one (plus a little jitter so parallel requests do not return in lockstep), else backoff. */
function retryDelay(serverWait: number | undefined, attempt: number, o: Resolved): number {
  const ms = serverWait === undefined ? backoffMs(attempt, o.backoffBaseMs, o.backoffMaxMs) : serverWait + backoffMs(1, o.backoffBaseMs, o.backoffMaxMs);
  return Math.max(ms, o.minRetryDelayMs);
}

async function sleep(ms: number, o: Resolved): Promise<void> {
  if (o.sleep) {
    await o.sleep(ms);
  } else {
    await delay(ms, undefined, o.signal ? { signal: o.signal } : {}).catch((err: unknown) => {
      if (o.signal?.aborted) throw new InterruptedError();
      throw err;
    });
  }
  throwIfAborted(o.signal);
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new InterruptedError();
}

/** One try: the request, any redirects, and the body. Only interruption is thrown; every other failure is returned. */
async function tryOnce(ctx: Context, deadline: () => number): Promise<Attempt> {
  const { o } = ctx;
  const hop = { url: ctx.start };
  let answered = false;
  // The budget ends this try wherever it is — connecting, waiting for headers, reading the body;
  // so does the try's own limit, which an idle timeout alone would never reach on a dripping body.
  const budget = new AbortController();
  const whole = new AbortController();
  const started = Date.now();
  const cancelBudget = whenPast(deadline, () => budget.abort());
  const cancelWhole = whenPast(() => started + o.totalTimeoutMs, () => whole.abort());
  const signal = AbortSignal.any([budget.signal, whole.signal, ...(o.signal ? [o.signal] : [])]);
  // What this try may read: the per-response cap, or less when a shared allowance is nearly spent.
  const room = o.allowance ? Math.max(0, o.allowance.max - o.allowance.used) : Infinity;
  const maxBytes = Math.min(o.maxBytes, room);
  try {
    const res = await requestFollowingRedirects(ctx, hop, signal);
    answered = true;
    const headers = flattenHeaders(res.headers);
    const status = res.statusCode;
    if (status < 200 || status > 299) {
      await discard(res.body);
      const reason = `HTTP ${status}${STATUS_CODES[status] ? ` ${STATUS_CODES[status]}` : ''}`;
      const waitMs = serverWaitMs(headers, status);
      return { ok: false, reason, status, retryable: isRetryableStatus(status), host: hop.url.host, ...(waitMs === undefined ? {} : { waitMs }) };
    }
    const body = await readDecodedBody(res.body, headers['content-encoding'], maxBytes);
    if (o.allowance) o.allowance.used += body.length;
    return { ok: true, response: { url: hop.url.href, status, headers, body: utf8.decode(body) } };
  } catch (err) {
    if (o.signal?.aborted) throw new InterruptedError();
    const host = hop.url.host;
    if (budget.signal.aborted) return { ok: false, reason: 'no answer in the time allowed', retryable: false, host, outOfTime: true };
    if (whole.signal.aborted) {
      const what = answered ? `${host} did not finish sending the response` : `no response from ${host}`;
      return { ok: false, reason: `${what} within ${formatDuration(o.totalTimeoutMs)}`, retryable: true, host };
    }
    if (err instanceof BodyTooLargeError && room < o.maxBytes) {
      const reason = `the answers from ${host} for one listing add up to more than ${formatBytes(o.allowance!.max)}`;
      return { ok: false, reason, retryable: false, host };
    }
    return { ok: false, reason: describeFailure(err, host, o), retryable: isTransientError(err), host };
  } finally {
    cancelBudget();
    cancelWhole();
  }
}

function describeFailure(err: unknown, host: string, o: Resolved): string {
  if (err instanceof RedirectError) return err.message;
  if (err instanceof BodyTooLargeError) return `response from ${host} is larger than ${formatBytes(o.maxBytes)}`;
  if (err instanceof UnsupportedEncodingError) {
    return `response from ${host} uses an unsupported content-encoding "${oneLine(err.encoding, 40)}"`;
  }
  const { connectTimeoutMs, headersTimeoutMs, bodyTimeoutMs } = o;
  return describeNetworkError(err, { host, connectTimeoutMs, headersTimeoutMs, bodyTimeoutMs });
}

/** A redirect we refuse to follow; its message is the whole reason. */
class RedirectError extends Error {}

/**
 * Send the request and follow redirects by hand, so we decide per hop whether the token goes
 * along and can spot loops. `hop.url` tracks the URL of the latest request, for messages and
 * the final URL: undici's redirect interceptor hides which hop failed (a refused CDN would be
 * blamed on the first host) and words loops and bad Locations in its own terms.
 */
async function requestFollowingRedirects(ctx: Context, hop: { url: URL }, signal: AbortSignal | undefined): Promise<Dispatcher.ResponseData> {
  const { o } = ctx;
  const seen = new Set([hop.url.href]);
  // Once the chain leaves its starting origin the token stays behind, even if it comes back.
  let sameOrigin = true;
  for (let redirects = 0; ; redirects++) {
    const res = await ctx.request(hop.url, {
      dispatcher: ctx.dispatcher,
      method: 'GET',
      headers: requestHeaders(hop.url, sameOrigin, o),
      headersTimeout: o.headersTimeoutMs,
      bodyTimeout: o.bodyTimeoutMs,
      signal: signal ?? null,
    });
    const location = REDIRECTS.has(res.statusCode) ? firstHeader(res.headers['location']) : undefined;
    if (location === undefined) return res;
    await discard(res.body);
    const next = redirectTarget(hop.url, location);
    if (seen.has(next.href)) throw new RedirectError(`too many redirects (a loop back to ${displayUrl(next)})`);
    if (redirects >= o.maxRedirects) throw new RedirectError(`too many redirects (more than ${o.maxRedirects})`);
    seen.add(next.href);
    if (next.origin !== hop.url.origin) sameOrigin = false;
    hop.url = next;
  }
}

function redirectTarget(from: URL, location: string): URL {
  let next: URL;
  try {
    next = new URL(location, from);
  } catch {
    throw new RedirectError(`${from.host} sent a redirect to an invalid URL`);
  }
  if (next.protocol !== 'http:' && next.protocol !== 'https:') {
    throw new RedirectError(`${from.host} redirected to a non-HTTP URL (${oneLine(next.protocol, 20)})`);
  }
  return next;
}

function requestHeaders(url: URL, sameOrigin: boolean, o: Resolved): Record<string, string> {
  const headers: Record<string, string> = {
    'user-agent': o.userAgent,
    accept: o.accept,
    // We decode these two ourselves; undici's request() does not decompress.
    'accept-encoding': 'gzip, br',
  };
  if (o.token && sameOrigin && url.host === o.token.host.toLowerCase()) {
    headers['authorization'] = `Bearer ${o.token.value}`;
  }
  return headers;
}

/** Read and drop a body we do not need, so the connection can be reused; errors do not matter here. */
async function discard(body: Dispatcher.ResponseData['body']): Promise<void> {
  await body.dump({ limit: 64 * 1024 }).catch(() => undefined);
}

function firstHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function flattenHeaders(headers: Dispatcher.ResponseData['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

/** "32 MB", "1.5 MB", "200 KB" (binary units, as the cap is set). */
function formatBytes(n: number): string {
  if (n >= MiB) return `${Math.round((n / MiB) * 10) / 10} MB`;
  return `${Math.round(n / 1024)} KB`;
}
