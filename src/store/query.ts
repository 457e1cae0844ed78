/** Reading papers back: listings by day, full-text search, one paper, the last numbers shown. */
import { HL_CLOSE, HL_OPEN, type ListingEntry, type PaperRow } from '../model.js';
import { unspaceCjk } from './cjk.js';
import type { Db } from './db.js';
import { paperOf, type PaperColumns } from './rows.js';
import { fromUtc, toUtc } from '../dates-day.js';
import { NOT_DISMISSED, NOT_IGNORED } from './ignore.js';
import type { DayRange } from '../dates.js';

/** FTS snippet ellipsis. */
const ELLIPSIS = '…';

/** Filters shared by list and search. */
export interface Filters {
  range?: DayRange | null;
  source?: string | null;
  minUpvotes?: number | null;
  author?: string | null;
  hasCode?: boolean;
  /** Only papers a Hugging Face model cites, as stored (`--has-model`). */
  hasModel?: boolean;
  keyword?: string | null;
  /** Only papers submitted to Daily Papers by this HF user (case-insensitive; `--submitter`). */
  submitter?: string | null;
  limit?: number | null;
  /** `trending`: HF's order as last fetched (listing_orders), then rank; `rising`: by upvotes gained since `gainSince`; listings only. `fit` is ordered by the command (src/rank): the store returns it in listing (or bm25) order. */
  sort?: 'rank' | 'upvotes' | 'date' | 'title' | 'trending' | 'rising' | 'fit' | null;
  /** Rows carry `gain`: upvotes now less those recorded last before this ISO time (or first recorded, when none is older). */
  gainSince?: string | null;
  /** Only papers never shown on a terminal nor marked read (`--new`). */
  unread?: boolean;
  /** Only papers not starred, dismissed, marked read by hand nor ignored: the inbox's candidates. */
  untriaged?: boolean;
  /** Only starred papers (`--starred`). */
  starred?: boolean;
  /** Only papers in this arXiv category, primary or cross-listed (`--category cs.LG`). */
  category?: string | null;
  /** Only papers matching a term of the watch list (`--watched`). */
  watchedOnly?: boolean;
}

/** A stored paper row with the listing columns every query selects. */
export interface RawRow extends PaperColumns {
  day: string | null;
  source: string | null;
  rank: number | null;
  gain?: number | null;
}

/** A stored row → the PaperRow every renderer takes. */
export function toRow(r: RawRow): PaperRow {
  return { ...paperOf(r), listedOn: r.day, source: r.source, rank: r.rank, ...(r.gain !== undefined ? { gain: r.gain } : {}) };
}

/** `LIKE` pattern matching `text` anywhere, with wildcards in it taken literally. */
const likeAnywhere = (text: string) => '%' + text.replace(/[\\%_]/g, (c) => '\\' + c) + '%';

