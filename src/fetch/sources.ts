/**
 * What a command fetches from: Hugging Face Daily Papers, or arXiv categories. Light (no
 * network, no parsers) so commands that never fetch can still name sources.
 */
import { UsageError } from '../errors.js';

/** A source to fetch listing days from. Several arXiv categories are fetched together, one request per day. */
export type FetchSource = { kind: 'hf' } | { kind: 'arxiv'; categories: string[] };

/** Hugging Face Daily Papers: the default. */
export const HF_FETCH: FetchSource = { kind: 'hf' };

// `cs.LG`, `stat.ML`, `hep-th`, `cond-mat.mes-hall`, `q-bio.NC`, or a whole archive (`cs`, `math`).
const CATEGORY = /^[a-z][a-z-]*(?:\.[A-Za-z][A-Za-z-]*)?$/;

/**
 * `--source` values of `papers fetch` (the flag may be repeated): `hf`, or `arxiv:CAT`
 * with several categories joined by `+` (`arxiv:cs.LG+cs.CL`, as arXiv's feed URLs
 * join them), or a bare `arxiv` for the configured `categories`. All arXiv categories
 * become one source; none given means `hf`.
 */
export function parseFetchSources(values: readonly string[], configured: readonly string[] = []): FetchSource[] {
  let hf = false;
  const categories: string[] = [];
  for (const raw of values) {
    for (const value of raw.split(',').map((v) => v.trim()).filter(Boolean)) {
      if (value === 'hf') {
        hf = true;
        continue;
      }
      if (value === 'arxiv' || value === 'arxiv:') {
        if (configured.length === 0) {
          throw new UsageError('name the arXiv categories to fetch: --source arxiv:cs.LG (several: arxiv:cs.LG+cs.CL), or set "categories" in the config file');
        }
        for (const cat of configured) if (!categories.includes(cat)) categories.push(cat);
        continue;
      }
      const m = /^arxiv:(.+)$/.exec(value);
      if (!m) throw new UsageError(`invalid --source "${raw}": use hf or arxiv:CATEGORY (e.g. arxiv:cs.LG, arxiv:cs.LG+cs.CL)`);
      for (const cat of m[1]!.split('+')) {
        if (!CATEGORY.test(cat)) throw new UsageError(`invalid --source "${raw}": "${cat}" is not an arXiv category such as cs.LG, stat.ML or hep-th`);
        if (!categories.includes(cat)) categories.push(cat);
      }
    }
  }
  const out: FetchSource[] = [];
  if (hf || categories.length === 0) out.push(HF_FETCH);
  if (categories.length > 0) out.push({ kind: 'arxiv', categories });
  return out;
}

/**
 * What a reading command (list, today) fetches for its `--source` filter: HF when none
 * is given or for `hf`, the category for `arxiv:CAT`, and for a bare `arxiv` the configured
 * categories — or nothing when there are none (the database is read as it is).
 */
export function fetchSourceFor(filter: string | null | undefined, configured: readonly string[] = []): FetchSource | null {
  if (!filter) return HF_FETCH;
  if (filter === 'arxiv') return configured.length > 0 ? { kind: 'arxiv', categories: [...configured] } : null;
  const m = /^arxiv:(.+)$/.exec(filter);
  if (m) return { kind: 'arxiv', categories: [m[1]!] };
  return filter === 'hf' ? HF_FETCH : null;
}

/** The listing sources a fetch source writes: `hf`, or `arxiv:<cat>` for each category. */
export function listingSources(s: FetchSource): string[] {
  return s.kind === 'hf' ? ['hf'] : s.categories.map((c) => `arxiv:${c}`);
}

/** `hf`, `arxiv:cs.LG`, `arxiv:cs.LG+cs.CL`: how messages name a fetch source. */
export function sourceLabel(s: FetchSource): string {
  return s.kind === 'hf' ? 'hf' : `arxiv:${s.categories.join('+')}`;
}
