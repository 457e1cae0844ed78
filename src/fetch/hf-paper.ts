/**
 * One paper from Hugging Face by id: its record (`GET {HF_ENDPOINT}/api/papers/{id}`, the
 * `paper` object of a daily-papers item) and its page as markdown (`GET /papers/{id}.md`,
 * built by HF from arXiv's HTML). Both are stored by the caller; a 404 is "HF has no such
 * paper", not a network failure.
 */
import { FormatError, InputError, NetworkError, NoResultsError, UsageError } from '../errors.js';
import type { Paper } from '../model.js';
import { httpGet, HttpStatusError, type HttpResponse } from '../net/http.js';
import { paperFromHfItem } from '../sources/hf-item.js';
import { hfEndpoint } from './hf.js';
import type { FetchEnv } from './loop.js';
import { netSettings, requestLimits, type NetFlags } from './settings.js';
import { userAgent } from '../version.js';

/** A paper's record is a few KB; anything near this is not one. */
const MAX_RECORD_BYTES = 4 * 1024 * 1024;
/**
 * A paper page as markdown is ~50–100 KB; the longest papers a few hundred. A larger body
 * is refused whole and nothing is stored.
 */
export const MAX_BODY_BYTES = 8 * 1024 * 1024;

/** One GET to the HF host with the token rules and limits of this run; a 404 is null. */
async function hfGet(env: Pick<FetchEnv, 'ctx' | 'signal'>, path: string, flags: NetFlags, accept: string, maxBytes: number, what: string): Promise<HttpResponse | null> {
  const { ctx } = env;
  const net = netSettings(flags, ctx.env);
  if (net.offline) throw new UsageError(`${what} needs the network: drop --offline / PAPERS_OFFLINE`);
  const endpoint = hfEndpoint(ctx.env);
  const token = ctx.env.HF_TOKEN?.trim();
  try {
    return await httpGet(`${endpoint}${path}`, {
      userAgent: userAgent(),
      accept,
      env: ctx.env,
      signal: env.signal,
      maxBytes,
      ...(token ? { token: { host: new URL(endpoint).host, value: token } } : {}),
      ...requestLimits(net),
    });
  } catch (err) {
    if (err instanceof HttpStatusError && err.status === 404) return null;
    throw err;
  }
}

/** The arXiv id as a URL path segment: old-style ids keep their slash (HF serves them so). */
function idPath(id: string): string {
  return id.split('/').map(encodeURIComponent).join('/');
}

/** A paper's record from `/api/papers/{id}` as a `Paper`; a NoResultsError when HF has no such paper. */
export async function fetchPaperRecord(env: Pick<FetchEnv, 'ctx' | 'signal'>, id: string, flags: NetFlags): Promise<Paper> {
  const res = await hfGet(env, `/api/papers/${idPath(id)}`, flags, 'application/json', MAX_RECORD_BYTES, `paper ${id} is not in the database; fetching it`);
  if (!res) throw new NoResultsError(`paper ${id} is not in the database, and Hugging Face has no paper ${id}`);
  return parsePaperRecord(res.body, id, new URL(res.url).host);
}

/** The body of `/api/papers/{id}` as a `Paper` (FormatError when it is not one, or another paper's). */
export function parsePaperRecord(body: string, id: string, origin: string): Paper {
  let data: unknown;
  try {
    data = JSON.parse(body);
  } catch (err) {
    throw new FormatError(`${origin}: paper ${id} is not valid JSON (${(err as Error).message})`);
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) throw new FormatError(`${origin}: paper ${id} is not a JSON object`);
  // The record is the `paper` of a daily item; a daily item itself is read the same way.
  const item = 'paper' in data ? data : { paper: data };
  let paper: Paper;
  try {
    paper = paperFromHfItem(item, 0, null, origin).paper;
  } catch (err) {
    if (err instanceof InputError) throw new FormatError(err.message);
    throw err;
  }
  if (paper.id !== id) throw new FormatError(`${origin}: asked for paper ${id}, got ${paper.id}`);
  return paper;
}

/**
 * A paper page as markdown from `/papers/{id}.md`. A NoResultsError when HF has no such
 * paper; a FormatError when the answer is an HTML page (a login wall, an error page) rather
 * than markdown; a NetworkError when it is larger than MAX_BODY_BYTES.
 */
export async function fetchPaperMarkdown(env: Pick<FetchEnv, 'ctx' | 'signal'>, id: string, flags: NetFlags): Promise<string> {
  let res: HttpResponse | null;
  try {
    res = await hfGet(env, `/papers/${idPath(id)}.md`, flags, 'text/markdown, text/plain;q=0.9', MAX_BODY_BYTES, `the full text of ${id}`);
  } catch (err) {
    if (err instanceof NetworkError && /larger than/.test(err.message)) {
      throw new NetworkError(`the full text of ${id} is larger than ${MAX_BODY_BYTES / 1024 / 1024} MB; not stored`);
    }
    throw err;
  }
  if (!res) throw new NoResultsError(`Hugging Face has no full text for ${id}`);
  const type = (res.headers['content-type'] ?? '').toLowerCase();
  if (type.includes('text/html') || /^\s*(<!doctype html|<html[\s>])/i.test(res.body.slice(0, 1024))) {
    throw new FormatError(`${new URL(res.url).host} answered ${id}.md with an HTML page, not markdown; nothing stored`);
  }
  if (res.body.trim() === '') throw new FormatError(`${new URL(res.url).host} answered ${id}.md with an empty body; nothing stored`);
  return res.body;
}