/** SQL conditions on papers `p` for the filters (not the day range). */
function paperConditions(f: Filters): { sql: string[]; params: unknown[] } {
  const sql: string[] = [];
  const params: unknown[] = [];
  if (f.minUpvotes != null) {
    sql.push('coalesce(p.upvotes, 0) >= ?');
    params.push(f.minUpvotes);
  }
  // Typed text matches as typed or in compatibility form (`ﬁ` → `fi`), as search does.
  for (const [column, text] of [['authors', f.author], ['keywords', f.keyword]] as const) {
    if (!text) continue;
    sql.push(`(p.${column} LIKE ? ESCAPE '\\' OR p.${column} LIKE ? ESCAPE '\\')`);
    params.push(likeAnywhere(text), likeAnywhere(text.normalize('NFKC')));
  }
  if (f.hasCode) sql.push('p.github_repo IS NOT NULL');
  if (f.submitter) {
    sql.push('p.submitted_by = ? COLLATE NOCASE');
    params.push(f.submitter.trim());
  }
  if (f.hasModel) sql.push("p.id IN (SELECT paper_id FROM linked WHERE kind = 'model')");
  if (f.category) {
    sql.push("(' ' || p.categories || ' ') LIKE ? ESCAPE '\\'");
    params.push(likeAnywhere(` ${f.category} `));
  }
  // New means worth a look: a dismissed or ignored paper never is.
  if (f.unread) sql.push('NOT EXISTS (SELECT 1 FROM reads r WHERE r.paper_id = p.id)', NOT_DISMISSED, NOT_IGNORED);
  if (f.untriaged) {
    sql.push("NOT EXISTS (SELECT 1 FROM reads r WHERE r.paper_id = p.id AND r.how = 'marked')", 'p.id NOT IN (SELECT paper_id FROM stars)', NOT_DISMISSED, NOT_IGNORED);
  }
  // IN, not EXISTS: the planner can then start from the few starred papers instead of
  // visiting every paper (`list --starred` with no range reads the whole database).
  if (f.starred) sql.push('p.id IN (SELECT paper_id FROM stars)');
  if (f.watchedOnly) {
    // Each watched term is one FTS5 phrase, typed or folded, CJK spaced (termExpression in state.ts); an empty list matches nothing.
    sql.push(`p.pk IN (SELECT rowid FROM papers_fts WHERE papers_fts MATCH
      (SELECT coalesce(group_concat('("' || replace(cjk_spaced(term), '"', '""') || '" OR "' || replace(cjk_spaced(nfkc(term)), '"', '""') || '")', ' OR '), '""') FROM watch_terms))`);
  }
  return { sql, params };
}

/**
 * A listing source filter: `hf` and `arxiv:cs.LG` are exact; a bare `arxiv` takes every
 * arXiv category (`arxiv:…`).
 */
function sourceMatches(alias: string): string {
  return `(${alias}.source = ? OR ${alias}.source LIKE ? ESCAPE '\\')`;
}
function sourceParams(source: string): [string, string] {
  // The name's own `_` or `%` are not wildcards: a full name matches itself only.
  const literal = source.replace(/[\\%_]/g, (c) => '\\' + c);
  return [source, source.includes(':') ? literal : `${literal}:%`];
}

/** Restrict papers `p` to those listed in the filters' day range / source, if any. */
function listedIn(f: Filters, where: string[], params: unknown[]): void {
  if (!f.range && !f.source) return;
  const inListing = ['l.paper_id = p.id'];
  if (f.range) {
    inListing.push('l.day BETWEEN ? AND ?');
    params.push(f.range.from, f.range.to);
  }
  if (f.source) {
    inListing.push(sourceMatches('l'));
    params.push(...sourceParams(f.source));
  }
  where.push(`EXISTS (SELECT 1 FROM listings l WHERE ${inListing.join(' AND ')})`);
}

/**
 * ORDER BY for listPapers, over its result columns: `at_day` is the listing day, or the
 * arXiv day of a paper no listing carried (which has no rank: after the ranked ones).
 */
function orderBy(sort: Filters['sort']): string {
  switch (sort) {
    case 'upvotes':
      return 'coalesce(upvotes, -1) DESC, at_day DESC, rank NULLS LAST, id';
    case 'date':
      return 'coalesce(published_at, at_day) DESC, rank NULLS LAST, id';
    case 'title':
      return 'title COLLATE NOCASE, id';
    case 'rising':
      return 'gain DESC NULLS LAST, coalesce(upvotes, -1) DESC, at_day DESC, rank NULLS LAST, id';
    case 'trending':
      return 'at_day DESC, hf_order NULLS LAST, rank NULLS LAST, published_at DESC, id';
    default:
      // The listing's own order: newest day first, then its rank (upvotes on HF).
      return 'at_day DESC, rank NULLS LAST, published_at DESC, id';
  }
}

/** The latest day with a listing (of `source`, if given: a bare `arxiv` is any category), or null when the database is empty. */
export function latestDay(db: Db, source?: string | null): string | null {
  // Remote search results are not a listing of their day: never the default day.
  const row = source
    ? db.prepare<[string, string], { d: string | null }>(`SELECT max(day) AS d FROM listings l WHERE ${sourceMatches('l')}`).get(...sourceParams(source))
    : db.prepare<[], { d: string | null }>("SELECT max(day) AS d FROM listings WHERE source <> 'hf-search'").get();
  return row?.d ?? null;
}

