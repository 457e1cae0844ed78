/**
 * Our own JSONL export (`papers list --jsonl`): one paper object per line, as
 * documented in README "JSON output". Importing it restores papers and listings.
 */
import { InputError } from '../errors.js';
import { emptyPaper, normalizeLine, normalizeParagraphs, parseArxivId, isTitleId, type ParsedListing } from '../model.js';
import type { Source } from './types.js';

type Json = Record<string, unknown>;
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
      const id = str(obj.id)!;
      const arxiv = parseArxivId(id);
      if (!arxiv && !isTitleId(id)) throw new InputError(`${where}: "${id}" is not an arXiv id`);
      const paper = emptyPaper(arxiv ? arxiv.id : id, normalizeLine(str(obj.title) ?? ''));
      if (!paper.title) throw new InputError(`${where}: empty title`);
      paper.abstract = normalizeParagraphs(str(obj.abstract) ?? '');
      paper.authors = strings(obj.authors);
      paper.publishedAt = str(obj.publishedAt);
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
      paper.updatedAt = str(obj.updatedAt);
      const day = str(obj.listedOn) ?? opts.day;
      if (day && !/^\d{4}-\d{2}-\d{2}$/.test(day)) throw new InputError(`${where}: "listedOn" must be YYYY-MM-DD`);
      const listing = day
        ? { source: str(obj.source) ?? 'hf', day, rank: int(obj.rank) ?? out.items.length + 1, upvotes: paper.upvotes }
        : null;
      out.items.push({ paper, listing });
    });
    if (out.items.length === 0) throw new InputError(`${opts.origin}: no records`);
    return out;
  },
};
