/**
 * Ignore rules (newsboat's killfiles): a term, an author or an arXiv category whose papers
 * never reach the inbox, the digest or a `--new` listing. They stay searchable.
 */
import type { Db } from './db.js';

/** What a rule matches: a searched term, part of an author's name, or an arXiv category. */
export type IgnoreKind = 'term' | 'author' | 'category';

/** One ignore rule. */
export interface IgnoreRule {
  kind: IgnoreKind;
  value: string;
}

/** The rules, in the order they were added. */
export function ignoreRules(db: Db): IgnoreRule[] {
  return db.prepare<[], IgnoreRule>('SELECT kind, value FROM ignore_rules ORDER BY rowid').all();
}

/** Add a rule; false when it was already there (case-insensitively). */
export function addIgnore(db: Db, rule: IgnoreRule, now: Date): boolean {
  let added = false;
  db.transaction(() => {
    added = db.prepare('INSERT OR IGNORE INTO ignore_rules (kind, value, added_at) VALUES (?, ?, ?)').run(rule.kind, rule.value, now.toISOString()).changes > 0;
  }).immediate();
  return added;
}

/** Remove a rule; false when it was not there. */
export function removeIgnore(db: Db, rule: IgnoreRule): boolean {
  let removed = false;
  db.transaction(() => {
    removed = db.prepare('DELETE FROM ignore_rules WHERE kind = ? AND value = ?').run(rule.kind, rule.value).changes > 0;
  }).immediate();
  return removed;
}

/**
 * SQL true for papers `p` that no rule ignores, read from the table itself so a query needs no
 * extra round trip. A term is one FTS5 phrase, typed or folded, CJK spaced (as watched terms
 * are); an author rule matches part of a name, case-insensitively; a category is exact.
 */
export const NOT_IGNORED = `(
  NOT EXISTS (SELECT 1 FROM ignore_rules i WHERE i.kind = 'author' AND instr(lower(p.authors), lower(i.value)) > 0)
  AND NOT EXISTS (SELECT 1 FROM ignore_rules i WHERE i.kind = 'category' AND instr(' ' || p.categories || ' ', ' ' || i.value || ' ') > 0)
  AND (NOT EXISTS (SELECT 1 FROM ignore_rules WHERE kind = 'term') OR p.pk NOT IN (SELECT rowid FROM papers_fts WHERE papers_fts MATCH
    (SELECT group_concat('("' || replace(cjk_spaced(value), '"', '""') || '" OR "' || replace(cjk_spaced(nfkc(value)), '"', '""') || '")', ' OR ') FROM ignore_rules WHERE kind = 'term')))
)`;

/** SQL true for papers `p` the user has not dismissed. */
export const NOT_DISMISSED = 'NOT EXISTS (SELECT 1 FROM dismissals d WHERE d.paper_id = p.id)';