/**
 * The day a paper no listing carried stands on: the UTC day of its arXiv publication time
 * (SQLite converts `±HH:MM` offsets; a time it cannot read keeps the day as written).
 */
const ARXIV_DAY = 'coalesce(date(p.published_at), substr(p.published_at, 1, 10))';

/** True for papers `p` that no listing carried: remote search results are not a listing. */
const UNLISTED = "NOT EXISTS (SELECT 1 FROM listings u WHERE u.paper_id = p.id AND u.source <> 'hf-search')";

/** The position of listing `l`'s paper in HF's order that `f.sort` asks for, or NULL (only looked up when asked for). */
function hfOrder(f: Filters): string {
  if (f.sort !== 'trending') return 'NULL';
  return "(SELECT o.position FROM listing_orders o WHERE o.source = l.source AND o.day = l.day AND o.sort = 'trending' AND o.paper_id = l.paper_id)";
}

/** Papers listed in the range (or ever), one row per paper: its latest listing there. */
function listedSelect(f: Filters, cond: { sql: string[]; params: unknown[] }, params: unknown[]): string {
  const where = [...cond.sql];
  const latest: string[] = ['l2.paper_id = l.paper_id'];
  if (f.range) {
    where.unshift('l.day BETWEEN ? AND ?');
    latest.push('l2.day BETWEEN ? AND ?');
  }
  if (f.source) {
    where.push(sourceMatches('l'));
    latest.push('l2.source = l.source');
  } else {
    where.push("l.source <> 'hf-search'");
    latest.push("l2.source <> 'hf-search'");
  }
  if (f.range) params.push(f.range.from, f.range.to);
  params.push(...cond.params);
  if (f.source) params.push(...sourceParams(f.source));
  if (f.range) params.push(f.range.from, f.range.to);
  // A paper can be listed on several days (and by several sources on one day): GROUP BY keeps one.
  return `
    SELECT p.*, l.day, l.source, l.rank, l.day AS at_day, ${hfOrder(f)} AS hf_order FROM listings l JOIN papers p ON p.id = l.paper_id
    WHERE ${where.join(' AND ')}
      AND l.day = (SELECT max(l2.day) FROM listings l2 WHERE ${latest.join(' AND ')})
    GROUP BY p.id`;
}

/**
 * Papers no listing carried, placed on their arXiv day. A range walks the published_at
 * index over the days asked for, widened by one on each side since an offset can move the
 * UTC day; the exact day test then runs on those rows only.
 */
function unlistedSelect(f: Filters, cond: { sql: string[]; params: unknown[] }, params: unknown[]): string {
  const where = [...cond.sql, UNLISTED];
  if (f.range) {
    where.unshift('p.published_at >= ? AND p.published_at < ?', `${ARXIV_DAY} BETWEEN ? AND ?`);
    params.push(dayBefore(f.range.from), dayAfter(f.range.to) + '~', f.range.from, f.range.to);
  }
  params.push(...cond.params);
  return `
    SELECT p.*, NULL AS day, NULL AS source, NULL AS rank, ${ARXIV_DAY} AS at_day, NULL AS hf_order
    FROM papers p ${f.range ? 'INDEXED BY papers_published' : ''}
    WHERE ${where.join(' AND ')}`;
}

/** The day before `day` as a string bound (before 0001-01-01: every string from ''). */
const dayBefore = (day: string) => shifted(day, -1) ?? '';
/** The day after `day` as a string bound (past 9999-12-31: every date string sorts before `~`). */
const dayAfter = (day: string) => shifted(day, 1) ?? '~';
const shifted = (day: string, n: number) => fromUtc(new Date(toUtc(day).getTime() + n * 86_400_000));

