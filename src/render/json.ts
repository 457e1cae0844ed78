/**
 * JSON output: the public contract documented in README "JSON output".
 * Field names are stable; fields may be added, never renamed or removed silently.
 */
import { paperUrls } from '../model.js';
import type { PaperRow } from '../model.js';

/** The JSON object of one paper (with `listings` when the row has them). Text is exact (JSON escapes control characters itself). */
export function paperJson(row: PaperRow): Record<string, unknown> {
  return {
    id: row.id,
    title: row.title,
    authors: row.authors,
    abstract: row.abstract,
    publishedAt: row.publishedAt,
    listedOn: row.listedOn,
    source: row.source,
    rank: row.rank,
    upvotes: row.upvotes,
    comments: row.comments,
    githubRepo: row.githubRepo,
    githubStars: row.githubStars,
    projectPage: row.projectPage,
    aiSummary: row.aiSummary,
    keywords: row.keywords,
    organization: row.organization,
    submittedBy: row.submittedBy,
    categories: row.categories,
    primaryCategory: row.primaryCategory,
    doi: row.doi,
    journalRef: row.journalRef,
    arxivComments: row.arxivComments,
    version: row.version,
    updatedAt: row.updatedAt,
    watched: row.watched ?? [],
    urls: paperUrls(row.id),
    // Only where the command looked them up (show, export): one index search a paper.
    ...(row.listings ? { listings: row.listings } : {}),
    // Only where a listing asked for it (`--sort rising`).
    ...(row.gain !== undefined ? { upvotesGained: row.gain } : {}),
  };
}
