/**
 * Our own JSONL export (`papers list --jsonl`): one paper object per line, as
 * documented in README "JSON output". Importing it restores papers and listings.
 */
import { InputError } from '../errors.js';
import { emptyPaper, normalizeLine, normalizeParagraphs, parseArxivId, type ParsedListing } from '../model.js';
import { describeValue, isoDay, isoTime } from './hf-item.js';
import type { Source } from './types.js';

type Json = Record<string, unknown>;
// Ids and sources are printed as they are (not sanitized): only what we write is accepted.
const TITLE_ID = /^title-[0-9a-f]{12}$/;
const SOURCE = /^[\x21-\x7e]{1,64}$/;
const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v : null);
const int = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? Math.trunc(v) : null);
const strings = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && x.trim() !== '').map(normalizeLine) : [];

/** True when a parsed line looks like one of our paper objects. */
export function isPaperObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && typeof (v as Json).id === 'string' && typeof (v as Json).title === 'string' && 'listedOn' in (v as Json);
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
      if (!isPaperObject(obj)) throw new InputError(`${where}: not a papers JSONL record (needs "id", "title", "listedOn")`);
      const id = (obj.id as string).trim();
      const arxiv = parseArxivId(id);
      if (!arxiv && !TITLE_ID.test(id)) throw new InputError(`${where}: ${describeValue(id)} is not an arXiv id`);
      const paper = emptyPaper(arxiv ? arxiv.id : id, normalizeLine(str(obj.title) ?? ''));
      if (!paper.title) throw new InputError(`${where}: empty title`);
      paper.abstract = normalizeParagraphs(str(obj.abstract) ?? '');
      paper.authors = strings(obj.authors);
      paper.publishedAt = isoTime(obj.publishedAt);
      paper.upvotes = int(obj.upvotes);
      paper.comments = int(obj.comments);
      paper.githubRepo = str(obj.githubRepo);
      paper.githubStars = int(obj.githubStars);
      paper.projectPage = str(obj.projectPage);
      paper.aiSummary = str(obj.aiSummary);
      paper.keywords = strings(obj.keywords);
      paper.organization = str(obj.organization);
      paper.categories = strings(obj.categories);
      paper.primaryCategory = str(obj.primaryCategory);
      paper.doi = str(obj.doi);
      paper.journalRef = str(obj.journalRef);
      paper.arxivComments = str(obj.arxivComments);
      paper.version = int(obj.version) ?? arxiv?.version ?? null;
      paper.updatedAt = isoTime(obj.updatedAt);
      const day = str(obj.listedOn) ?? opts.day;
      if (day && !(/^\d{4}-\d{2}-\d{2}$/.test(day) && isoDay(day) === day)) throw new InputError(`${where}: "listedOn" must be YYYY-MM-DD`);
      const source = str(obj.source) ?? 'hf';
      if (!SOURCE.test(source)) throw new InputError(`${where}: ${describeValue(source)} is not a listing source`);
      const rank = int(obj.rank);
      const listing = day
        ? { source, day, rank: rank !== null && rank >= 1 && Number.isSafeInteger(rank) ? rank : out.items.length + 1, upvotes: paper.upvotes }
        : null;
      out.items.push({ paper, listing });
    });
    if (out.items.length === 0) throw new InputError(`${opts.origin}: no records`);
    return out;
  },
};
