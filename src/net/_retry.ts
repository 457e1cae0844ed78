/**
 * Retry timing for src/net/http.ts: which statuses are worth another try and how long to
 * wait. Pure functions, so the policy is testable without a server or a clock.
 */

/**
 * Statuses a later try can fix: request timeout, rate limit, and server trouble.
 * 501 and 505 are excluded: the server will not learn the method or HTTP version by waiting.
 */
export function isRetryableStatus(status: number): boolean {
  if (status === 408 || status === 429) return true;
  return status >= 500 && status <= 599 && status !== 501 && status !== 505;
}

/**
 * Capped exponential backoff with full jitter (a uniform draw in [0, min(max, base·2^(n-1))]):
 * full jitter spreads out clients that failed together better than a fixed delay does.
 * `attempt` is the 1-based try that just failed.
 */
export function backoffMs(attempt: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(random() * ceiling);
}

/** `Retry-After` (delta-seconds or an HTTP-date) as milliseconds from `now`; undefined when absent or malformed. */
export function parseRetryAfter(value: string | undefined, now: number = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  // Date.parse accepts almost anything; insist on something that looks like an IMF-fixdate.
  if (!/^[A-Za-z]{3}, \d{2} [A-Za-z]{3} \d{4} \d{2}:\d{2}:\d{2} GMT$/.test(v)) return undefined;
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/**
 * How long the server asked us to wait: `Retry-After`, else, on a 429 only, the reset time of
 * an IETF `RateLimit` header (`t=`, which Hugging Face sends) or `RateLimit-Reset`. On other
 * statuses those headers describe the quota window, not a requested pause.
 */
export function serverWaitMs(
  headers: Record<string, string>,
  status: number,
  now: number = Date.now(),
): number | undefined {
  const retryAfter = parseRetryAfter(headers['retry-after'], now);
  if (retryAfter !== undefined || status !== 429) return retryAfter;
  const t = /(?:^|[;,\s])t=(\d+)/.exec(headers['ratelimit'] ?? '');
  if (t) return Number(t[1]) * 1000;
  const reset = (headers['ratelimit-reset'] ?? '').trim();
  return /^\d+$/.test(reset) ? Number(reset) * 1000 : undefined;
}

/** "250 ms", "15 s", "61 min": for one-line messages. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 120_000) return `${Math.round(ms / 100) / 10} s`;
  return `${Math.round(ms / 60_000)} min`;
}