/**
 * Papers of a day range (or the whole database when `range` is null), one row per paper:
 * its latest listing in the range, else — with no source asked for — its arXiv day when no
 * listing ever carried it (listedOn, source and rank are then null).
 */
export function listPapers(db: Db, f: Filters): PaperRow[] {
  const { sql, params } = listQuery(f);
  return db.prepare<unknown[], RawRow>(sql).all(...params).map(toRow);
}

/** listPapers one row at a time, for output too big to hold at once (a whole-database export). */
export function* iteratePapers(db: Db, f: Filters): Generator<PaperRow> {
  const { sql, params } = listQuery(f);
  for (const r of db.prepare<unknown[], RawRow>(sql).iterate(...params)) yield toRow(r);
}

/** The statement of listPapers and its parameters. */
function listQuery(f: Filters): { sql: string; params: unknown[] } {
  const cond = paperConditions(f);
  const params: unknown[] = [];
  // --source asks for what that source listed: papers no listing carried are not among them.
  const branches = [listedSelect(f, cond, params)];
  if (!f.source) branches.push(unlistedSelect(f, cond, params));
  // The gain's parameters come first: its placeholders come first in the text.
  if (f.gainSince) params.unshift(f.gainSince);
  const sql = `
    SELECT *${f.gainSince ? `, ${GAIN} AS gain` : ''} FROM (${branches.join('\n    UNION ALL')}) q
    ORDER BY ${orderBy(f.sort === 'rising' && !f.gainSince ? 'upvotes' : f.sort)}
    ${f.limit ? 'LIMIT ?' : ''}`;
  if (f.limit) params.push(f.limit);
  return { sql, params };
}

/**
 * Upvotes of row `q` gained since a time (the one parameter): less the count recorded last
 * before it, or — for a paper first seen since — the first count recorded.
 */
const GAIN = `q.upvotes - coalesce(
      (SELECT h.upvotes FROM upvote_history h WHERE h.paper_id = q.id AND h.at < ? ORDER BY h.at DESC LIMIT 1),
      (SELECT h.upvotes FROM upvote_history h WHERE h.paper_id = q.id ORDER BY h.at LIMIT 1))`;

/** How many papers listPapers would return without its limit (for `20 of 117 papers`). */
export function countPapers(db: Db, f: Filters): number {
  const cond = paperConditions(f);
  const params: unknown[] = [];
  const branches = [listedSelect(f, cond, params)];
  if (!f.source) branches.push(unlistedSelect(f, cond, params));
  return db.prepare<unknown[], number>(`SELECT count(*) FROM (${branches.join('\n    UNION ALL')})`).pluck().get(...params)!;
}

/** bm25 with the title weighing most, then authors and keywords, then the abstract. */
const BM25 = 'bm25(papers_fts, 10.0, 1.0, 4.0, 4.0)';

/**
 * Full-text search ranked by bm25 (title weighs most). The top rows are chosen first
 * and only they get a snippet: building snippets inside the ranked query costs them
 * for every match, several times slower.
 */
