/**
 * Schema migrations. `PRAGMA user_version` is the number of migrations applied;
 * each migration runs in its own IMMEDIATE transaction together with the bump of
 * user_version, so a failure part-way leaves the previous schema intact.
 * Never edit a released migration: add a new one.
 */
import type Database from 'better-sqlite3';
import { fillWords } from './fts-words.js';

/** SQL, or steps that need to look at what they change. */
export type Migration = string | ((db: Database.Database) => void);

/** The columns of papers_fts, in its order. */
const FTS_COLUMNS = ['title', 'abstract', 'authors', 'keywords'];

/** The text columns normalizeLine writes (model.ts), whose ligatures migration 7 folds. */
const FOLDED_COLUMNS = ['title', 'abstract', 'authors', 'keywords', 'ai_summary'];

/** SQL folding the ligatures of `column` into letters (model.ts `foldLigatures`). */
function foldSql(column: string): string {
  const pairs: Array<[string, string]> = ['\uFB00', '\uFB01', '\uFB02', '\uFB03', '\uFB04', '\uFB05', '\uFB06'].map((c) => [c, c.normalize('NFKC')]);
  return pairs.reduce((sql, [from, to]) => `replace(${sql}, '${from}', '${to}')`, column);
}

/** Migrations in order; index i brings the schema from version i to i + 1. */
/**
 * Papers whose searched text holds a NUL: the condition of the partial index papers_nul. By
 * bytes (a text cast to a blob is the same bytes): a third cheaper than instr on the text,
 * about 2.5 µs a paper written.
 */
export const NUL_ROWS = FTS_COLUMNS.map((c) => `instr(CAST(${c} AS BLOB), x'00') > 0`).join(' OR ');

/** How many segments of a level the search index merges into one (schema 20; FTS5's default is 4). */
export const FTS_AUTOMERGE = 8;

