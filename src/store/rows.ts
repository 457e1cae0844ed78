/** A paper and its `papers` row, mapped both ways in one place. */
import type { Paper } from '../model.js';

/** The columns of a `papers` row as SQLite returns them (lists are newline- or space-joined text). */
export interface PaperColumns {
  pk: number;
  id: string;
  title: string;
  abstract: string;
  authors: string;
  keywords: string;
  published_at: string | null;
  upvotes: number | null;
  comments: number | null;
  github_repo: string | null;
  github_stars: number | null;
  project_page: string | null;
  ai_summary: string | null;
  organization: string | null;
  submitted_by: string | null;
  categories: string;
  primary_category: string | null;
  doi: string | null;
  journal_ref: string | null;
  arxiv_comments: string | null;
  version: number | null;
  updated_on: string | null;
}

/** The columns a paper's data fills (all but the keys), in their stored form. */
export type DataColumns = Omit<PaperColumns, 'pk' | 'id'>;

const lines = (s: string) => (s === '' ? [] : s.split('\n'));

/** A paper → its stored columns: lists newline-joined (authors, keywords) or space-joined (categories). */
export function columnsOf(p: Paper): DataColumns {
  return {
    title: p.title,
    abstract: p.abstract,
    authors: p.authors.join('\n'),
    keywords: p.keywords.join('\n'),
    published_at: p.publishedAt,
    upvotes: p.upvotes,
    comments: p.comments,
    github_repo: p.githubRepo,
    github_stars: p.githubStars,
    project_page: p.projectPage,
    ai_summary: p.aiSummary,
    organization: p.organization,
    submitted_by: p.submittedBy,
    categories: p.categories.join(' '),
    primary_category: p.primaryCategory,
    doi: p.doi,
    journal_ref: p.journalRef,
    arxiv_comments: p.arxivComments,
    version: p.version,
    updated_on: p.updatedAt,
  };
}

/** A stored row → the paper it holds (columnsOf read back). */
export function paperOf(r: PaperColumns): Paper {
  return {
    id: r.id,
    title: r.title,
    abstract: r.abstract,
    authors: lines(r.authors),
    publishedAt: r.published_at,
    upvotes: r.upvotes,
    comments: r.comments,
    githubRepo: r.github_repo,
    githubStars: r.github_stars,
    projectPage: r.project_page,
    aiSummary: r.ai_summary,
    keywords: lines(r.keywords),
    organization: r.organization,
    submittedBy: r.submitted_by,
    categories: r.categories === '' ? [] : r.categories.split(' '),
    primaryCategory: r.primary_category,
    doi: r.doi,
    journalRef: r.journal_ref,
    arxivComments: r.arxiv_comments,
    version: r.version,
    updatedAt: r.updated_on,
  };
}
