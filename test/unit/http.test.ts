import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ExitCode, InterruptedError, NetworkError, UsageError } from '../../src/errors.js';
import { backoffMs, parseRetryAfter, serverWaitMs } from '../../src/net/_retry.js';
import {
  BudgetError,
  ByteAllowance,
  HTTP_DEFAULTS,
  HttpStatusError,
  closeHttp,
  describeNetworkError,
  httpGet,
  type AttemptInfo,
  type HttpOptions,
  type RetryInfo,
} from '../../src/net/http.js';
import { faults, isoWeek, startFaultServer, type FaultServer } from '../support/fault-server.js';

const FIXTURES = 'fixtures/hf-api';
const DAY = '2025-01-21';
const DAY_TEXT = readFileSync(`${FIXTURES}/hfdp-ml_${DAY}.json`, 'utf8');
const DAY_ITEMS = JSON.parse(DAY_TEXT) as unknown[];
const API = '/api/daily_papers';
const UA = 'papers/0.0.0-test (+https://example.invalid)';

let server: FaultServer;
let sleeps: number[];

/** Options for a fast test: waits are recorded, not slept; small timeouts. */
function opts(extra: Partial<HttpOptions> = {}): HttpOptions {
  return {
    userAgent: UA,
    env: {},
    connectTimeoutMs: 2_000,
    headersTimeoutMs: 2_000,
    bodyTimeoutMs: 2_000,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    ...extra,
  };
}

const dayUrl = (day = DAY) => `${server.url}${API}?date=${day}`;

/** The rejection of `promise`, failing the test if it resolves. */
async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a rejection, got a result');
}

beforeAll(async () => {
  server = await startFaultServer({ fixturesDir: FIXTURES });
});
afterAll(async () => {
  await closeHttp();
  await server.close();
});
beforeEach(() => {
  server.reset();
  sleeps = [];
});

describe('httpGet: success', () => {
  it('returns the fixture of the requested day', async () => {
    const res = await httpGet(dayUrl(), opts());
    expect(res.status).toBe(200);
    expect(res.url).toBe(dayUrl());
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(JSON.parse(res.body)).toEqual(DAY_ITEMS);
    expect(DAY_ITEMS.length).toBeGreaterThan(0);
    expect(server.requests).toHaveLength(1);
  });

  it('sends User-Agent, Accept-Encoding and Accept, and no Authorization without a token', async () => {
    await httpGet(dayUrl(), opts({ accept: 'application/json' }));
    const { headers } = server.requests[0]!;
    expect(headers['user-agent']).toBe(UA);
    expect(headers['accept-encoding']).toBe('gzip, br');
    expect(headers['accept']).toBe('application/json');
    expect(headers['authorization']).toBeUndefined();
  });

  it.each(['gzip', 'br', 'deflate'] as const)('decodes a %s body', async (encoding) => {
    server.setFault(API, faults.encode(encoding));
    const res = await httpGet(dayUrl(), opts());
    expect(res.headers['content-encoding']).toBe(encoding);
    expect(res.body).toBe(DAY_TEXT);
  });

  it('decodes what the server negotiated from our Accept-Encoding', async () => {
    const compressing = await startFaultServer({ fixturesDir: FIXTURES, compress: true });
    try {
      const res = await httpGet(`${compressing.url}${API}?date=${DAY}`, opts());
      expect(res.headers['content-encoding']).toBe('br');
      expect(res.body).toBe(DAY_TEXT);
    } finally {
      await compressing.close();
    }
  });

  it('returns an empty day, invalid JSON, a changed page and a wrong content-type as they are (parsing is not its job)', async () => {
    server.setFault(/date=2025-01-01/, faults.emptyDay());
    server.setFault(/date=2025-01-02/, faults.invalidJson());
    server.setFault(/date=2025-01-03/, faults.changedHtml());
    server.setFault(/date=2025-01-21/, faults.wrongContentType('text/plain'));
    expect((await httpGet(dayUrl('2025-01-01'), opts())).body).toBe('[]');
    const invalid = await httpGet(dayUrl('2025-01-02'), opts());
    expect(() => JSON.parse(invalid.body) as unknown).toThrow(SyntaxError);
    const html = await httpGet(dayUrl('2025-01-03'), opts());
    expect(html.headers['content-type']).toMatch(/^text\/html/);
    expect(html.body).toContain('papers-v2');
    const wrong = await httpGet(dayUrl(), opts());
    expect(wrong.headers['content-type']).toBe('text/plain');
    expect(wrong.body).toBe(DAY_TEXT);
  });

  it('strips a UTF-8 byte-order mark', async () => {
    server.setFault(API, faults.reply({ body: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('[]')]) }));
    expect((await httpGet(dayUrl(), opts())).body).toBe('[]');
  });
});

