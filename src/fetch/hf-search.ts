/**
 * Hugging Face's hybrid paper search, `GET {HF_ENDPOINT}/api/papers/search?q=`: the results
 * are stored like any other papers (listing source `hf-search`, on the day searched) so
 * they can be shown, starred and searched offline afterwards.
 */
import { FormatError, InputError, UsageError } from '../errors.js';
import type { ParsedListing } from '../model.js';
import { httpGet } from '../net/http.js';
import { isHfItem, paperFromHfItem } from '../sources/hf-item.js';
import { utcDay } from '../dates-day.js';
import { hfEndpoint } from './hf.js';
import type { FetchEnv } from './loop.js';
import { netSettings, requestLimits, type NetFlags } from './settings.js';
import { userAgent } from '../version.js';

/** Hugging Face refuses longer queries. */
export const MAX_QUERY = 250;

/** The listing source of remote search results. */
export const SEARCH_SOURCE = 'hf-search';

/** Search results as a listing: one entry per result, ranked in the order HF returned them. */
export function parseSearchResults(body: string, day: string, origin: string): ParsedListing {
  let data: unknown;
  try {
    data = JSON.parse(body);
  } catch (err) {
    throw new FormatError(`${origin}: not valid JSON (${(err as Error).message})`);
  }
  if (!Array.isArray(data)) throw new FormatError(`${origin}: expected a JSON array of papers`);
  const out: ParsedListing = { format: 'hf-search', items: [], warnings: [] };
  data.forEach((raw, i) => {
    // Results come as daily-papers items ({paper: {...}}) or as bare paper objects.
    const item = isHfItem(raw) ? raw : { paper: raw };
    try {
      const { paper } = paperFromHfItem(item, i, day, origin);
      out.items.push({ paper, listing: { source: SEARCH_SOURCE, day, rank: i + 1, upvotes: paper.upvotes } });
    } catch (err) {
      if (err instanceof InputError) throw new FormatError(err.message);
      throw err;
    }
  });
  return out;
}

/** Ask Hugging Face; returns the parsed results (not yet stored). */
export async function searchRemote(env: Pick<FetchEnv, 'ctx' | 'signal'>, query: string, flags: NetFlags): Promise<ParsedListing> {
  const { ctx } = env;
  const q = query.trim();
  if (q.length > MAX_QUERY) throw new UsageError(`--remote queries are at most ${MAX_QUERY} characters (this one has ${q.length})`);
  const net = netSettings(flags, ctx.env);
  if (net.offline) throw new UsageError('--remote needs the network: drop --offline / PAPERS_OFFLINE');
  const endpoint = hfEndpoint(ctx.env);
  const url = `${endpoint}/api/papers/search?q=${encodeURIComponent(q)}`;
  const token = ctx.env.HF_TOKEN?.trim();
  const res = await httpGet(url, {
    userAgent: userAgent(),
    accept: 'application/json',
    env: ctx.env,
    signal: env.signal,
    ...(token ? { token: { host: new URL(endpoint).host, value: token } } : {}),
    ...requestLimits(net),
  });
  return parseSearchResults(res.body, utcDay(ctx.now), new URL(url).host);
}
