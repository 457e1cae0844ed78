/**
 * The Hugging Face repositories that cite a paper: `GET {HF_ENDPOINT}/api/models?filter=arxiv:ID`
 * and the same under /api/datasets and /api/spaces (huggingface_hub's `list_models(filter=…)`),
 * most liked first. Each answer is a JSON array of repositories (`id`, `likes`, `downloads`
 * — none for Spaces — and `tags`); only what `show` prints is kept.
 */
import { FormatError } from '../errors.js';
import { countValue } from '../model.js';
import { httpGet } from '../net/http.js';
import { LINKED_LIMIT, type Linked, type LinkedKind, type LinkedRepo } from '../model.js';
import { userAgent } from '../version.js';
import { hfEndpoint } from './hf.js';
import type { FetchEnv } from './loop.js';
import { requestLimits, type NetSettings } from './settings.js';

export { LINKED_LIMIT };
// A hundred repositories with their tags is ~100 KB: anything near this is not that answer.
const MAX_ANSWER_BYTES = 4 * 1024 * 1024;

const PATHS: Record<LinkedKind, string> = { model: 'models', dataset: 'datasets', space: 'spaces' };

/** The API URL listing the repositories of `kind` that cite arXiv paper `id`. */
export function linkedUrl(endpoint: string, kind: LinkedKind, id: string): string {
  return `${endpoint}/api/${PATHS[kind]}?filter=${encodeURIComponent(`arxiv:${id}`)}&sort=likes&direction=-1&limit=${LINKED_LIMIT}`;
}

/**
 * One answer as repositories (entries without a string `id` are skipped); FormatError when
 * it is not a JSON array (an HTML page, an error object).
 */
export function parseRepos(body: string, url: string, kind: LinkedKind): LinkedRepo[] {
  let data: unknown;
  try {
    data = JSON.parse(body);
  } catch {
    // JSON.parse's message quotes the body: remote text stays out of our messages.
    const what = body.trim() === '' ? 'an empty answer' : /^\s*</.test(body) ? 'an HTML page' : 'invalid JSON';
    throw new FormatError(`${url}: expected a JSON array of ${PATHS[kind]}, got ${what}`);
  }
  if (!Array.isArray(data)) throw new FormatError(`${url}: expected a JSON array of ${PATHS[kind]}, got ${data === null ? 'null' : typeof data === 'object' ? 'an object' : typeof data}`);
  const out: LinkedRepo[] = [];
  for (const item of data) {
    const r = item as { id?: unknown; likes?: unknown; downloads?: unknown } | null;
    if (typeof r !== 'object' || r === null || typeof r.id !== 'string' || r.id.trim() === '') continue;
    out.push({ id: r.id, likes: countValue(r.likes), downloads: kind === 'space' ? null : countValue(r.downloads) });
  }
  return out;
}

/** Ask HF for the models, datasets and Spaces citing `id` (three requests at once); throws a PapersError when one fails. */
export async function fetchLinked(env: Pick<FetchEnv, 'ctx' | 'signal'>, id: string, net: NetSettings): Promise<Linked> {
  const endpoint = hfEndpoint(env.ctx.env);
  const token = env.ctx.env.HF_TOKEN?.trim();
  const one = async (kind: LinkedKind) => {
    const url = linkedUrl(endpoint, kind, id);
    const res = await httpGet(url, {
      userAgent: userAgent(),
      accept: 'application/json',
      env: env.ctx.env,
      signal: env.signal,
      maxBytes: MAX_ANSWER_BYTES,
      ...(token ? { token: { host: new URL(endpoint).host, value: token } } : {}),
      ...requestLimits(net),
    });
    return parseRepos(res.body, url, kind);
  };
  // allSettled: no request is left running behind a failed one.
  const [model, dataset, space] = await Promise.allSettled([one('model'), one('dataset'), one('space')]);
  for (const r of [model, dataset, space]) if (r.status === 'rejected') throw r.reason;
  const value = (r: PromiseSettledResult<LinkedRepo[]>) => (r.status === 'fulfilled' ? r.value : []);
  return { model: value(model), dataset: value(dataset), space: value(space) };
}