export function searchPapers(db: Db, match: string, f: Filters): PaperRow[] {
  const { conditions, params: condParams, and } = searchConditions(f);
  const limit = f.limit ?? 20;
  const newest = f.sort === 'date' ? newestMatches(db, match, and, condParams, limit) : null;
  let top: string;
  let topParams: unknown[];
  if (newest) {
    // The chosen rows in order, as a JSON array of rowids.
    top = 'SELECT value AS pk, key AS rank FROM json_each(?)';
    topParams = [JSON.stringify(newest)];
  } else {
    const order = searchOrder(f.sort);
    // Join papers while ranking only when a filter or the order needs its columns: ranking by
    // bm25 alone reads just the index: far faster on a common term in a large database.
    const needsPapers = conditions.length > 0 || (f.sort != null && f.sort !== 'rank');
    // Number the chosen rows so the outer query keeps their order without sorting again.
    top = `
      SELECT pk, row_number() OVER () AS rank FROM (
        SELECT papers_fts.rowid AS pk, ${BM25} AS rank
        FROM papers_fts ${needsPapers ? 'JOIN papers p ON p.pk = papers_fts.rowid' : ''}
        WHERE papers_fts MATCH ? ${and}
        ORDER BY ${order}
        LIMIT ?)`;
    topParams = [match, ...condParams, limit];
  }
  const sql = `
    WITH top AS (${top})
    SELECT p.*,
      highlight(papers_fts, 0, '${HL_OPEN}', '${HL_CLOSE}') AS title_marked,
      snippet(papers_fts, 1, '${HL_OPEN}', '${HL_CLOSE}', '${ELLIPSIS}', 40) AS snippet,
      NULL AS day, NULL AS source, NULL AS rank
    -- CROSS JOIN fixes the loop order: visit the chosen rows only, each looked up in FTS by rowid.
    FROM top CROSS JOIN papers_fts ON papers_fts.rowid = top.pk CROSS JOIN papers p ON p.pk = top.pk
    WHERE papers_fts MATCH ?
    ORDER BY top.rank`;
  type SearchRaw = RawRow & { title_marked: string; snippet: string };
  const listed = latestListing(db);
  return db
    .prepare<unknown[], SearchRaw>(sql)
    .all(...topParams, match)
    // The index's text has separators between CJK characters (cjk.ts): marks go in the stored text.
    .map((r) => listed({ ...toRow(r), titleMarked: unspaceCjk(r.title_marked), snippet: unspaceCjk(r.snippet) }));
}

/** The filters and day range of a search as `AND …` conditions on papers `p`, with their parameters. */
function searchConditions(f: Filters): { conditions: string[]; params: unknown[]; and: string } {
  const cond = paperConditions(f);
  const conditions = [...cond.sql];
  const params: unknown[] = [...cond.params];
  listedIn(f, conditions, params);
  return { conditions, params, and: conditions.map((c) => `AND ${c}`).join(' ') };
}

/** ORDER BY of a search over papers `p` and its bm25 `rank`. */
function searchOrder(sort: Filters['sort']): string {
  return sort === 'upvotes' ? 'coalesce(p.upvotes, -1) DESC, rank'
    : sort === 'date' ? 'p.published_at DESC, rank, p.pk DESC'
    : sort === 'title' ? 'p.title COLLATE NOCASE'
    : 'rank';
}

/**
 * Papers whose stored full text (`show --full`) matches `match`, best first (bm25 over the
 * bodies' own index, so searches of the papers' fields rank as they always did). The index
 * keeps no text, so rows carry no snippet; titles are unmarked.
 */
export function searchBodies(db: Db, match: string, f: Filters): PaperRow[] {
  const { params, and } = searchConditions(f);
  const order = searchOrder(f.sort);
  const sql = `
    SELECT p.*, NULL AS day, NULL AS source, NULL AS rank
    FROM (SELECT rowid AS body_pk, bm25(bodies_fts) AS rank FROM bodies_fts WHERE bodies_fts MATCH ?) m
    JOIN paper_bodies b ON b.pk = m.body_pk
    JOIN papers p ON p.id = b.paper_id
    WHERE 1 ${and}
    ORDER BY ${order}
    LIMIT ?`;
  const listed = latestListing(db);
  return db
    .prepare<unknown[], RawRow>(sql)
    .all(match, ...params, f.limit ?? 20)
    .map((r) => listed(toRow(r)));
}

/** How many papers match `match` and the filters (not the limit), counting at most `cap`. */
export function countMatches(db: Db, match: string, f: Filters, cap: number): number {
  const cond = paperConditions(f);
  const conditions = [...cond.sql];
  const params: unknown[] = [...cond.params];
  listedIn(f, conditions, params);
  const join = conditions.length > 0 ? 'JOIN papers p ON p.pk = papers_fts.rowid' : '';
  const and = conditions.map((c) => `AND ${c}`).join(' ');
  return db
    .prepare<unknown[], number>(`SELECT count(*) FROM (SELECT 1 FROM papers_fts ${join} WHERE papers_fts MATCH ? ${and} LIMIT ?)`)
    .pluck()
    .get(match, ...params, cap)!;
}