describe('httpGet: retries', () => {
  it('waits for Retry-After seconds on 429, then succeeds', async () => {
    server.setFault(API, faults.tooManyRequests(2), 1);
    const retries: RetryInfo[] = [];
    const res = await httpGet(dayUrl(), opts({ backoffBaseMs: 100, onRetry: (i) => retries.push(i) }));
    expect(JSON.parse(res.body)).toEqual(DAY_ITEMS);
    expect(server.requests).toHaveLength(2);
    expect(sleeps).toHaveLength(1);
    // The server's 2 s, plus at most one backoff base of jitter.
    expect(sleeps[0]).toBeGreaterThanOrEqual(2_000);
    expect(sleeps[0]).toBeLessThanOrEqual(2_100);
    expect(retries).toEqual([{ url: dayUrl(), attempt: 1, delayMs: sleeps[0], reason: 'HTTP 429 Too Many Requests', status: 429 }]);
  });

  it('honors Retry-After as an HTTP-date', async () => {
    const at = new Date(Date.now() + 5_000).toUTCString();
    server.setFault(API, faults.tooManyRequests(at), 1);
    await httpGet(dayUrl(), opts({ backoffBaseMs: 100 }));
    // HTTP-dates have 1 s resolution: somewhere in (3 s, 5 s] from now, plus jitter.
    expect(sleeps).toHaveLength(1);
    expect(sleeps[0]).toBeGreaterThan(3_000);
    expect(sleeps[0]).toBeLessThanOrEqual(5_100);
  });

  it("uses the RateLimit header's reset time on a 429 without Retry-After", async () => {
    server.setFault(API, faults.status(429, { ratelimit: '"api";r=0;t=7' }), 1);
    await httpGet(dayUrl(), opts({ backoffBaseMs: 100 }));
    expect(sleeps[0]).toBeGreaterThanOrEqual(7_000);
    expect(sleeps[0]).toBeLessThanOrEqual(7_100);
  });

  it('gives up at once when Retry-After is longer than maxRetryAfterMs', async () => {
    server.setFault(API, faults.tooManyRequests(3600));
    const err = await rejection(httpGet(dayUrl(), opts({ maxRetryAfterMs: 60_000 })));
    expect(err).toBeInstanceOf(HttpStatusError);
    expect((err as HttpStatusError).status).toBe(429);
    expect(err.message).toBe(`GET ${dayUrl()}: HTTP 429 Too Many Requests; 127.0.0.1:${server.port} asks to wait 60 min`);
    expect(server.requests).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it('retries a 503 and returns the 200 that follows', async () => {
    const fault = server.setFault(API, faults.unavailable(), 1);
    const res = await httpGet(dayUrl(), opts({ backoffBaseMs: 100 }));
    expect(res.status).toBe(200);
    expect(fault.hits).toBe(1);
    expect(server.requests).toHaveLength(2);
    expect(sleeps).toHaveLength(1);
    expect(sleeps[0]).toBeGreaterThanOrEqual(0);
    expect(sleeps[0]).toBeLessThanOrEqual(100);
  });

  it('gives up after `retries` extra tries with a one-line message and exit code 3', async () => {
    server.setFault(API, faults.unavailable());
    const err = await rejection(httpGet(dayUrl(), opts({ backoffBaseMs: 100, backoffMaxMs: 250 })));
    expect(err).toBeInstanceOf(HttpStatusError);
    expect(err).toBeInstanceOf(NetworkError);
    expect((err as NetworkError).exitCode).toBe(ExitCode.Network);
    expect(err.message).toBe(`GET ${dayUrl()}: HTTP 503 Service Unavailable after 4 tries`);
    expect(server.requests).toHaveLength(1 + HTTP_DEFAULTS.retries);
    // Full jitter under a doubling ceiling, capped: [0,100], [0,200], [0,250].
    expect(sleeps).toHaveLength(3);
    sleeps.forEach((ms, i) => expect(ms).toBeLessThanOrEqual(Math.min(250, 100 * 2 ** i)));
  });

  it('does not retry a 404', async () => {
    const err = await rejection(httpGet(`${server.url}/nowhere`, opts()));
    expect(err).toBeInstanceOf(HttpStatusError);
    expect((err as HttpStatusError).status).toBe(404);
    expect(err.message).toBe(`GET ${server.url}/nowhere: HTTP 404 Not Found`);
    expect(server.requests).toHaveLength(1);
  });

  it('retries a reset connection', async () => {
    server.setFault(API, faults.reset(), 2);
    const res = await httpGet(dayUrl(), opts());
    expect(JSON.parse(res.body)).toEqual(DAY_ITEMS);
    expect(server.requests).toHaveLength(3);
    expect(sleeps).toHaveLength(2);
  });

  it('fails with NetworkError (exit 3) when the connection is always reset', async () => {
    server.setFault(API, faults.reset());
    const err = await rejection(httpGet(dayUrl(), opts({ retries: 1 })));
    expect(err).toBeInstanceOf(NetworkError);
    expect(err).not.toBeInstanceOf(HttpStatusError);
    expect((err as NetworkError).exitCode).toBe(3);
    expect(err.message).toBe(`GET ${dayUrl()}: connection to 127.0.0.1:${server.port} was closed unexpectedly after 2 tries`);
    expect(server.requests).toHaveLength(2);
  });

  it('does not retry a refused connection (offline should fail fast)', async () => {
    const gone = await startFaultServer();
    const url = `${gone.url}/x`;
    await gone.close();
    const err = await rejection(httpGet(url, opts()));
    expect(err).toBeInstanceOf(NetworkError);
    expect(err.message).toBe(`GET ${url}: 127.0.0.1:${gone.port} refused the connection`);
    expect(sleeps).toEqual([]);
  });
});

describe('httpGet: timeouts and broken bodies', () => {
  it('times out waiting for headers, and retries', async () => {
    server.setFault(API, faults.delayHeaders(10_000));
    const err = await rejection(httpGet(dayUrl(), opts({ headersTimeoutMs: 200, retries: 1 })));
    expect(err).toBeInstanceOf(NetworkError);
    expect(err.message).toBe(`GET ${dayUrl()}: no response from 127.0.0.1:${server.port} within 200 ms after 2 tries`);
    expect(server.requests).toHaveLength(2);
  });

  it('succeeds when a slow answer arrives before the headers timeout', async () => {
    server.setFault(API, faults.delayHeaders(150));
    const res = await httpGet(dayUrl(), opts({ headersTimeoutMs: 3_000 }));
    expect(JSON.parse(res.body)).toEqual(DAY_ITEMS);
  });

  it('times out a stalled body', async () => {
    server.setFault(API, faults.stallBody(100));
    const err = await rejection(httpGet(dayUrl(), opts({ bodyTimeoutMs: 200, retries: 0 })));
    expect(err).toBeInstanceOf(NetworkError);
    expect(err.message).toBe(`GET ${dayUrl()}: 127.0.0.1:${server.port} stopped sending the response (nothing for 200 ms)`);
  });

  it('recovers from a stalled body on the next try', async () => {
    server.setFault(API, faults.stallBody(100), 1);
    const res = await httpGet(dayUrl(), opts({ bodyTimeoutMs: 200 }));
    expect(res.body).toBe(DAY_TEXT);
    expect(server.requests).toHaveLength(2);
  });

  it('rejects a body shorter than its Content-Length', async () => {
    server.setFault(API, faults.truncate(100));
    const err = await rejection(httpGet(dayUrl(), opts({ retries: 0 })));
    expect(err).toBeInstanceOf(NetworkError);
    expect(err.message).toMatch(new RegExp(`^GET \\S+: (response from|connection to) 127\\.0\\.0\\.1:${server.port} `));
    expect(err.message).toMatch(/ended early|closed unexpectedly/);
  });

  it('retries a truncated body', async () => {
    server.setFault(API, faults.truncate(100), 1);
    const res = await httpGet(dayUrl(), opts());
    expect(res.body).toBe(DAY_TEXT);
    expect(server.requests).toHaveLength(2);
  });

  it('rejects a gzip body that is cut short', async () => {
    const gz = (await import('node:zlib')).gzipSync(DAY_TEXT);
    server.setFault(API, faults.reply({ headers: { 'content-encoding': 'gzip' }, body: gz.subarray(0, 200) }));
    const err = await rejection(httpGet(dayUrl(), opts()));
    expect(err.message).toBe(
      `GET ${dayUrl()}: response from 127.0.0.1:${server.port} could not be decompressed (unexpected end of file)`,
    );
    expect(server.requests).toHaveLength(1);
  });

  it('rejects a content-encoding it did not ask for', async () => {
    server.setFault(API, faults.reply({ headers: { 'content-encoding': 'zstd' }, body: 'xx' }));
    const err = await rejection(httpGet(dayUrl(), opts()));
    expect(err.message).toBe(`GET ${dayUrl()}: response from 127.0.0.1:${server.port} uses an unsupported content-encoding "zstd"`);
  });
});

describe('httpGet: size cap', () => {
  it('caps the decoded size of a gzip bomb at the default 32 MB, without retrying', async () => {
    const bomb = server.setFault(API, faults.gzipBomb(64 * 1024 * 1024));
    const err = await rejection(httpGet(dayUrl(), opts()));
    expect(err).toBeInstanceOf(NetworkError);
    expect(err.message).toBe(`GET ${dayUrl()}: response from 127.0.0.1:${server.port} is larger than 32 MB`);
    expect(bomb.hits).toBe(1);
  });

  it('applies a smaller cap to decoded bytes even when the compressed body is tiny', async () => {
    server.setFault(API, faults.gzipBomb(2 * 1024 * 1024));
    const err = await rejection(httpGet(dayUrl(), opts({ maxBytes: 1024 * 1024 })));
    expect(err.message).toMatch(/is larger than 1 MB$/);
  });

  it('accepts a body exactly at the cap', async () => {
    server.setFault(API, faults.gzipBomb(1024 * 1024));
    const res = await httpGet(dayUrl(), opts({ maxBytes: 1024 * 1024 }));
    expect(res.body.length).toBe(1024 * 1024);
  });

  it('stops reading an oversized body early instead of downloading it all', async () => {
    const total = 256 * 1024 * 1024;
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    let produced = 0;
    const huge = await startFaultServer({
      routes: () => ({
        body: new Readable({
          read() {
            produced += chunk.length;
            this.push(produced > total ? null : chunk);
          },
        }),
      }),
    });
    try {
      const err = await rejection(httpGet(`${huge.url}/big`, opts({ maxBytes: 1024 * 1024 })));
      expect(err.message).toMatch(/is larger than 1 MB$/);
      // Give the server a moment to notice the closed socket, then check it stopped early.
      await new Promise((r) => setTimeout(r, 100));
      expect(produced).toBeLessThan(64 * 1024 * 1024);
    } finally {
      await huge.close();
    }
  });
});

describe('httpGet: redirects and the token', () => {
  const token = () => ({ host: `127.0.0.1:${server.port}`, value: 's3cret-token' });

  it('follows a relative redirect and reports the final URL', async () => {
    server.setFault('/old', faults.redirect(`${API}?date=${DAY}`, 301));
    const res = await httpGet(`${server.url}/old`, opts());
    expect(res.url).toBe(dayUrl());
    expect(res.body).toBe(DAY_TEXT);
    expect(server.requests.map((r) => r.url)).toEqual(['/old', `${API}?date=${DAY}`]);
  });

  it('detects a redirect loop', async () => {
    server.setFault('/loop-a', faults.redirect('/loop-b'));
    server.setFault('/loop-b', faults.redirect('/loop-a'));
    const err = await rejection(httpGet(`${server.url}/loop-a`, opts()));
    expect(err).toBeInstanceOf(NetworkError);
    expect(err.message).toBe(`GET ${server.url}/loop-a: too many redirects (a loop back to ${server.url}/loop-a)`);
    expect(server.requests).toHaveLength(2);
    expect(sleeps).toEqual([]);
  });

  it('names the host of the hop that failed, not the one first asked', async () => {
    const gone = await startFaultServer();
    await gone.close();
    server.setFault('/moved', faults.redirect(`${gone.url}/x`));
    const err = await rejection(httpGet(`${server.url}/moved`, opts()));
    expect(err.message).toBe(`GET ${server.url}/moved: 127.0.0.1:${gone.port} refused the connection`);
  });

  it('treats a 300 Multiple Choices as an answer, not a redirect to follow', async () => {
    server.setFault('/choices', faults.redirect(`${API}?date=${DAY}`, 300));
    const err = await rejection(httpGet(`${server.url}/choices`, opts()));
    expect(err).toBeInstanceOf(HttpStatusError);
    expect(err.message).toBe(`GET ${server.url}/choices: HTTP 300 Multiple Choices`);
    expect(server.requests).toHaveLength(1);
  });

  it('gives up after maxRedirects', async () => {
    server.setFault(/^\/hop\/\d+$/, faults.redirect((req) => `/hop/${Number(req.url!.split('/')[2]) + 1}`));
    const err = await rejection(httpGet(`${server.url}/hop/0`, opts()));
    expect(err.message).toBe(`GET ${server.url}/hop/0: too many redirects (more than 5)`);
    expect(server.requests).toHaveLength(6);
  });

  it('sends the token to its own origin, also after a same-origin redirect', async () => {
    server.setFault('/old', faults.redirect(`${API}?date=${DAY}`));
    await httpGet(`${server.url}/old`, opts({ token: token() }));
    expect(server.requests.map((r) => r.headers['authorization'])).toEqual(['Bearer s3cret-token', 'Bearer s3cret-token']);
  });

  it('drops the token on a redirect to another port', async () => {
    const other = await startFaultServer({ fixturesDir: FIXTURES });
    try {
      server.setFault('/away', faults.redirect(`${other.url}${API}?date=${DAY}`));
      const res = await httpGet(`${server.url}/away`, opts({ token: token() }));
      expect(res.url).toBe(`${other.url}${API}?date=${DAY}`);
      expect(server.requests[0]!.headers['authorization']).toBe('Bearer s3cret-token');
      expect(other.requests).toHaveLength(1);
      expect(other.requests[0]!.headers['authorization']).toBeUndefined();
      expect(other.requests[0]!.headers['user-agent']).toBe(UA);
    } finally {
      await other.close();
    }
  });

  it.each([301, 302, 303, 307, 308])('after a %i from A to B on another port, neither B nor A again sees the token', async (status) => {
    const other = await startFaultServer({ fixturesDir: FIXTURES });
    try {
      server.setFault('/to-b', faults.redirect(`${other.url}/to-a`, status));
      other.setFault('/to-a', faults.redirect(`${server.url}${API}?date=${DAY}`, status));
      const res = await httpGet(`${server.url}/to-b`, opts({ token: token() }));
      expect(res.body).toBe(DAY_TEXT);
      expect(server.requests.map((r) => r.headers['authorization'])).toEqual(['Bearer s3cret-token', undefined]);
      expect(other.requests.map((r) => r.headers['authorization'])).toEqual([undefined]);
    } finally {
      await other.close();
    }
  });

  it('drops the token on a redirect to another host name (127.0.0.1 → localhost), and on the way back', async () => {
    const localhost = `http://localhost:${server.port}`;
    server.setFault('/to-localhost', faults.redirect(`${localhost}/back`));
    server.setFault('/back', faults.redirect(`${server.url}${API}?date=${DAY}`));
    await httpGet(`${server.url}/to-localhost`, opts({ token: token() }));
    expect(server.requests.map((r) => [r.headers['host'], r.headers['authorization']])).toEqual([
      [`127.0.0.1:${server.port}`, 'Bearer s3cret-token'],
      [`localhost:${server.port}`, undefined],
      [`127.0.0.1:${server.port}`, undefined],
    ]);
  });

  it('does not send the token to a host it is not for', async () => {
    await httpGet(dayUrl(), opts({ token: { host: 'huggingface.co', value: 's3cret-token' } }));
    expect(server.requests[0]!.headers['authorization']).toBeUndefined();
  });

  it('never puts the token in an error message', async () => {
    server.setFault(API, faults.unavailable());
    const err = await rejection(httpGet(dayUrl(), opts({ token: token(), retries: 0 })));
    expect(server.requests[0]!.headers['authorization']).toBe('Bearer s3cret-token');
    expect(err.message).not.toContain('s3cret');
  });
});

describe('httpGet: interruption', () => {
  it('throws InterruptedError (exit 130) for an already aborted signal, without a request', async () => {
    const err = await rejection(httpGet(dayUrl(), opts({ signal: AbortSignal.abort() })));
    expect(err).toBeInstanceOf(InterruptedError);
    expect((err as InterruptedError).exitCode).toBe(ExitCode.Interrupted);
    expect(server.requests).toHaveLength(0);
  });

  it('aborts a request waiting for headers', async () => {
    server.setFault(API, faults.delayHeaders(10_000));
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    // Not aborted, the answer would come after 10 s: a success, not an InterruptedError.
    const err = await rejection(httpGet(dayUrl(), opts({ signal: controller.signal, headersTimeoutMs: 20_000 })));
    expect(err).toBeInstanceOf(InterruptedError);
  });

  it('aborts a stalled body', async () => {
    server.setFault(API, faults.stallBody(100));
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const err = await rejection(httpGet(dayUrl(), opts({ signal: controller.signal, bodyTimeoutMs: 20_000 })));
    expect(err).toBeInstanceOf(InterruptedError);
  });

  it('aborts the wait before a retry (real sleep)', async () => {
    server.setFault(API, faults.tooManyRequests(30));
    const controller = new AbortController();
    const started = performance.now();
    const { sleep: _ignored, ...rest } = opts();
    const err = await rejection(
      httpGet(dayUrl(), { ...rest, signal: controller.signal, onRetry: () => setTimeout(() => controller.abort(), 50) }),
    );
    expect(err).toBeInstanceOf(InterruptedError);
    expect(server.requests).toHaveLength(1);
    // Only the abort can end the 30 s Retry-After wait this soon: a generous bound, nothing else shows it.
    expect(performance.now() - started).toBeLessThan(20_000);
  });
});

describe('httpGet: a time budget (deadline)', () => {
  it('ends a request whose headers never come at the deadline, not after the headers timeout and retries', async () => {
    server.setFault(API, faults.delayHeaders(60_000));
    const started = Date.now();
    const err = await rejection(httpGet(dayUrl(), opts({ headersTimeoutMs: 30_000, retries: 3, deadline: started + 300 })));
    expect(err).toBeInstanceOf(BudgetError);
    expect((err as BudgetError).exitCode).toBe(ExitCode.Network);
    expect((err as BudgetError).host).toBe(new URL(server.url).host);
    expect(err.message).toMatch(/^GET http:\/\/127\.0\.0\.1:\d+\/api\/daily_papers\?date=2025-01-21: no answer in the time allowed$/);
    expect(server.requests).toHaveLength(1); // no retry after the budget is spent
    expect(sleeps).toEqual([]);
  });

  it('ends a stalled body at the deadline', async () => {
    server.setFault(API, faults.stallBody(50));
    const err = await rejection(httpGet(dayUrl(), opts({ bodyTimeoutMs: 30_000, deadline: Date.now() + 300 })));
    expect(err).toBeInstanceOf(BudgetError);
  });

  it('gives up at once, saying when to come back, when Retry-After lies past the budget', async () => {
    server.setFault(API, faults.tooManyRequests(40));
    const before = Date.now();
    const err = await rejection(httpGet(dayUrl(), opts({ deadline: before + 5_000 })));
    expect(err).toBeInstanceOf(BudgetError);
    expect(err.message).toContain('HTTP 429');
    expect(err.message).toContain('asks to wait 40 s');
    const retryAt = (err as BudgetError).retryAt!;
    expect(retryAt).toBeGreaterThanOrEqual(before + 40_000);
    expect(retryAt).toBeLessThan(Date.now() + 40_001);
    expect(sleeps).toEqual([]);
    expect(server.requests).toHaveLength(1);
  });

  it('still waits out a Retry-After that fits in the budget', async () => {
    server.setFault(API, faults.tooManyRequests(1), 1);
    const res = await httpGet(dayUrl(), opts({ deadline: Date.now() + 10_000 }));
    expect(res.status).toBe(200);
    expect(sleeps).toHaveLength(1);
  });

  it('does not sleep a backoff that would end past the budget', async () => {
    server.setFault(API, faults.unavailable());
    const err = await rejection(httpGet(dayUrl(), opts({ backoffBaseMs: 10_000, backoffMaxMs: 10_000, deadline: Date.now() + 200 })));
    // Full jitter can draw a short wait; either way no sleep may end past the deadline.
    expect(err).toBeInstanceOf(NetworkError);
    expect(sleeps.every((ms) => ms < 200)).toBe(true);
  });

  it('makes no request once the deadline has passed', async () => {
    const err = await rejection(httpGet(dayUrl(), opts({ deadline: Date.now() - 1 })));
    expect(err).toBeInstanceOf(BudgetError);
    expect(server.requests).toHaveLength(0);
  });

  it('a user abort during a budgeted request is still an interruption', async () => {
    server.setFault(API, faults.delayHeaders(60_000));
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const err = await rejection(httpGet(dayUrl(), opts({ signal: controller.signal, deadline: Date.now() + 10_000 })));
    expect(err).toBeInstanceOf(InterruptedError);
  });

  it('tells onAttempt each try with its number, the total and when it gives up', async () => {
    server.setFault(API, faults.unavailable(), 2);
    const seen: AttemptInfo[] = [];
    const deadline = Date.now() + 60_000;
    await httpGet(dayUrl(), opts({ retries: 3, deadline, headersTimeoutMs: 2_000, connectTimeoutMs: 1_000, onAttempt: (i) => seen.push(i) }));
    expect(seen.map((i) => [i.attempt, i.tries])).toEqual([[1, 4], [2, 4], [3, 4]]);
    expect(seen[0]!.host).toBe(new URL(server.url).host);
    // Without a nearer deadline, a try gives up after its connect + headers timeouts.
    expect(seen[0]!.giveUpAt).toBeLessThanOrEqual(Date.now() + 3_000);
    expect(seen[0]!.giveUpAt).toBeLessThan(deadline);
  });
});

describe('httpGet: a whole-try limit, a moving deadline, a shared byte allowance', () => {
  it('cuts a body that drips faster than the idle timeout at totalTimeoutMs, and retries it', async () => {
    server.setFault(API, faults.drip(50));
    const err = await rejection(httpGet(dayUrl(), opts({ bodyTimeoutMs: 2_000, totalTimeoutMs: 400, retries: 1 })));
    expect(err).toBeInstanceOf(NetworkError);
    expect(err).not.toBeInstanceOf(BudgetError);
    expect(err.message).toBe(`GET ${dayUrl()}: 127.0.0.1:${server.port} did not finish sending the response within 400 ms after 2 tries`);
    expect(server.requests).toHaveLength(2);
  });

  it('reads a deadline function afresh: one moved later keeps the try going', async () => {
    server.setFault(API, faults.delayHeaders(400), 1);
    let deadline = Date.now() + 200;
    setTimeout(() => (deadline += 5_000), 100);
    const res = await httpGet(dayUrl(), opts({ deadline: () => deadline }));
    expect(res.body).toBe(DAY_TEXT);
  });

  it('never waits less than minRetryDelayMs between tries, and says so to onRetry', async () => {
    server.setFault(API, faults.unavailable(), 1);
    const delays: number[] = [];
    await httpGet(dayUrl(), opts({ minRetryDelayMs: 3_000, backoffBaseMs: 10, onRetry: (i) => delays.push(i.delayMs) }));
    expect(sleeps).toEqual([3_000]);
    expect(delays).toEqual([3_000]);
  });

  it('tells onAnswer of a 2xx only', async () => {
    server.setFault(API, faults.unavailable(), 1);
    let answers = 0;
    await httpGet(dayUrl(), opts({ onAnswer: () => answers++ }));
    expect(answers).toBe(1);
  });

  it('an allowance caps several responses together, each adding what it read', async () => {
    const allowance = new ByteAllowance(DAY_TEXT.length * 2 + 10);
    await httpGet(dayUrl(), opts({ allowance }));
    await httpGet(dayUrl(), opts({ allowance }));
    expect(allowance.used).toBe(Buffer.byteLength(DAY_TEXT) * 2);
    const err = await rejection(httpGet(dayUrl(), opts({ allowance })));
    expect(err.message).toBe(`GET ${dayUrl()}: the answers from 127.0.0.1:${server.port} for one listing add up to more than ${Math.round((allowance.max / 1024))} KB`);
    expect(server.requests).toHaveLength(3); // not retried
  });
});

describe('httpGet: proxies and input checks', () => {
  it('goes through HTTP_PROXY from opts.env', async () => {
    // The fault server accepts proxy-form requests, so it can act as the proxy itself.
    const target = `http://papers.invalid${API}?date=${DAY}`;
    const res = await httpGet(target, opts({ env: { HTTP_PROXY: server.url } }));
    expect(res.body).toBe(DAY_TEXT);
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]!.url).toBe(target);
  });

  it('bypasses the proxy for NO_PROXY hosts', async () => {
    const res = await httpGet(dayUrl(), opts({ env: { HTTP_PROXY: 'http://127.0.0.1:9', NO_PROXY: '127.0.0.1' } }));
    expect(res.body).toBe(DAY_TEXT);
    expect(server.requests[0]!.url).toBe(`${API}?date=${DAY}`);
  });

  it('ignores proxies in process.env when opts.env has none', async () => {
    const saved = process.env.HTTP_PROXY;
    process.env.HTTP_PROXY = 'http://127.0.0.1:9';
    try {
      const res = await httpGet(dayUrl(), opts({ env: {} }));
      expect(res.body).toBe(DAY_TEXT);
    } finally {
      if (saved === undefined) delete process.env.HTTP_PROXY;
      else process.env.HTTP_PROXY = saved;
    }
  });

  it('refuses a malformed proxy URL without echoing it', async () => {
    const err = await rejection(httpGet(dayUrl(), opts({ env: { HTTPS_PROXY: 'http://user:pw@[bad' } })));
    expect(err).toBeInstanceOf(UsageError);
    expect(err.message).not.toContain('pw');
  });

  it('refuses a non-http URL', async () => {
    const err = await rejection(httpGet('file:///etc/passwd', opts()));
    expect(err).toBeInstanceOf(UsageError);
    expect(err.message).toBe('not an http(s) URL: file:///etc/passwd');
  });
});

