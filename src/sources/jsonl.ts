/**
 * Our own JSONL (`papers export`, `papers list --jsonl`): one paper object per line, as
 * documented in README "JSON output". Importing it restores papers and listings: every
 * entry of `listings` where the record has it (export writes it), else the row's own one.
 */
import { InputError } from '../errors.js';
import { countValue, emptyPaper, normalizeLine, normalizeParagraphs, parseArxivId, type ListingEntry, type ParsedListing } from '../model.js';
import { describeValue, isoDay, isoTime } from './hf-item.js';
import type { Source } from './types.js';

type Json = Record<string, unknown>;
// Ids and sources are printed as they are (not sanitized): only what we write is accepted.
const TITLE_ID = /^title-[0-9a-f]{12}$/;
const SOURCE = /^[\x21-\x7e]{1,64}$/;
const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v : null);
const strings = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && x.trim() !== '').map(normalizeLine) : [];

/** A real calendar day written `YYYY-MM-DD`. */
const isDay = (v: string) => /^\d{4}-\d{2}-\d{2}$/.test(v) && isoDay(v) === v;

/**
 * The `listings` of a record (`[{source, day, rank, upvotes}]`, as export writes them), or
 * null when it has none. They are the whole truth about its listings: an empty array is a
 * paper no listing carried, whatever --date says. A bad entry rejects the record.
 */
function listingsField(v: unknown, where: string): ListingEntry[] | null {
  if (v === undefined || v === null) return null;
  if (!Array.isArray(v)) throw new InputError(`${where}: "listings" must be an array`);
  return v.map((e: unknown, i) => {
    const bad = (why: string): never => {
      throw new InputError(`${where}: listings[${i}]: ${why}`);
    };
    if (typeof e !== 'object' || e === null || Array.isArray(e)) return bad('not an object {source, day, rank, upvotes}');
    const { source, day, rank, upvotes } = e as Json;
    if (typeof source !== 'string' || !SOURCE.test(source)) bad(`${describeValue(source)} is not a listing source`);
    if (typeof day !== 'string' || !isDay(day)) bad(`"day" ${describeValue(day)} is not a YYYY-MM-DD date`);
    if (!Number.isSafeInteger(rank) || (rank as number) < 1) bad(`"rank" ${describeValue(rank)} is not a whole number from 1`);
    if (upvotes !== undefined && upvotes !== null && !Number.isSafeInteger(upvotes)) bad(`"upvotes" ${describeValue(upvotes)} is not a whole number or null`);
    return { source: source as string, day: day as string, rank: rank as number, upvotes: (upvotes as number | null | undefined) ?? null };
  });
}

/** True when a parsed line looks like one of our paper objects. */
export function isPaperObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && typeof (v as Json).id === 'string' && typeof (v as Json).title === 'string' && ('listedOn' in (v as Json) || 'listings' in (v as Json));
}

export const papersJsonl: Source = {
  name: 'jsonl',
  sniff: (text) => /^\s*\{/.test(text),
  parse(text, opts) {
    const out: ParsedListing = { format: 'jsonl', items: [], warnings: [] };
    const lines = text.split('\n');
    lines.forEach((line, i) => {
      if (line.trim() === '') return;
      const where = `${opts.origin}:${i + 1}`;
      let obj: unknown;
      try {
        obj = JSON.parse(line);
      } catch (err) {
        throw new InputError(`${where}: not valid JSON (${(err as Error).message})`);
      }
      if (!isPaperObject(obj)) throw new InputError(`${where}: not a papers JSONL record (needs "id", "title", and "listedOn" or "listings")`);
      const id = (obj.id as string).trim();
      const arxiv = parseArxivId(id);
      if (!arxiv && !TITLE_ID.test(id)) throw new InputError(`${where}: ${describeValue(id)} is not an arXiv id`);
      const paper = emptyPaper(arxiv ? arxiv.id : id, normalizeLine(str(obj.title) ?? ''));
      if (!paper.title) throw new InputError(`${where}: empty title`);
      paper.abstract = normalizeParagraphs(str(obj.abstract) ?? '');
      paper.authors = strings(obj.authors);
      paper.publishedAt = isoTime(obj.publishedAt);
      paper.upvotes = countValue(obj.upvotes);
      paper.comments = countValue(obj.comments);
      paper.githubRepo = str(obj.githubRepo);
      paper.githubStars = countValue(obj.githubStars);
      paper.projectPage = str(obj.projectPage);
      paper.aiSummary = str(obj.aiSummary);
      paper.keywords = strings(obj.keywords);
      paper.organization = str(obj.organization);
      paper.submittedBy = str(obj.submittedBy);
      paper.categories = strings(obj.categories);
      paper.primaryCategory = str(obj.primaryCategory);
      paper.doi = str(obj.doi);
      paper.journalRef = str(obj.journalRef);
      paper.arxivComments = str(obj.arxivComments);
      paper.version = countValue(obj.version) ?? arxiv?.version ?? null;
      paper.updatedAt = isoTime(obj.updatedAt);
      const listings = listingsField(obj.listings, where);
      if (listings) {
        // One item per listing: the store merges the repeats of a paper into one.
        if (listings.length === 0) out.items.push({ paper, listing: null });
        for (const listing of listings) out.items.push({ paper, listing });
        return;
      }
      // An export without `listings` (older, or fields selected): the row's one listing.
      const day = str(obj.listedOn) ?? opts.day;
      if (day && !isDay(day)) throw new InputError(`${where}: "listedOn" must be YYYY-MM-DD`);
      const source = str(obj.source) ?? 'hf';
      if (!SOURCE.test(source)) throw new InputError(`${where}: ${describeValue(source)} is not a listing source`);
      const rank = countValue(obj.rank);
      const listing = day
        ? { source, day, rank: rank !== null && rank >= 1 && Number.isSafeInteger(rank) ? rank : out.items.length + 1, upvotes: paper.upvotes }
        : null;
      out.items.push({ paper, listing });
    });
    if (out.items.length === 0) throw new InputError(`${opts.origin}: no records`);
    return out;
  },
};