/**
 * Newest first without ranking every match (a common term matches a third of the corpus):
 * the published_at index, walked once from the newest end, gives the `limit` newest matches
 * and those published at the same time as the last of them. bm25 breaks ties of
 * published_at, computed in one FTS scan over the tied rows only (bm25 in a per-row lookup
 * recomputes its corpus statistics each time: ~4 ms a row for a phrase). Returns the chosen
 * rowids in order, or null when the general query is the better plan: fewer than SORT_ALL_BELOW
 * matches, or fewer than `limit` with a date (undated matches are then shown after them).
 */
const SORT_ALL_BELOW = 2000;
function newestMatches(db: Db, match: string, and: string, params: unknown[], limit: number): number[] | null {
  // Few matches: sorting them all is cheaper than walking the index until `limit` are found.
  const few = db.prepare<[string, number], number>('SELECT count(*) FROM (SELECT 1 FROM papers_fts WHERE papers_fts MATCH ? LIMIT ?)');
  if (limit <= 0 || few.pluck().get(match, SORT_ALL_BELOW)! < SORT_ALL_BELOW) return null;
  // One walk down the published_at index, newest first: the first `limit` dated matches, and
  // past them only papers published at the same time as the last (ties, ranked by bm25 below).
  const walk = db.prepare<unknown[], { pk: number; at: string }>(
    `SELECT p.pk, p.published_at AS at FROM papers p INDEXED BY papers_published
     WHERE p.published_at IS NOT NULL AND p.pk IN (SELECT rowid FROM papers_fts WHERE papers_fts MATCH ?) ${and}
     ORDER BY p.published_at DESC`,
  );
  const rows: Array<{ pk: number; at: string }> = [];
  for (const r of walk.iterate(match, ...params)) {
    if (rows.length >= limit && r.at !== rows[rows.length - 1]!.at) break;
    rows.push(r);
  }
  // Fewer dated matches than asked for: undated ones are shown too, by the general query.
  if (rows.length < limit) return null;
  const perTime = new Map<string, number>();
  for (const r of rows) perTime.set(r.at, (perTime.get(r.at) ?? 0) + 1);
  const tied = rows.filter((r) => perTime.get(r.at)! > 1).map((r) => r.pk);
  const score = new Map<number, number>();
  if (tied.length > 0) {
    const scan = db.prepare<unknown[], { pk: number; rank: number }>(
      `SELECT rowid AS pk, ${BM25} AS rank FROM papers_fts WHERE papers_fts MATCH ? AND rowid BETWEEN ? AND ?`,
    );
    const wanted = new Set(tied);
    for (const r of scan.iterate(match, Math.min(...tied), Math.max(...tied))) if (wanted.has(r.pk)) score.set(r.pk, r.rank);
  }
  // Same order as the general plan: time, then bm25, then the later stored first (full ties).
  rows.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : (score.get(a.pk) ?? 0) - (score.get(b.pk) ?? 0) || b.pk - a.pk));
  return rows.slice(0, limit).map((r) => r.pk);
}

/**
 * Whole rows for `papers grep --in …,body`, newest first, streamed, without their listing
 * (see latestListing): the full texts are compressed, so grep-scan.ts's column scan cannot
 * read them. When `literal` is given only rows containing it in one of `columns` (or with a
 * stored body) come back.
 */