export const MIGRATIONS: Migration[] = [
  // 1: papers, listings, fetches, FTS5 index, the numbers shown by the last list/search.
  `
  CREATE TABLE papers (
    pk            INTEGER PRIMARY KEY,
    id            TEXT NOT NULL UNIQUE,      -- arXiv id without version, or title-…
    title         TEXT NOT NULL,
    title_key     TEXT NOT NULL,             -- folded title, to merge title-only papers
    abstract      TEXT NOT NULL DEFAULT '',
    authors       TEXT NOT NULL DEFAULT '',  -- names in order, one per line
    keywords      TEXT NOT NULL DEFAULT '',  -- AI keywords, one per line
    published_at  TEXT,
    upvotes       INTEGER,
    comments      INTEGER,
    github_repo   TEXT,
    github_stars  INTEGER,
    project_page  TEXT,
    ai_summary    TEXT,
    organization  TEXT,
    first_seen_at TEXT NOT NULL,
    updated_at    TEXT NOT NULL
  );
  CREATE INDEX papers_title_key ON papers(title_key);

  CREATE TABLE listings (
    source    TEXT NOT NULL,                 -- 'hf', later 'arxiv:cs.LG', 'hf-search'
    day       TEXT NOT NULL,                 -- YYYY-MM-DD
    paper_id  TEXT NOT NULL,
    rank      INTEGER NOT NULL,
    upvotes   INTEGER,
    PRIMARY KEY (source, day, paper_id)
  ) WITHOUT ROWID;
  CREATE INDEX listings_day ON listings(day, source);
  CREATE INDEX listings_paper ON listings(paper_id, day);

  CREATE TABLE fetches (
    id          INTEGER PRIMARY KEY,
    source      TEXT NOT NULL,
    period      TEXT NOT NULL,               -- a day, a week (2025-W34) or a month (2025-08)
    fetched_at  TEXT NOT NULL,
    item_count  INTEGER NOT NULL,
    status      TEXT NOT NULL,               -- 'ok', 'import', or an error kind
    detail      TEXT
  );
  CREATE INDEX fetches_period ON fetches(source, period, fetched_at);

  CREATE TABLE last_shown (
    n         INTEGER PRIMARY KEY,
    paper_id  TEXT NOT NULL
  );

  CREATE VIRTUAL TABLE papers_fts USING fts5(
    title, abstract, authors, keywords,
    content='papers', content_rowid='pk',
    tokenize='porter unicode61 remove_diacritics 2'
  );
  CREATE TRIGGER papers_ai AFTER INSERT ON papers BEGIN
    INSERT INTO papers_fts(rowid, title, abstract, authors, keywords)
    VALUES (new.pk, new.title, new.abstract, new.authors, new.keywords);
  END;
  CREATE TRIGGER papers_ad AFTER DELETE ON papers BEGIN
    INSERT INTO papers_fts(papers_fts, rowid, title, abstract, authors, keywords)
    VALUES ('delete', old.pk, old.title, old.abstract, old.authors, old.keywords);
  END;
  CREATE TRIGGER papers_au AFTER UPDATE OF title, abstract, authors, keywords ON papers BEGIN
    INSERT INTO papers_fts(papers_fts, rowid, title, abstract, authors, keywords)
    VALUES ('delete', old.pk, old.title, old.abstract, old.authors, old.keywords);
    INSERT INTO papers_fts(rowid, title, abstract, authors, keywords)
    VALUES (new.pk, new.title, new.abstract, new.authors, new.keywords);
  END;
  `,
  // 2: what arXiv knows about a paper.
  `
  ALTER TABLE papers ADD COLUMN categories TEXT NOT NULL DEFAULT '';  -- space-separated, primary first
  ALTER TABLE papers ADD COLUMN primary_category TEXT;
  ALTER TABLE papers ADD COLUMN doi TEXT;
  ALTER TABLE papers ADD COLUMN journal_ref TEXT;
  ALTER TABLE papers ADD COLUMN arxiv_comments TEXT;
  ALTER TABLE papers ADD COLUMN version INTEGER;
  ALTER TABLE papers ADD COLUMN updated_on TEXT;
  `,
  // 3: state that belongs to the user: what was shown or read, stars, watched terms.
  // Keyed by paper id, never by rowid, so refetches and re-imports can't lose them.
  `
  CREATE TABLE reads (
    paper_id  TEXT PRIMARY KEY,
    read_at   TEXT NOT NULL,
    how       TEXT NOT NULL                 -- 'shown' (listed on a terminal) or 'marked' (papers read)
  ) WITHOUT ROWID;
  CREATE TABLE stars (
    paper_id    TEXT PRIMARY KEY,
    starred_at  TEXT NOT NULL
  ) WITHOUT ROWID;
  CREATE TABLE watch_terms (                -- rowid keeps the order terms were added in
    term      TEXT NOT NULL UNIQUE COLLATE NOCASE,
    added_at  TEXT NOT NULL
  );
  `,
  // 4: speed at scale. The FTS index is written by write.ts, not by row triggers:
  // a statement that fires a trigger runs in a statement savepoint, and FTS5 flushes its
  // pending terms at every savepoint — one tiny segment per paper, then merge work; the same
  // inserts issued by hand import about twice as fast. Deletes keep their trigger
  // (rare: a title-only paper absorbed by its arXiv id). The index on published_at lets
  // "newest first" walk the newest papers instead of sorting every match. Same-title lookups
  // use a 48-bit hash of the folded title instead of the folded title itself (title-hash.ts):
  // 23 MB smaller per 100k papers. papers_title_hash() is registered by db.ts while migrating.
  `
  DROP TRIGGER papers_ai;
  DROP TRIGGER papers_au;
  CREATE INDEX papers_published ON papers(published_at);
  ALTER TABLE papers ADD COLUMN title_hash INTEGER NOT NULL DEFAULT 0;
  UPDATE papers SET title_hash = papers_title_hash(title_key);
  DROP INDEX papers_title_key;
  ALTER TABLE papers DROP COLUMN title_key;
  CREATE INDEX papers_title_hash ON papers(title_hash);
  `,
  // 5: the last failure of each remote host, so a listing that failed a moment ago answers
  // from the database at once instead of waiting for the same timeout again.
  `
  CREATE TABLE host_failures (
    host       TEXT PRIMARY KEY,            -- huggingface.co, export.arxiv.org (with :port if any)
    failed_at  TEXT NOT NULL,               -- ISO time of the failure
    retry_at   TEXT,                        -- when the host asked us to come back (Retry-After), if it did
    reason     TEXT NOT NULL                -- one line: "no answer … in the time allowed", "HTTP 503 …"
  ) WITHOUT ROWID;
  `,
  // 6: whether the last terminal listing (or `papers seen --last`) is what marked each of its
  // papers seen, so `papers unseen --last` removes exactly those marks and no older ones.
  `
  ALTER TABLE last_shown ADD COLUMN marked_seen INTEGER NOT NULL DEFAULT 0;
  `,
  // 7: typographic ligatures stored as their letters (`ﬁ` → `fi`, as model.ts folds new text),
  // so that what is typed finds them. The FTS index has no update trigger (4): the rows
  // changed are taken out of it with their old text and put back with the new. Candidates
  // are found by bytes (U+FB00–FB3F start EF AC in UTF-8): 5× faster than GLOB or LIKE.
  `
  CREATE TEMP TABLE ligatured AS SELECT pk, title, abstract, authors, keywords FROM papers
  WHERE ${FOLDED_COLUMNS.map((c) => `instr(CAST(${c} AS BLOB), x'efac')`).join(' OR ')};
  INSERT INTO papers_fts(papers_fts, rowid, title, abstract, authors, keywords)
    SELECT 'delete', pk, title, abstract, authors, keywords FROM ligatured;
  UPDATE papers SET ${FOLDED_COLUMNS.map((c) => `${c} = ${foldSql(c)}`).join(', ')}
  WHERE pk IN (SELECT pk FROM ligatured);
  INSERT INTO papers_fts(rowid, title, abstract, authors, keywords)
    SELECT pk, title, abstract, authors, keywords FROM papers WHERE pk IN (SELECT pk FROM ligatured);
  DROP TABLE ligatured;
  `,
  // 8: CJK characters are words of their own in the search index (cjk.ts): its text is the
  // papers' text with a separator between CJK characters, given by cjk_spaced() (db.ts). The
  // index reads that text back (highlight, snippet) from the view papers_fts_text, so match
  // positions and text agree. Only rows with CJK text are reindexed; FTS5 cannot change its
  // content table, so its declaration is rewritten in place (the index format is the same) —
  // recreating it would reindex every paper, an order of magnitude slower.
  (db) => {
    const spaced = (prefix: string) => FTS_COLUMNS.map((c) => `cjk_spaced(${prefix}${c})`).join(', ');
    db.exec(`
      CREATE VIEW papers_fts_text AS SELECT pk, ${FTS_COLUMNS.map((c) => `cjk_spaced(${c}) AS ${c}`).join(', ')} FROM papers;
      DROP TRIGGER papers_ad;
      CREATE TRIGGER papers_ad AFTER DELETE ON papers BEGIN
        INSERT INTO papers_fts(papers_fts, rowid, ${FTS_COLUMNS.join(', ')}) VALUES ('delete', old.pk, ${spaced('old.')});
      END;
      CREATE TEMP TABLE cjk_rows AS SELECT pk, ${FTS_COLUMNS.join(', ')} FROM papers
      WHERE ${FTS_COLUMNS.map((c) => `cjk_spaced(${c}) <> ${c}`).join(' OR ')};
      INSERT INTO papers_fts(papers_fts, rowid, ${FTS_COLUMNS.join(', ')}) SELECT 'delete', pk, ${FTS_COLUMNS.join(', ')} FROM cjk_rows;
      INSERT INTO papers_fts(rowid, ${FTS_COLUMNS.join(', ')}) SELECT pk, ${spaced('')} FROM cjk_rows;
      DROP TABLE cjk_rows;
    `);
    const [from, to] = ["content='papers'", "content='papers_fts_text'"];
    db.pragma('writable_schema = ON');
    try {
      const { changes } = db
        .prepare("UPDATE sqlite_schema SET sql = replace(sql, ?, ?) WHERE type = 'table' AND name = 'papers_fts' AND instr(sql, ?) > 0")
        .run(from, to, from);
      if (changes !== 1) throw new Error(`papers_fts is not declared with ${from}`);
    } finally {
      // Off, and the schema read again, so this connection's papers_fts reads the view too.
      db.pragma('writable_schema = RESET');
    }
  },
  // 9: full text: a paper page as markdown (`show --full`), one row a paper, raw deflate when it
  // pays (bodies.ts). Its search index is contentless (the text is compressed beside it) and
  // separate from papers_fts, so normal searches rank as before; rowid = paper_bodies.pk.
  `
  CREATE TABLE paper_bodies (
    pk          INTEGER PRIMARY KEY,
    paper_id    TEXT NOT NULL UNIQUE,
    fetched_at  TEXT NOT NULL,
    encoding    TEXT NOT NULL,               -- 'deflate' (raw) or 'identity'
    bytes       INTEGER NOT NULL,            -- UTF-8 size of the markdown
    body        BLOB NOT NULL
  );
  CREATE VIRTUAL TABLE bodies_fts USING fts5(
    body, content='', contentless_delete=1,
    tokenize='porter unicode61 remove_diacritics 2'
  );
  CREATE TRIGGER paper_bodies_ad AFTER DELETE ON paper_bodies BEGIN
    DELETE FROM bodies_fts WHERE rowid = old.pk;
  END;
  `,
  // 10: the Hugging Face models, datasets and Spaces that cite a paper (`filter=arxiv:ID`),
  // and when they were last asked for: `show` asks again after a day. A paper HF knows no
  // repository for has a linked_fetches row and no linked rows.
  `
  CREATE TABLE linked (
    paper_id   TEXT NOT NULL,
    kind       TEXT NOT NULL,               -- 'model', 'dataset' or 'space'
    repo       TEXT NOT NULL,               -- owner/name
    likes      INTEGER,
    downloads  INTEGER,                     -- null for Spaces
    PRIMARY KEY (paper_id, kind, repo)
  ) WITHOUT ROWID;
  CREATE INDEX linked_kind ON linked(kind, paper_id);
  CREATE TABLE linked_fetches (
    paper_id    TEXT PRIMARY KEY,
    fetched_at  TEXT NOT NULL,
    models      INTEGER NOT NULL,           -- how many HF listed (more than are kept when it capped the answer)
    datasets    INTEGER NOT NULL,
    spaces      INTEGER NOT NULL
  ) WITHOUT ROWID;
  `,
  // 11: who submitted a paper to Daily Papers, and HF's own orders of a listing day as
  // served (`sort=trending`), kept beside the listing's rank: a listing has one rank, and
  // an order changes through the day while the rank stays the one of the day's fetch.
  `
  ALTER TABLE papers ADD COLUMN submitted_by TEXT;
  CREATE INDEX papers_submitted_by ON papers(submitted_by COLLATE NOCASE) WHERE submitted_by IS NOT NULL;
  CREATE TABLE listing_orders (
    source      TEXT NOT NULL,               -- 'hf'
    day         TEXT NOT NULL,
    sort        TEXT NOT NULL,               -- 'trending'
    paper_id    TEXT NOT NULL,
    position    INTEGER NOT NULL,            -- from 1, in HF's order
    fetched_at  TEXT NOT NULL,
    PRIMARY KEY (source, day, sort, paper_id)
  ) WITHOUT ROWID;
  `,
  // 12: a paper's upvotes over time, for `--sort rising`: a row when a fetch or import sees a
  // count other than the last one recorded (write.ts prunes rows past HISTORY_DAYS, keeping
  // the newest of them as the baseline). Seeded with what each paper has now.
  `
  CREATE TABLE upvote_history (
    paper_id  TEXT NOT NULL,
    at        TEXT NOT NULL,                -- when that count was fetched (ISO time)
    upvotes   INTEGER NOT NULL,
    PRIMARY KEY (paper_id, at)
  ) WITHOUT ROWID;
  INSERT INTO upvote_history (paper_id, at, upvotes) SELECT id, updated_at, upvotes FROM papers WHERE upvotes IS NOT NULL;
  `,
  // 13: the (normally no) papers whose searched text holds a NUL character. grep finds a
  // case-blind literal with LIKE, which stops reading at a NUL; these rows are added back
  // from this index, which stays empty and costs nothing on real data.
  `
  CREATE INDEX papers_nul ON papers(pk) WHERE ${NUL_ROWS};
  `,
  // 14: a bulk import writes its papers first and indexes them at the end (fts-backlog.ts):
  // papers with pk >= fts_pending.from_pk are not in papers_fts yet. The row is written in the
  // same transaction as the first unindexed paper and removed in the one that indexes the
  // last, so an import stopped anywhere leaves a backlog the next open finishes. `pid` is the
  // importing process while it runs (NULL once it stopped). Deleting a paper takes it out of
  // the index only if the index has it.
  `
  CREATE TABLE fts_pending (
    one      INTEGER PRIMARY KEY CHECK (one = 1),
    from_pk  INTEGER NOT NULL,
    pid      INTEGER,
    since    TEXT NOT NULL
  );
  DROP TRIGGER papers_ad;
  CREATE TRIGGER papers_ad AFTER DELETE ON papers
  WHEN old.pk < coalesce((SELECT from_pk FROM fts_pending), old.pk + 1) BEGIN
    INSERT INTO papers_fts(papers_fts, rowid, ${FTS_COLUMNS.join(', ')}) VALUES ('delete', old.pk, ${FTS_COLUMNS.map((c) => `cjk_spaced(old.${c})`).join(', ')});
  END;
  `,
  // 15: the user's ranking feedback and filters. Dismissals are keyed by paper id like stars,
  // so refetches and merges keep them; ignore rules hide papers from the inbox and `--new`;
  // cursors remember where the last inbox and digest stopped.
  `
  CREATE TABLE dismissals (
    paper_id      TEXT PRIMARY KEY,
    dismissed_at  TEXT NOT NULL
  ) WITHOUT ROWID;
  CREATE TABLE ignore_rules (               -- rowid keeps the order rules were added in
    kind      TEXT NOT NULL,                -- 'term', 'author' or 'category'
    value     TEXT NOT NULL COLLATE NOCASE,
    added_at  TEXT NOT NULL,
    UNIQUE (kind, value)
  );
  CREATE TABLE cursors (
    name  TEXT PRIMARY KEY,                 -- 'inbox', 'digest'
    at    TEXT NOT NULL                     -- ISO time the command last ran
  ) WITHOUT ROWID;
  `,
  // 16: the ranking's features of each paper it has read, so a ranking does not tokenize the
  // same abstracts again in every process (store/rank-cache.ts). A feature name is numbered
  // once in rank_vocabulary; a paper's row holds (feature, count) pairs as 32-bit integers and
  // the version of the feature extraction that made them. Any change to the text a feature
  // comes from, or to the id, drops the row.
  `
  CREATE TABLE rank_vocabulary (
    id    INTEGER PRIMARY KEY,
    name  TEXT NOT NULL UNIQUE              -- 'w:word', 'w:word pair', 'k:keyword', 'a:author', 'c:category'
  );
  CREATE TABLE rank_features (
    paper_id  TEXT PRIMARY KEY,
    version   INTEGER NOT NULL,
    features  BLOB NOT NULL                 -- int32 pairs (vocabulary id × 4 + group, count), native byte order
  ) WITHOUT ROWID;
  CREATE TRIGGER rank_features_changed AFTER UPDATE OF id, title, abstract, authors, keywords, categories ON papers
  WHEN old.id IS NOT new.id OR old.title IS NOT new.title OR old.abstract IS NOT new.abstract
    OR old.authors IS NOT new.authors OR old.keywords IS NOT new.keywords OR old.categories IS NOT new.categories
  BEGIN
    DELETE FROM rank_features WHERE paper_id = old.id;
  END;
  CREATE TRIGGER rank_features_gone AFTER DELETE ON papers BEGIN
    DELETE FROM rank_features WHERE paper_id = old.id;
  END;
  `,
  // 17: the ranking's last trained model (store/rank-cache.ts), so an inbox whose feedback has
  // not changed since scores with it instead of training again. One row: the feedback and
  // settings it was trained on, the sample of unlabeled papers it took as negatives, and its
  // features (rank_vocabulary keys), idf and weights. Any change to a paper's cached features
  // may change the model: it is dropped with them.
  `
  CREATE TABLE rank_model (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    feedback   TEXT NOT NULL,               -- what it was trained on (rank/fit.ts), compared whole
    sample     TEXT NOT NULL,               -- JSON array of the sampled papers' ids
    bias       REAL NOT NULL,
    keys       BLOB NOT NULL,               -- int32 keys (vocabulary id × 4 + group), native byte order
    idf        BLOB NOT NULL,               -- float64 per key
    weights    BLOB NOT NULL                -- float64 per key
  );
  CREATE TRIGGER rank_model_stale AFTER DELETE ON rank_features BEGIN
    DELETE FROM rank_model;
  END;
  `,
  // 18: the search index's tokens before stemming (store/fts-words.ts), so grep finds the papers
  // holding a literal through the index instead of reading every abstract. Filled from the
  // papers stored (as the index reads them); the transaction that indexes a paper adds its words.
  (db) => {
    db.exec('CREATE TABLE fts_words (word TEXT PRIMARY KEY) WITHOUT ROWID');
    fillWords(db);
  },
  // 19: papers without first_seen_at and updated_at: 48 bytes of ISO time a paper that nothing
  // read (a paper's history of upvotes has its own times), 2% of a database. SQLite rewrites
  // every row to drop them; the space they held is reused by later writes, not given back.
  `
  ALTER TABLE papers DROP COLUMN first_seen_at;
  ALTER TABLE papers DROP COLUMN updated_at;
  `,
  // 20: the search index merges its segments 8 at a time instead of FTS5's default 4. Each
  // merge rewrites what it merges, so fewer, wider merges write the index fewer times as it
  // grows: over 1M papers the index builds in ~25% less time, and searches take the same.
  // A setting stored with the index; its content is unchanged.
  (db) => {
    try {
      db.exec(`INSERT INTO papers_fts (papers_fts, rank) VALUES ('automerge', ${FTS_AUTOMERGE})`);
    } catch (err) {
      // A damaged index cannot take it: it keeps FTS5's default, and the file still opens
      // (searches say what is wrong). Unless the error ended the upgrade's transaction.
      if (!db.inTransaction) throw err;
    }
  },
];

/** Apply one migration (without the bump of user_version). */
export function runMigration(db: Database.Database, migration: Migration): void {
  if (typeof migration === 'string') db.exec(migration);
  else migration(db);
}

/** The schema version this build writes. */
export const SCHEMA_VERSION = MIGRATIONS.length;

/**
 * The migrations that read or rewrite every paper (seconds per 100k papers); the others change
 * small tables or settings and are instant. A new migration that reads every paper joins it.
 */
const READS_EVERY_PAPER = [4, 7, 8, 13, 18, 19];

/** Whether upgrading from schema `from` runs a migration that reads every paper. */
export const upgradeReadsEveryPaper = (from: number): boolean => READS_EVERY_PAPER.some((v) => v > from);