describe('retry policy', () => {
  it('parses Retry-After seconds and HTTP-dates, and rejects junk', () => {
    const now = Date.parse('2025-01-21T12:00:00Z');
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
    expect(parseRetryAfter('Tue, 21 Jan 2025 12:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Tue, 21 Jan 2025 11:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('-5', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });

  it('reads RateLimit only on a 429', () => {
    expect(serverWaitMs({ ratelimit: '"api";r=0;t=55' }, 429)).toBe(55_000);
    expect(serverWaitMs({ ratelimit: '"api";r=10;t=55' }, 503)).toBeUndefined();
    expect(serverWaitMs({ 'retry-after': '3', ratelimit: '"api";r=0;t=55' }, 429)).toBe(3_000);
  });

  it('draws full jitter under a capped, doubling ceiling', () => {
    expect(backoffMs(1, 500, 8_000, () => 1)).toBe(500);
    expect(backoffMs(3, 500, 8_000, () => 1)).toBe(2_000);
    expect(backoffMs(10, 500, 8_000, () => 1)).toBe(8_000);
    expect(backoffMs(3, 500, 8_000, () => 0)).toBe(0);
    expect(backoffMs(2, 500, 8_000, () => 0.5)).toBe(500);
  });

  it('describes low-level errors in one line naming the host', () => {
    const err = Object.assign(new Error('connect ECONNREFUSED 10.0.0.1:443'), { code: 'ECONNREFUSED' });
    expect(describeNetworkError(err, 'huggingface.co')).toBe('huggingface.co refused the connection');
    const dns = new AggregateError([Object.assign(new Error('x'), { code: 'ENOTFOUND' })]);
    expect(describeNetworkError(dns, 'huggingface.co')).toBe('cannot resolve huggingface.co (offline, or a DNS problem?)');
    expect(describeNetworkError(new Error('weird\nthing from http://u:p@proxy:1'), 'h')).toBe(
      'request to h failed: weird thing from http://***@proxy:1',
    );
  });
});

describe('fault server', () => {
  it('pages with p and limit, and answers [] for a day without a fixture', async () => {
    const page = async (q: string) => JSON.parse((await httpGet(`${server.url}${API}?${q}`, opts())).body) as unknown[];
    expect(await page(`date=${DAY}&p=0&limit=2`)).toEqual(DAY_ITEMS.slice(0, 2));
    expect(await page(`date=${DAY}&p=1&limit=2`)).toEqual(DAY_ITEMS.slice(2, 4));
    expect(await page(`date=${DAY}&p=99&limit=2`)).toEqual([]);
    expect(await page('date=2025-01-18')).toEqual([]);
  });

  it('serves a week and a month from the daily fixtures', async () => {
    const week = JSON.parse((await httpGet(`${server.url}${API}?week=${isoWeek(DAY)}`, opts())).body) as unknown[];
    expect(isoWeek(DAY)).toBe('2025-W04');
    expect(week).toEqual(DAY_ITEMS);
    const month = JSON.parse((await httpGet(`${server.url}${API}?month=2024-03`, opts())).body) as unknown[];
    const march = ['2024-03-12', '2024-03-13'].flatMap(
      (d) => JSON.parse(readFileSync(`${FIXTURES}/hfdp-zh_${d}.json`, 'utf8')) as unknown[],
    );
    expect(month).toEqual(march);
  });

  it('computes ISO weeks at year boundaries', () => {
    expect(isoWeek('2024-12-30')).toBe('2025-W01');
    expect(isoWeek('2021-01-03')).toBe('2020-W53');
    expect(isoWeek('2026-07-15')).toBe('2026-W29');
  });
});