export function* grepCandidates(
  db: Db,
  f: Filters,
  columns: Array<'title' | 'abstract' | 'authors' | 'keywords' | 'body'>,
  literal: { text: string; ignoreCase: boolean } | null,
): Generator<PaperRow> {
  const cond = paperConditions(f);
  const where = [...cond.sql];
  const params: unknown[] = [...cond.params];
  listedIn(f, where, params);
  // Stored full texts are compressed: SQL cannot look inside them, so any paper with one stays a candidate.
  const withBody = columns.includes('body') ? ['p.id IN (SELECT paper_id FROM paper_bodies)'] : [];
  const plain = columns.filter((c) => c !== 'body');
  if (literal || plain.length === 0) {
    // Authors and keywords are stored one per line; grep's regex sees them joined with ", ".
    const text = (c: string) => (c === 'authors' || c === 'keywords' ? `replace(p.${c}, char(10), ', ')` : `p.${c}`);
    const col = (c: string) => (literal?.ignoreCase ? `lower(${text(c)})` : text(c));
    const found = literal ? plain.map((c) => `instr(${col(c)}, ?) > 0`) : [];
    where.push('(' + [...found, ...withBody].join(' OR ') + ')');
    for (const _ of found) params.push(literal!.ignoreCase ? literal!.text.toLowerCase() : literal!.text);
  }
  // No listing columns: most rows fail the regex, and looking up each one's latest listing
  // cost three index searches a row. latestListing() adds it to the rows grep prints.
  const sql = `
    SELECT p.*, NULL AS day, NULL AS source, NULL AS rank
    FROM papers p ${where.length ? 'WHERE ' + where.join(' AND ') : ''}
    ORDER BY p.pk DESC`;
  for (const r of db.prepare<unknown[], RawRow>(sql).iterate(...params)) yield toRow(r);
}

/** The filters as SQL conditions on papers `p` (listing range and source included), for the grep scan. */
export function grepFilterSql(f: Filters): { sql: string[]; params: unknown[] } {
  const cond = paperConditions(f);
  listedIn(f, cond.sql, cond.params);
  return cond;
}

/**
 * A function reading one paper row by rowid, without its listing (see latestListing): the
 * grep scan reads only the searched columns and builds whole rows for the hits it prints.
 */
export function paperByPk(db: Db): (pk: number) => PaperRow | null {
  const one = db.prepare<[number], RawRow>('SELECT p.*, NULL AS day, NULL AS source, NULL AS rank FROM papers p WHERE p.pk = ?');
  return (pk) => {
    const r = one.get(pk);
    return r ? toRow(r) : null;
  };
}

/**
 * A function giving a paper row its latest listing (day, source, rank), if it has one: one
 * index search, for the rows search and grep print only. The first of listingsOf().
 */
export function latestListing(db: Db): <T extends PaperRow>(row: T) => T {
  const latest = db.prepare<[string], { day: string; source: string; rank: number }>(
    'SELECT day, source, rank FROM listings WHERE paper_id = ? ORDER BY day DESC, source LIMIT 1',
  );
  return (row) => {
    const l = latest.get(row.id);
    return l ? { ...row, listedOn: l.day, source: l.source, rank: l.rank } : row;
  };
}

/** One paper by id, with its latest listing, or null. */
export function getPaper(db: Db, id: string): PaperRow | null {
  const r = db.prepare<[string], RawRow>('SELECT p.*, NULL AS day, NULL AS source, NULL AS rank FROM papers p WHERE p.id = ?').get(id);
  return r ? latestListing(db)(toRow(r)) : null;
}

/** Every listing a paper appears in, newest first. */
export function listingsOf(db: Db, id: string): ListingEntry[] {
  return listingsReader(db)(id);
}

/** listingsOf for many papers: one prepared statement, one index search a paper. */
export function listingsReader(db: Db): (id: string) => ListingEntry[] {
  const all = db.prepare<[string], ListingEntry>('SELECT source, day, rank, upvotes FROM listings WHERE paper_id = ? ORDER BY day DESC, source');
  return (id) => all.all(id);
}

/** The paper id shown as number `n` by the last list/search, or null. */
export function shownAs(db: Db, n: number): string | null {
  return db.prepare<[number], { paper_id: string }>('SELECT paper_id FROM last_shown WHERE n = ?').get(n)?.paper_id ?? null;
}

/** Count of papers and listing days, for messages about an empty database. */
export function counts(db: Db): { papers: number; days: number } {
  return db.prepare<[], { papers: number; days: number }>(
    'SELECT (SELECT count(*) FROM papers) AS papers, (SELECT count(DISTINCT day) FROM listings) AS days',
  ).get()!;
}
