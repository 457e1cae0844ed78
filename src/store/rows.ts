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
