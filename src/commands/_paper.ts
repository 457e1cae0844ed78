/**
 * Papers named on the command line (ids, numbers from the last list, URLs), fetched from
 * Hugging Face and stored when the database lacks them: `show`, `open`, `star`, `cite` work
 * for any paper, and the paper is then in the library like any other.
 */
import type { App } from '../app.js';
import { NoResultsError, UsageError } from '../errors.js';
import { isTitleId, parseArxivId } from '../model.js';
import type { NetFlags } from '../fetch/settings.js';
import type { Option } from 'commander';
import type { Db } from '../store/db.js';
import { getPaper, shownAs } from '../store/query.js';
import type { PaperRow } from '../model.js';
import { networkOptions } from './_options.js';

/**
 * The papers `refs` name, in order, each fetched (`/api/papers/{id}`) and stored when missing.
 * Every reference is resolved before anything is fetched, so a bad one changes nothing.
 */
export async function papersByReference(app: App, refs: readonly string[], flags: NetFlags): Promise<PaperRow[]> {
  const db = await app.db();
  const ids = refs.map((ref) => resolveReference(db, ref));
  const rows: PaperRow[] = [];
  for (const id of ids) rows.push(getPaper(db, id) ?? (await fetchMissing(app, id, flags)));
  return rows;
}

/** One paper the database lacks, from Hugging Face, stored with no listing (it is listed under its arXiv date). */
export async function fetchMissing(app: App, id: string, flags: NetFlags): Promise<PaperRow> {
  if (isTitleId(id)) throw new NoResultsError(`paper ${id} is not in the database`);
  const { netSettings } = await import('../fetch/settings.js');
  if (netSettings(flags, app.ctx.env).offline) {
    throw new NoResultsError(`paper ${id} is not in the database; without --offline (and PAPERS_OFFLINE) it is fetched from Hugging Face`);
  }
  const { fetchPaperRecord } = await import('../fetch/hf-paper.js');
  const paper = await fetchPaperRecord(app, id, flags);
  const db = await app.db();
  const { storeListing } = await import('../store/write.js');
  storeListing(db, { format: 'hf-paper', items: [{ paper, listing: null }], warnings: [] }, { now: app.ctx.now });
  const row = getPaper(db, paper.id);
  if (!row) throw new NoResultsError(`paper ${id} could not be stored`);
  return row;
}

/** The network flags of a command that may fetch one paper: --offline, --timeout, --retries (no listing, so no --refresh or --max-age). */
export function paperFetchOptions(): Option[] {
  return networkOptions({ fetching: false }).filter((o) => o.long !== '--refresh' && o.long !== '--max-age');
}

/** The raw values of paperFetchOptions. */
export type PaperFetchFlags = Pick<NetFlags, 'offline' | 'timeout' | 'retries'>;

/**
 * The paper id a user's reference stands for: an arXiv id (version dropped), a
 * title-derived id, a number from the last list/search, or a huggingface.co/papers
 * or arxiv.org/abs|pdf URL.
 */
export function resolveReference(db: Db, ref: string): string {
  const s = ref.trim();
  if (/^\d{1,4}$/.test(s)) {
    const id = shownAs(db, Number(s));
    if (!id) throw new UsageError(`no paper numbered ${s} in the last list or search; run \`papers list\` first, or give an id`);
    return id;
  }
  if (isTitleId(s)) return s;
  const direct = parseArxivId(s);
  if (direct) return direct.id;
  let url: URL | null = null;
  try {
    url = new URL(s);
  } catch {
    // not a URL: fall through to the error below
  }
  if (url && /^https?:$/.test(url.protocol)) {
    const host = url.hostname.replace(/^www\./, '');
    const path = decodePath(url.pathname, ref);
    const m =
      host === 'huggingface.co' || host === 'hf.co'
        ? /^\/papers\/(.+?)\/?$/.exec(path)
        : host === 'arxiv.org' || host === 'export.arxiv.org'
          ? /^\/(?:abs|pdf|html)\/(.+?)(?:\.pdf)?\/?$/.exec(path)
          : null;
    const id = m ? parseArxivId(m[1]!) : null;
    if (id) return id.id;
  }
  throw new UsageError(`"${ref}" is not a paper id, a number from the last list, or a huggingface.co/papers or arxiv.org URL`);
}

/** A URL path with its %-escapes decoded; a usage error naming `ref` when one is malformed (`%ZZ`). */
function decodePath(path: string, ref: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    throw new UsageError(`"${ref}" is not a valid URL: a malformed %-escape in its path`);
  }
}
