#!/usr/bin/env node
/**
 * The benchmark runner (`npm run bench`). See bench/README.md.
 *
 *   npm run bench                       # 10k + 100k; writes bench/RESULTS.md and bench/results.json
 *   BENCH_1M=1 npm run bench            # adds 1M papers (generation + import take many minutes)
 *   npm run bench -- --quick            # smoke test: 10k only, few runs, writes to bench/out/
 *   npm run bench -- --only search,import --sizes 100000
 *
 * Every figure is the median of several whole-process runs after a warm-up, beside a baseline
 * measured in the same run: `node -e 0`, the sqlite3 shell on the same database and SQL,
 * ripgrep over the same corpus, curl of the same URL. Commands that do not exist yet
 * (`papers today`, `fetch`, `grep`) are skipped with a note, so the bench runs at every stage.
 *
 * Timing is our own spawnSync loop rather than hyperfine: some figures need a step before
 * each run that must not be timed (a fresh database for import and fetch), and we want the
 * peak RSS of the same runs (/usr/bin/time). spawnSync costs the same for both sides.
 */
import { spawnSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync, rmSync, statSync, readdirSync, copyFileSync } from 'node:fs';
import { join, dirname, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import os from 'node:os';
import { OUT, generateCorpus, queryTerms } from './gen.mjs';

/** The CLI's entry point in a checkout: bin/papers.cjs (the bundle), or bin/papers.js before it. */
function entryPoint(root) {
  const cjs = join(root, 'bin', 'papers.cjs');
  return existsSync(cjs) ? cjs : join(root, 'bin', 'papers.js');
}

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '..');
// The papers under test: this checkout, or with --snapshot a clean build of its HEAD commit
// (others may be editing and rebuilding src/ and dist/ while a long run is going).
let TEST_ROOT = ROOT;
let BIN = entryPoint(ROOT);
let DIST = join(ROOT, 'dist');
let SNAPSHOT = null;
const DB_DIR = join(OUT, 'db');
const HF_DIR = process.env.BENCH_HF_DIR ?? '/work/shared/corpora/hf-daily';
const NODE = process.execPath;

// ---------------------------------------------------------------------------------------
// Options

const argv = process.argv.slice(2);
const flag = (name) => argv.includes(name);
const value = (name) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
if (flag('--help') || flag('-h')) {
  console.log(`usage: node bench/run.mjs [--quick] [--only startup,import,search,grep,fetch,hanging,snapshot,storage,ranking] [--sizes 10000,100000] [--runs N] [--fresh]
  --quick   10k papers only, few runs; results go to bench/out/ (RESULTS.md is left alone)
  --only    run only these figures
  --sizes   corpus sizes for search and import (default 10000,100000; BENCH_1M=1 adds 1000000)
  --runs    timed runs per figure (default: 15 start-up, 9 search, 3 import; 1 import at 1M)
  --fresh   forget earlier results instead of merging into bench/results.json
  --report  only render bench/RESULTS.md again from bench/results.json
  --snapshot [REF]  measure a clean build of a commit (default HEAD; git archive into
              bench/out/head/) instead of this working tree's dist/`);
  process.exit(0);
}
const QUICK = flag('--quick');
const ONLY = value('--only')?.split(',').map((s) => s.trim()) ?? null;
const SIZES = value('--sizes')
  ? value('--sizes').split(',').map(Number)
  : QUICK ? [10_000] : [10_000, 100_000, ...(process.env.BENCH_1M === '1' ? [1_000_000] : [])];
const RUNS = value('--runs') ? Number(value('--runs')) : null;
const wanted = (figure) => !ONLY || ONLY.includes(figure);
const ran = new Set(['tools']);
const runsFor = (normal, quick) => RUNS ?? (QUICK ? quick : normal);

const log = (msg) => process.stderr.write(`bench: ${msg}\n`);

// ---------------------------------------------------------------------------------------
// Tools: sqlite3, ripgrep, curl and GNU time come from Debian packages.

/** The first line of `cmd --version`, or null when the command is missing. */
function versionOf(cmd, args = ['--version']) {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  return r.status === 0 ? (r.stdout || r.stderr).split('\n')[0].trim() : null;
}

/** Install missing Debian tools when we are root and apt works; otherwise note what is skipped. */
function ensureTools(notes) {
  const want = { sqlite3: 'sqlite3', rg: 'ripgrep', curl: 'curl', '/usr/bin/time': 'time' };
  const missing = Object.entries(want).filter(([cmd]) => !versionOf(cmd, cmd === '/usr/bin/time' ? ['--version'] : ['--version']));
  if (missing.length && process.getuid?.() === 0 && versionOf('apt-get', ['--version'])) {
    const pkgs = missing.map(([, p]) => p);
    log(`installing ${pkgs.join(' ')} with apt-get`);
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    let r = spawnSync('apt-get', ['install', '-y', '-qq', ...pkgs], { stdio: ['ignore', 'ignore', 'inherit'], env });
    if (r.status !== 0) {
      // A fresh machine has no package lists yet.
      spawnSync('apt-get', ['update', '-qq'], { stdio: ['ignore', 'ignore', 'inherit'], env });
      r = spawnSync('apt-get', ['install', '-y', '-qq', ...pkgs], { stdio: ['ignore', 'ignore', 'inherit'], env });
    }
  }
  const tools = {
    sqlite3: versionOf('sqlite3'),
    rg: versionOf('rg'),
    grep: versionOf('grep'),
    curl: versionOf('curl'),
    time: existsSync('/usr/bin/time') ? '/usr/bin/time' : null,
  };
  if (!tools.sqlite3) note('sqlite3 shell missing (not root, or apt failed): search and import baselines skipped.');
  if (!tools.rg) note(tools.grep ? 'ripgrep missing: `grep -c -i` used as the text-search baseline.' : 'ripgrep and grep missing: text-search baselines skipped.');
  if (!tools.curl) note('curl missing: the fetch baseline is skipped.');
  if (!tools.time) note('/usr/bin/time missing: peak RSS read from /proc (VmHWM) is not implemented; RSS figures skipped.');
  return tools;
}

// ---------------------------------------------------------------------------------------
// Measuring

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/**
 * Run each spec (`{ cmd, args, env, input, prepare, rss, ok }`) `runs` times after `warmup`
 * untimed rounds, interleaved (A B C, A B C, …) so that a figure and its baseline see the
 * same machine: this machine is shared, and load comes and goes. Wall time of each whole
 * process; `prepare()` runs untimed before each run; with `rss` the command runs under
 * /usr/bin/time and its peak RSS is kept.
 */
function measureAll(specs, { runs = 9, warmup = 1 } = {}) {
  const timeFile = join(OUT, 'time.txt');
  const acc = specs.map(() => ({ samples: [], rssKb: [], cpu: 0, first: null }));
  for (let i = 0; i < warmup + runs; i++) {
    specs.forEach((spec, k) => {
      const { cmd, args, env, input, prepare, rss = false, ok = [0] } = spec;
      const a = acc[k];
      prepare?.();
      const [c, argv] = rss ? ['/usr/bin/time', ['-f', '%M', '-o', timeFile, cmd, ...args]] : [cmd, args];
      const cpu0 = childCpuMs();
      const t0 = process.hrtime.bigint();
      const r = spawnSync(c, argv, { env: { ...process.env, ...env }, input, maxBuffer: 1 << 30, stdio: [input ? 'pipe' : 'ignore', 'pipe', 'pipe'] });
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      const cpu = childCpuMs() - cpu0;
      if (r.error) throw r.error;
      if (!ok.includes(r.status)) {
        const err = String(r.stderr).trim().split('\n').slice(-3).join(' / ');
        throw new Error(`${relative(ROOT, cmd) || cmd} ${args.join(' ').slice(0, 120)} exited ${r.status}: ${err}`);
      }
      a.first ??= { stdout: r.stdout, stderr: String(r.stderr), status: r.status };
      if (i < warmup) return;
      a.samples.push(ms);
      a.cpu += cpu;
      if (rss) a.rssKb.push(Number(readFileSync(timeFile, 'utf8').trim().split('\n').at(-1)));
    });
  }
  return acc.map((a) => ({
    ms: median(a.samples),
    cpuMs: a.cpu / a.samples.length,
    min: Math.min(...a.samples),
    max: Math.max(...a.samples),
    runs: a.samples.length,
    rssMb: a.rssKb.length ? Math.max(...a.rssKb) / 1024 : null,
    stdoutLines: String(a.first.stdout).split('\n').filter(Boolean).length,
    first: a.first,
  }));
}

/** One command alone: see measureAll. */
const measure = (cmd, args, opts = {}) => measureAll([{ cmd, args, ...opts }], opts)[0];

const papers = (...args) => [NODE, [BIN, ...args]];

/**
 * CPU time (user + system, ms) of all our finished children so far, from /proc/self/stat
 * (cutime + cstime, in clock ticks; the kernel sums them in ns, so the difference over many
 * runs is exact to one tick). Wall time is what a person feels, but this machine is shared
 * (other sessions run their tests on the same 2 cores): CPU time is the steadier witness.
 */
function childCpuMs() {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // Fields after the command name start at field 3 (state): cutime is field 16, cstime 17.
    return (Number(fields[16 - 3]) + Number(fields[17 - 3])) * (1000 / 100);
  } catch {
    return NaN;
  }
}
const load = () => os.loadavg()[0].toFixed(1);

// ---------------------------------------------------------------------------------------
// Results

const results = [];
const notes = [];
// The figure being measured: results and notes carry it, so a partial run (--only, --sizes)
// replaces exactly what it re-measured when merging into bench/results.json.
let family = 'tools';
const SIZED = new Set(['import', 'search', 'grep', 'storage']);
/** A note under the table; `size` ties it to one corpus size. */
const note = (text, size = null) => notes.push({ family, size, text });

/** Record one figure. `ratio` is value/baseline (time or size): lower is better. */
function record(r) {
  const row = { family, size: SIZED.has(family) ? r.papers : null, date: new Date().toISOString(), load1: Number(load()), ...r };
  if (r.cpu) row.note = [r.note, `CPU (user+sys, mean) ${fmt(r.cpu[0], 'ms')} vs ${fmt(r.cpu[1], 'ms')}`].filter(Boolean).join('; ');
  if (row.ratio === undefined && row.baseline != null && row.value != null) row.ratio = row.value / row.baseline;
  results.push(row);
  log(`${row.figure} [${row.papers ?? '-'}]: ${fmt(row.value, row.unit)} vs ${row.baselineLabel ?? '-'} ${fmt(row.baseline, row.unit)}${row.ratio != null ? ` = ${row.ratio.toFixed(2)}×` : ''}${row.met != null ? (row.met ? ' (met)' : ' (NOT met)') : ''}`);
}

function fmt(v, unit) {
  if (v == null) return '—';
  if (unit === 'ms') return v >= 10_000 ? `${(v / 1000).toFixed(1)} s` : `${v < 10 ? v.toFixed(1) : Math.round(v)} ms`;
  if (unit === 'MB') return `${v < 10 ? v.toFixed(1) : Math.round(v)} MB`;
  if (unit === '/s') return `${Math.round(v).toLocaleString('en-US')}/s`;
  return `${v} ${unit ?? ''}`.trim();
}

/** Skip a figure with a note (a command that does not exist yet, a missing tool). */
function skip(figure, papersCount, why) {
  record({ figure, papers: papersCount, value: null, skipped: why });
  note(`${figure}${papersCount ? ` (${papersCount.toLocaleString('en-US')})` : ''}: skipped — ${why}`, papersCount);
}

/** Run one figure's body; a failure is recorded and the bench goes on. */
async function guarded(figure, fn) {
  if (!wanted(figure)) return;
  family = figure;
  ran.add(figure);
  try {
    await fn();
  } catch (err) {
    log(`${figure} failed: ${err.stack ?? err}`);
    record({ figure, papers: null, value: null, skipped: `failed: ${String(err.message ?? err).split('\n')[0]}` });
    note(`${figure}: FAILED — ${String(err.message ?? err).split('\n')[0]}`);
  }
}

// ---------------------------------------------------------------------------------------
// The program under test

/** Subcommands `papers --help` lists, so figures for missing ones are skipped, not failed. */
function papersCommands() {
  const r = spawnSync(NODE, [BIN, '--help'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`papers --help failed: ${r.stderr}`);
  const section = r.stdout.split(/^Commands:$/m)[1] ?? '';
  return new Set([...section.matchAll(/^ {2}([a-z][\w-]*)/gm)].map((m) => m[1]));
}

/** Options a subcommand's --help lists (`--offline`, `--date`…). */
function commandHelp(cmd) {
  return spawnSync(NODE, [BIN, cmd, '--help'], { encoding: 'utf8' }).stdout ?? '';
}

const dbFiles = (db) => [db, `${db}-wal`, `${db}-shm`, `${db}-journal`];
const removeDb = (db) => dbFiles(db).forEach((f) => rmSync(f, { force: true }));
const dbSize = (db) => dbFiles(db).reduce((s, f) => s + (existsSync(f) ? statSync(f).size : 0), 0);

/** A database of the real HF days (what a user has after a year or two): for start-up. */
function realDb() {
  const db = join(DB_DIR, 'hf-real.db');
  if (!existsSync(db)) {
    log(`importing ${HF_DIR} into ${relative(ROOT, db)}`);
    const files = readdirSync(HF_DIR).filter((f) => /^\d{4}-\d{2}-\d{2}\.json$/.test(f)).sort().map((f) => join(HF_DIR, f));
    const r = spawnSync(NODE, [BIN, '--db', db, 'import', ...files], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`import of the real days failed: ${r.stderr.slice(-500)}`);
  }
  return db;
}
const lastRealDay = () => readdirSync(HF_DIR).filter((f) => /^\d{4}-\d{2}-\d{2}\.json$/.test(f)).sort().at(-1).slice(0, 10);

/**
 * A copy of the search database the sqlite3 shell can query: its index reads the text of
 * `papers` itself instead of the view papers_fts_text, whose cjk_spaced() only papers
 * registers (the same index and text for papers without CJK characters, as here).
 */
function shellCopy(db) {
  const copy = db.replace(/\.db$/, '-shell.db');
  if (existsSync(copy) && statSync(copy).mtimeMs >= statSync(db).mtimeMs) return copy;
  spawnSync('sqlite3', [db, 'PRAGMA wal_checkpoint(TRUNCATE);'], { encoding: 'utf8' });
  copyFileSync(db, copy);
  const r = spawnSync('sqlite3', ['-bail', copy], {
    encoding: 'utf8',
    input: "PRAGMA writable_schema = ON;\nUPDATE sqlite_schema SET sql = replace(sql, 'content=''papers_fts_text''', 'content=''papers''') WHERE name = 'papers_fts';\n",
  });
  if (r.status !== 0) throw new Error(`could not make the sqlite3 shell's copy of ${db}: ${r.stderr}`);
  return copy;
}

/** The database `papers import` built from the N-paper corpus (built untimed if missing). */
function searchDb(n) {
  const db = join(DB_DIR, `papers-${n}.db`);
  if (!existsSync(db)) {
    const meta = generateCorpus(n, { log });
    log(`building ${relative(ROOT, db)} (untimed import)`);
    const r = spawnSync(NODE, [BIN, '--db', db, 'import', ...meta.files.map((f) => join(OUT, `corpus-${n}`, f))], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`import failed: ${r.stderr.slice(-500)}`);
  }
  return db;
}

// ---------------------------------------------------------------------------------------
// Figures

/** Start-up: `papers --version` and `papers today --offline` (or `list`) vs `node -e 0`. */
async function startup() {
  const runs = runsFor(15, 5);
  const warmup = 3;
  const db = realDb();
  const day = lastRealDay();
  // Pin "today" to the last real day, so `today` finds its listing in the database.
  const env = { PAPERS_DB: db, PAPERS_NOW: `${day}T12:00:00Z`, NO_COLOR: '1' };
  const cmds = papersCommands();
  let args = ['list'];
  let label = 'start-up: papers list (latest day)';
  if (cmds.has('today') && /--offline/.test(commandHelp('today'))) {
    args = ['today', '--offline'];
    label = 'start-up: papers today --offline';
  } else {
    note('start-up: `papers today --offline` does not exist yet; `papers list` (the latest day, same work: open the database, read one day, print) is measured in its place.');
  }
  const [pv, pa] = papers('--version');
  const [pt, pta] = papers(...args);
  const [base, version, today] = measureAll([
    { cmd: NODE, args: ['-e', '0'] },
    { cmd: pv, args: pa, env },
    { cmd: pt, args: pta, env },
  ], { runs, warmup });
  record({ cpu: [version.cpuMs, base.cpuMs], figure: 'start-up: papers --version', papers: null, value: version.ms, unit: 'ms', baseline: base.ms, baselineLabel: 'node -e 0', target: '≤ 1.3×', met: version.ms / base.ms <= 1.3, runs });
  const counts = spawnSync('sqlite3', [db, 'SELECT count(*) FROM papers'], { encoding: 'utf8' }).stdout?.trim();
  record({ cpu: [today.cpuMs, base.cpuMs], figure: label, papers: Number(counts) || null, value: today.ms, unit: 'ms', baseline: base.ms, baselineLabel: 'node -e 0', target: '≤ 1.5×', met: today.ms / base.ms <= 1.5, runs, note: `${today.stdoutLines} rows printed (piped)` });
}

/**
 * The exact SQL `papers search` runs, in order: the built searchPapers runs on the bench
 * database through a recording wrapper, and each statement it executed is inlined with its
 * parameters (newest first runs several: a capped count, an index walk, then the rows).
 */
async function searchSql(text, filters, dbPath) {
  const { parseQuery, toMatchExpression } = await import(pathToFileURL(join(DIST, 'store', 'fts-query.js')).href);
  const { searchPapers } = await import(pathToFileURL(join(DIST, 'store', 'query.js')).href);
  const { default: Database } = await import('better-sqlite3');
  const match = toMatchExpression(parseQuery(text));
  const real = new Database(dbPath, { readonly: true });
  // The index reads its text through a view that calls functions papers registers.
  const { registerFunctions } = await import(pathToFileURL(join(DIST, 'store', 'db.js')).href);
  registerFunctions(real);
  const captured = [];
  const statement = (sql) => {
    let st = real.prepare(sql);
    const run = (method) => (...p) => {
      captured.push({ sql, params: p.flat() });
      return st[method](...p);
    };
    // An iteration the code stops early (newest first walks an index until it has enough) is
    // replayed with LIMIT of the rows it read: the shell would otherwise walk to the end.
    const iterate = (...p) => {
      const entry = { sql, params: p.flat(), limit: 0 };
      captured.push(entry);
      const rows = st.iterate(...p);
      return (function* () {
        let done = false;
        try {
          for (const row of rows) {
            entry.limit++;
            yield row;
          }
          done = true;
        } finally {
          if (done) delete entry.limit;
        }
      })();
    };
    const wrapper = { all: run('all'), get: run('get'), iterate, run: run('run') };
    for (const m of ['raw', 'pluck', 'expand', 'safeIntegers']) {
      wrapper[m] = (...a) => {
        st = st[m](...a);
        return wrapper;
      };
    }
    return wrapper;
  };
  try {
    searchPapers({ prepare: statement, pragma: (...a) => real.pragma(...a) }, match, filters);
  } finally {
    real.close();
  }
  const literal = (v) => {
    if (v === null || v === undefined) return 'NULL';
    if (typeof v === 'number' || typeof v === 'bigint') return String(v);
    if (typeof v === 'string') return `'${v.replace(/'/g, "''")}'`;
    throw new Error(`cannot inline parameter ${JSON.stringify(v)}`);
  };
  const inline = ({ sql, params, limit }) => {
    let i = 0;
    // Parameters are positional `?`; the SQL text has no other question marks.
    const inlined = sql.replace(/\?/g, () => literal(params[i++]));
    if (i !== params.length) throw new Error(`search SQL has ${i} placeholders for ${params.length} parameters`);
    return inlined.trim() + (limit === undefined ? '' : ` LIMIT ${limit}`) + ';\n';
  };
  return { match, sql: captured.map(inline).join(''), statements: captured.length };
}

/** Text-search baseline over the JSONL corpus: rg -c -i (grep -c -i when rg is absent). */
function textSearch(tools, shape, terms, files) {
  const tool = tools.rg ? 'rg' : 'grep';
  const q = (s) => `'${s.replace(/'/g, "'\\''")}'`;
  const fileArgs = files.map(q).join(' ');
  switch (shape) {
    case 'two': {
      // Both words on the same line (= paper): filter by one, count by the other.
      const [a, b] = terms.split(' ');
      return ['sh', ['-c', `${tool} -i --no-filename ${q(a)} ${fileArgs} | ${tool} -c -i ${q(b)}`]];
    }
    case 'phrase':
      return [tool, ['-c', '-i', terms.replace(/"/g, ''), ...files]];
    case 'prefix':
      return [tool, ['-c', '-i', `\\b${terms.replace('*', '')}`, ...files]];
    default:
      return [tool, ['-c', '-i', terms.replace(/\*/g, ''), ...files]];
  }
}

/** Search: five query shapes (+ newest-first on the common term), vs sqlite3 and rg. */
async function search(tools) {
  const { terms } = queryTerms();
  const shapes = [
    ['rare', terms.rare, {}],
    ['common', terms.common, {}],
    ['two terms', terms.two, {}],
    ['phrase', terms.phrase, {}],
    ['prefix', terms.prefix, {}],
    ['common, newest first', terms.common, { sort: 'date' }],
  ];
  note(`search terms (bench/out/terms.json): rare \`${terms.rare}\`, common \`${terms.common}\`, two terms \`${terms.two}\`, phrase \`${terms.phrase}\`, prefix \`${terms.prefix}\`.`);
  for (const n of SIZES.filter((s) => QUICK || s >= 100_000)) {
    const db = searchDb(n);
    const shellDb = tools.sqlite3 ? shellCopy(db) : null;
    const files = generateCorpus(n, { log }).files.map((f) => join(OUT, `corpus-${n}`, f));
    const runs = runsFor(n >= 1_000_000 ? 7 : 9, 3);
    for (const [shape, text, extra] of shapes) {
      const argsText = shape === 'phrase' ? [text] : text.split(' ');
      const sortArgs = extra.sort ? ['--sort', extra.sort] : [];
      const [pc, pa] = papers('--db', db, 'search', ...argsText, '--limit', '20', ...sortArgs);
      const { match, sql, statements } = await searchSql(text, { limit: 20, sort: extra.sort ?? null }, db);
      // papers, then `node -e 0` (no Node program can beat "start Node, then run the query":
      // that floor is shown beside each figure, since the sqlite3 shell starts in a few ms),
      // then the sqlite3 shell, then rg — interleaved, run by run.
      const specs = [
        { cmd: pc, args: pa, ok: [0, 1], env: { NO_COLOR: '1' } },
        { cmd: NODE, args: ['-e', '0'] },
      ];
      if (tools.sqlite3) specs.push({ cmd: 'sqlite3', args: [shellDb], input: sql });
      // rg has no ranking: one text-search baseline per query shape is enough.
      const withText = !extra.sort && (tools.rg || tools.grep);
      if (withText) {
        const [cmd, args] = textSearch(tools, shape === 'two terms' ? 'two' : shape, text, files);
        specs.push({ cmd, args, ok: [0, 1] });
      }
      const [p, node, s, g0] = measureAll(specs, { runs, warmup: 1 });
      const g = tools.sqlite3 ? g0 : s;
      if (tools.sqlite3) {
        const c = spawnSync('sqlite3', [shellDb, `SELECT count(*) FROM papers_fts WHERE papers_fts MATCH '${match.replace(/'/g, "''")}'`], { encoding: 'utf8' });
        const matches = Number(c.stdout.trim());
        const pct = ((100 * matches) / n).toFixed(matches / n < 0.01 ? 3 : 1);
        record({ cpu: [p.cpuMs, s.cpuMs], figure: `search ${shape} vs sqlite3`, papers: n, value: p.ms, unit: 'ms', baseline: s.ms, baselineLabel: 'sqlite3 shell, same SQL', target: '≤ 1.3×', met: p.ms / s.ms <= 1.3, runs, floorMs: node.ms + s.ms, note: `\`${text}\`${extra.sort ? ' --sort date' : ''}${statements > 1 ? ` (${statements} statements)` : ''}: ${matches.toLocaleString('en-US')} matches (${pct}%), ${p.stdoutLines} rows printed; floor node -e 0 + sqlite3 = ${fmt(node.ms + s.ms, 'ms')}, papers − floor = ${fmt(p.ms - node.ms - s.ms, 'ms')}; fastest runs ${fmt(p.min, 'ms')} vs ${fmt(s.min, 'ms')}` });
      } else {
        record({ figure: `search ${shape}`, papers: n, value: p.ms, unit: 'ms', runs, note: 'no sqlite3 baseline' });
      }
      if (withText) {
        const tool = tools.rg ? 'rg -c -i' : 'grep -c -i';
        const goal = ['rare', 'two terms'].includes(shape);
        // Lines it counted (per file, summed): a baseline that found nothing measured nothing.
        const counted = String(g.first.stdout).split('\n').filter(Boolean).reduce((sum, l) => sum + Number(l.split(':').at(-1)), 0);
        record({ cpu: [p.cpuMs, g.cpuMs], figure: `search ${shape} vs ${tools.rg ? 'rg' : 'grep'}`, papers: n, value: p.ms, unit: 'ms', baseline: g.ms, baselineLabel: `${tool}, JSONL`, target: goal ? '≤ 0.1× (10× faster)' : '—', met: goal ? p.ms / g.ms <= 0.1 : null, runs, note: `${tool.split(' ')[0]} counted ${counted.toLocaleString('en-US')} lines` });
      }
    }
  }
}

/**
 * `papers grep` vs rg on the same corpus JSONL, flag for flag: a rare and a common term
 * case-blind, a mid-frequency word with case and as a whole word, the alternation regex, and
 * that regex printed into a pipe (rg printing its matching lines). rg reads the JSONL (every
 * field, one paper a line); papers reads its database.
 */
async function grep(tools) {
  const cmds = papersCommands();
  const { terms } = queryTerms();
  const regex = 'multimodal (understanding|reasoning)';
  const word = terms.two.split(' ')[0];
  const shapes = [
    ['-c -i RARE', ['-c', '-i', terms.rare], '≤ 2×'],
    ['-c WORD', ['-c', word], '≤ 2×'],
    ['-c -w WORD', ['-c', '-w', word], '≤ 2×'],
    ['-c -i COMMON', ['-c', '-i', terms.common], '≤ 2×'],
    ['-c -i regex', ['-c', '-i', regex], '≤ 2×'],
    ['-i regex, printed to a pipe', ['-i', regex], '≤ 3×'],
  ];
  note(`grep terms: RARE \`${terms.rare}\`, WORD \`${word}\`, COMMON \`${terms.common}\`, regex \`${regex}\`.`);
  for (const n of SIZES.filter((s) => QUICK || s >= 100_000)) {
    if (!cmds.has('grep')) {
      skip('grep vs rg', n, '`papers grep` does not exist yet');
      continue;
    }
    const db = searchDb(n);
    const files = generateCorpus(n, { log }).files.map((f) => join(OUT, `corpus-${n}`, f));
    const runs = runsFor(n >= 1_000_000 ? 5 : 7, 3);
    for (const [shape, args, target] of shapes) {
      const [pc, pa] = papers('--db', db, 'grep', ...args);
      const specs = [{ cmd: pc, args: pa, ok: [0, 1], env: { NO_COLOR: '1' } }];
      // rg -c counts per file: --no-filename and one total below. Printing: all its matching lines.
      if (tools.rg) specs.push({ cmd: 'rg', args: [...args, ...files], ok: [0, 1] });
      const [p, g] = measureAll(specs, { runs });
      const printed = `${p.stdoutLines.toLocaleString('en-US')} lines printed`;
      if (!g) {
        record({ figure: `grep ${shape}`, papers: n, value: p.ms, unit: 'ms', runs, note: `rg missing: no baseline; ${printed}` });
        continue;
      }
      const rgSaid = args.includes('-c')
        ? `rg counted ${String(g.first.stdout).split('\n').filter(Boolean).reduce((sum, l) => sum + Number(l.split(':').at(-1)), 0).toLocaleString('en-US')}`
        : `rg printed ${g.stdoutLines.toLocaleString('en-US')} lines`;
      const papersSaid = args.includes('-c') ? `papers counted ${String(p.first.stdout).trim()}` : printed;
      const limit = Number(target.match(/\d+/)[0]);
      record({ cpu: [p.cpuMs, g.cpuMs], figure: `grep ${shape} vs rg`, papers: n, value: p.ms, unit: 'ms', baseline: g.ms, baselineLabel: `rg ${args.slice(0, -1).join(' ')}, JSONL`, target, met: p.ms / g.ms <= limit, runs, note: `\`${args.join(' ')}\`: ${papersSaid}, ${rgSaid}; fastest runs ${fmt(p.min, 'ms')} vs ${fmt(g.min, 'ms')}` });
    }
  }
}

/** Columns of the CSV the sqlite3 shell loads (the papers row, then its listing). */
const CSV_COLUMNS = ['id', 'title', 'title_hash', 'abstract', 'authors', 'keywords', 'published_at', 'upvotes', 'comments',
  'github_repo', 'github_stars', 'project_page', 'ai_summary', 'organization', 'categories', 'primary_category',
  'doi', 'journal_ref', 'arxiv_comments', 'version', 'updated_on', 'source', 'day', 'rank'];

/**
 * The corpus as one CSV (written once, untimed): the sqlite3 shell's fastest input. With the
 * JSONL itself, SQLite 3.40's JSON functions re-parse each line once per extracted field,
 * which would measure JSON parsing in SQL rather than loading. title_hash is computed as in
 * src/store/write.ts (the papers row is then byte-identical).
 */
async function csvFor(n, files) {
  const path = join(OUT, `corpus-${n}`, 'papers-s4.csv');
  if (existsSync(path)) return path;
  const { titleKey } = await import(pathToFileURL(join(DIST, 'model.js')).href);
  const { titleHash } = await import(pathToFileURL(join(DIST, 'store', 'title-hash.js')).href);
  const { openSync, writeSync, closeSync } = await import('node:fs');
  const fd = openSync(`${path}.tmp`, 'w');
  const q = (v) => (v === null || v === undefined ? '' : `"${String(v).replace(/"/g, '""')}"`);
  for (const f of files) {
    let out = [];
    for (const line of readFileSync(f, 'utf8').split('\n')) {
      if (!line) continue;
      const o = JSON.parse(line);
      const row = [o.id, o.title, titleHash(titleKey(o.title)), o.abstract, o.authors.join('\n'), o.keywords.join('\n'), o.publishedAt,
        o.upvotes, o.comments, o.githubRepo, o.githubStars, o.projectPage, o.aiSummary, o.organization, o.categories.join(' '),
        o.primaryCategory, o.doi, o.journalRef, o.arxivComments, o.version, o.updatedAt, o.source, o.listedOn, o.rank];
      out.push(row.map(q).join(','));
      if (out.length >= 10_000) {
        writeSync(fd, out.join('\n') + '\n');
        out = [];
      }
    }
    if (out.length) writeSync(fd, out.join('\n') + '\n');
  }
  closeSync(fd);
  const { renameSync } = await import('node:fs');
  renameSync(`${path}.tmp`, path);
  return path;
}

/**
 * The sqlite3 shell loading the same rows into the same schema, in one transaction: its
 * fastest honest path, `.import` of a CSV into a staging table, then INSERT … SELECT, then the
 * FTS index in one statement — `INSERT INTO papers_fts … SELECT` from papers (`bulk` false),
 * or FTS5's own `'rebuild'` (`bulk` true). The database ends up the same.
 */
async function sqliteLoadScript(csv, bulk) {
  const { MIGRATIONS, SCHEMA_VERSION, FTS_AUTOMERGE } = await import(pathToFileURL(join(DIST, 'store', 'schema.js')).href);
  const { PAGE_SIZE } = await import(pathToFileURL(join(DIST, 'store', 'db.js')).href);
  // CSV has no NULL: an empty field is NULL in the nullable columns.
  const NOT_NULL = new Set(['id', 'title', 'title_hash', 'abstract', 'authors', 'keywords', 'categories']);
  const col = (c) => (NOT_NULL.has(c) ? c : `nullif(${c}, '')`);
  const paperCols = CSV_COLUMNS.slice(0, 21);
  return [
    // The pragmas src/store/db.ts sets on a new database.
    `PRAGMA page_size = ${PAGE_SIZE};`,
    'PRAGMA journal_mode = WAL;',
    'PRAGMA synchronous = NORMAL;',
    'BEGIN IMMEDIATE;',
    // Migration 4 hashes folded titles with a function papers registers; there are none yet.
    // A migration written as code (8: the index reads its text through the view papers_fts_text,
    // which calls cjk_spaced(), a function papers registers) is left out: the shell's index reads
    // the papers table itself — the same index for text without CJK characters, built without
    // the one JavaScript call per column papers makes (a small advantage to the baseline).
    // The full-text index of paper pages (migration 9) is contentless_delete, an FTS5 option of
    // SQLite 3.43; Debian's shell is older. That index stays empty in an import either way.
    ...MIGRATIONS.map((m) =>
      typeof m === 'string' ? m.replace(/papers_title_hash\(title_key\)/g, '0').replace(/contentless_delete=1,\s*/g, '') : '-- a step only papers can run',
    ),
    // Schema 20 is a step papers runs as code (so that a damaged index still opens): its one
    // setting, how many segments the index merges at a time, is given to the shell here.
    ...(FTS_AUTOMERGE ? [`INSERT INTO papers_fts (papers_fts, rank) VALUES ('automerge', ${FTS_AUTOMERGE});`] : []),
    `PRAGMA user_version = ${SCHEMA_VERSION};`,
    'COMMIT;',
    `CREATE TEMP TABLE staging(${CSV_COLUMNS.join(', ')});`,
    `.import --csv '${csv}' staging`,
    'BEGIN IMMEDIATE;',
    `INSERT INTO papers (${paperCols.join(', ')}) SELECT ${paperCols.map(col).join(', ')} FROM staging;`,
    `INSERT INTO listings (source, day, paper_id, rank, upvotes) SELECT source, day, id, rank, nullif(upvotes, '') FROM staging;`,
    bulk
      ? "INSERT INTO papers_fts(papers_fts) VALUES('rebuild');"
      : 'INSERT INTO papers_fts (rowid, title, abstract, authors, keywords) SELECT pk, title, abstract, authors, keywords FROM papers;',
    'COMMIT;',
    '',
  ].join('\n');
}

/** Import: papers/s, peak RSS and database size, vs the sqlite3 shell loading the same rows. */
async function importFigure(tools) {
  for (const n of SIZES) {
    const meta = generateCorpus(n, { log });
    const files = meta.files.map((f) => join(OUT, `corpus-${n}`, f));
    const runs = runsFor(n >= 1_000_000 ? 1 : 3, 1);
    const db = join(DB_DIR, `import-${n}.db`);
    mkdirSync(DB_DIR, { recursive: true });
    if (files.length > 1) note(`import (${n.toLocaleString('en-US')}): the corpus is ${files.length} JSONL files of ≤ ${meta.chunk.toLocaleString('en-US')} papers, because \`papers import\` read a file whole (256 MB cap) when this bench was written; one process imports them all. With a whole-file importer, peak RSS depends on that chunk size.`, n);
    const p = measure(...papers('--db', db, 'import', ...files), { runs, warmup: 0, prepare: () => removeDb(db), rss: Boolean(tools.time) });
    const size = dbSize(db);
    // Keep the last import as the search database of this size.
    const keep = join(DB_DIR, `papers-${n}.db`);
    removeDb(keep);
    for (const f of dbFiles(db)) if (existsSync(f)) copyFileSync(f, f.replace(db, keep));
    removeDb(db);
    const rate = n / (p.ms / 1000);

    let base = null;
    let baseLabel = null;
    if (tools.sqlite3) {
      const variants = {};
      const kinds = [false, true];
      const csv = await csvFor(n, files);
      for (const bulk of kinds) {
        const sdb = join(DB_DIR, `sqlite3-${n}.db`);
        const script = await sqliteLoadScript(csv, bulk);
        const s = measure('sqlite3', ['-bail', sdb], { runs, warmup: 0, input: script, prepare: () => removeDb(sdb), rss: Boolean(tools.time) });
        const check = spawnSync('sqlite3', [sdb, 'SELECT count(*) FROM papers; SELECT count(*) FROM papers_fts WHERE papers_fts MATCH \'model\';'], { encoding: 'utf8' }).stdout.trim().split('\n');
        if (Number(check[0]) !== n) throw new Error(`sqlite3 baseline loaded ${check[0]} papers, expected ${n}`);
        variants[bulk ? 'bulk' : 'select'] = { ...s, size: dbSize(sdb), rate: n / (s.ms / 1000) };
        removeDb(sdb);
      }
      const { select, bulk } = variants;
      base = bulk.ms <= select.ms ? bulk : select;
      baseLabel = base === bulk ? 'sqlite3 shell, bulk + FTS rebuild' : 'sqlite3 shell, FTS insert … select';
      const describe = (v) => `${fmt(v.rate, '/s')} (${fmt(v.ms, 'ms')} wall, ${fmt(v.cpuMs, 'ms')} CPU, peak ${fmt(v.rssMb, 'MB')}, ${fmt(v.size / 2 ** 20, 'MB')})`;
      note(`import (${n.toLocaleString('en-US')}) sqlite3 shell: FTS filled by one INSERT … SELECT ${describe(select)}; one FTS 'rebuild' ${describe(bulk)}. Input: the same rows as one CSV (written untimed), \`.import --csv\` into a staging table, then INSERT … SELECT; SQLite ${tools.sqlite3.split(' ')[0]} in the shell vs ${sqliteVersionInNode()} in better-sqlite3.`, n);
    }
    const runNote = runs === 1 ? 'one run' : `median of ${runs}`;
    record({ cpu: base ? [p.cpuMs, base.cpuMs] : null, figure: 'import: papers/s', papers: n, value: rate, unit: '/s', baseline: base ? n / (base.ms / 1000) : null, baselineLabel: baseLabel, ratio: base ? p.ms / base.ms : null, target: '≥ 1.0× sqlite3 shell', met: base ? p.ms <= base.ms : null, runs, note: `${fmt(p.ms, 'ms')} whole process (${runNote}); ratio = time vs baseline; by CPU time ${fmt(n / (p.cpuMs / 1000), '/s')}${base ? ` vs ${fmt(n / (base.cpuMs / 1000), '/s')}` : ''}` });
    if (p.rssMb != null) record({ figure: 'import: peak RSS', papers: n, value: p.rssMb, unit: 'MB', baseline: base?.rssMb ?? null, baselineLabel: base ? baseLabel : null, target: '≤ 300 MB', met: p.rssMb <= 300, runs });
    record({ figure: 'import: database size', papers: n, value: size / 2 ** 20, unit: 'MB', baseline: meta.textBytes / 2 ** 20, baselineLabel: 'raw text (title+abstract+authors+keywords)', target: '≤ 1.8×', met: size / meta.textBytes <= 1.8, note: `JSONL ${fmt(meta.jsonlBytes / 2 ** 20, 'MB')}; sqlite3 shell's database ${base ? fmt(base.size / 2 ** 20, 'MB') : '—'}` });
    // The gigabytes just written reach the disk over the next minutes unless flushed now, and
    // that writeback would slow the search and grep figures measured next in the same run.
    spawnSync('sync');
  }
}

/**
 * Storage choices (the 1.8× target): the database `papers import` built for the search
 * figures, and copies of it changed one way each by the sqlite3 shell — page sizes, a merged
 * FTS index, FTS5 options, no FTS at all — each size against the raw text. Sizes only: what
 * each choice costs elsewhere (phrase queries, write amplification) is in the labels.
 */
async function storage(tools) {
  if (!tools.sqlite3) return skip('storage', null, 'the sqlite3 shell is not installed');
  const { FTS_AUTOMERGE } = await import(pathToFileURL(join(DIST, 'store', 'schema.js')).href);
  const FTS = (options) => `DROP TABLE papers_fts;
    CREATE VIRTUAL TABLE papers_fts USING fts5(title, abstract, authors, keywords, content='papers', content_rowid='pk',
      tokenize='porter unicode61 remove_diacritics 2'${options});
    ${FTS_AUTOMERGE ? `INSERT INTO papers_fts(papers_fts, rank) VALUES('automerge', ${FTS_AUTOMERGE});` : ''}
    INSERT INTO papers_fts(papers_fts) VALUES('rebuild');`;
  const variants = [
    ['as built by papers import (32 KiB pages)', null],
    ['FTS index merged (optimize) + VACUUM', `INSERT INTO papers_fts(papers_fts) VALUES('optimize');`],
    ['16 KiB pages (VACUUM)', 'PRAGMA page_size = 16384;'],
    ['64 KiB pages (VACUUM)', 'PRAGMA page_size = 65536;'],
    ['FTS5 columnsize=0: bm25 re-reads each row', FTS(", columnsize=0")],
    ['FTS5 detail=column: no phrase queries', FTS(", detail='column'")],
    ['FTS5 detail=none: no phrases, no column filters', FTS(", detail='none'")],
    ['no FTS index (lower bound)', 'DROP TABLE papers_fts;'],
  ];
  for (const n of SIZES) {
    const meta = generateCorpus(n, { log });
    const built = searchDb(n);
    // Fold the WAL into the file first, so every variant starts from the same bytes.
    spawnSync('sqlite3', [built, 'PRAGMA wal_checkpoint(TRUNCATE);'], { encoding: 'utf8' });
    const raw = meta.textBytes / 2 ** 20;
    for (const [label, sql] of variants) {
      let size = dbSize(built);
      if (sql) {
        const copy = join(DB_DIR, `storage-${n}.db`);
        removeDb(copy);
        copyFileSync(built, copy);
        const r = spawnSync('sqlite3', ['-bail', copy], { encoding: 'utf8', input: `PRAGMA journal_mode = DELETE;\n${sql}\nVACUUM;\n` });
        if (r.status !== 0) throw new Error(`storage variant "${label}" failed: ${r.stderr.trim()}`);
        size = dbSize(copy);
        removeDb(copy);
      }
      record({ figure: `storage: ${label}`, papers: n, value: size / 2 ** 20, unit: 'MB', baseline: raw, baselineLabel: 'raw text', target: '≤ 1.8×', met: size / 2 ** 20 / raw <= 1.8 });
    }
  }
}

/**
 * The arXiv metadata snapshot (issue 5): one generated file of N lines, streamed by `papers
 * import` in batches. One run per size; peak RSS should not grow with N (flat memory).
 */
async function snapshotImport(tools) {
  const peaks = [];
  for (const n of SIZES) {
    generateCorpus(n, { log });
    const file = join(OUT, `corpus-${n}`, 'arxiv.jsonl');
    const db = join(DB_DIR, `snapshot-${n}.db`);
    const p = measure(...papers('--db', db, 'import', file), { runs: 1, warmup: 0, prepare: () => removeDb(db), rss: Boolean(tools.time) });
    removeDb(db);
    record({ figure: 'import arXiv snapshot: papers/s', papers: n, value: n / (p.ms / 1000), unit: '/s', runs: 1, note: `one file of ${n.toLocaleString('en-US')} lines (${fmt(statSync(file).size / 2 ** 20, 'MB')}), ${fmt(p.ms, 'ms')} whole process, by CPU time ${fmt(n / (p.cpuMs / 1000), '/s')}` });
    if (p.rssMb != null) {
      peaks.push(`${n.toLocaleString('en-US')}: ${fmt(p.rssMb, 'MB')}`);
      record({ figure: 'import arXiv snapshot: peak RSS', papers: n, value: p.rssMb, unit: 'MB', target: '≤ 300 MB, flat', met: p.rssMb <= 300, runs: 1 });
    }
  }
  if (peaks.length > 1) note(`arXiv snapshot import, peak RSS by file size (flat memory: it should not grow with the file): ${peaks.join(', ')}.`);
}

/** Fetch of one real HF day from the loopback server vs curl of the same URL. */
async function fetchFigure(tools) {
  const cmds = papersCommands();
  if (!cmds.has('fetch')) return skip('fetch one HF day vs curl', null, '`papers fetch` does not exist yet');
  // The busiest real day: the largest saved response.
  const day = readdirSync(HF_DIR).filter((f) => /^\d{4}-\d{2}-\d{2}\.json$/.test(f))
    .map((f) => ({ f, size: statSync(join(HF_DIR, f)).size })).sort((a, b) => b.size - a.size || (a.f < b.f ? -1 : 1))[0].f.slice(0, 10);
  const server = spawn(NODE, [join(HERE, 'hf-server.mjs'), HF_DIR, '--watch-stdin'], { stdio: ['pipe', 'pipe', 'inherit'] });
  try {
    const endpoint = await new Promise((resolve, reject) => {
      server.stdout.on('data', (d) => {
        const m = String(d).match(/listening (\S+)/);
        if (m) resolve(m[1]);
      });
      server.on('exit', (code) => reject(new Error(`hf-server exited ${code}`)));
      setTimeout(() => reject(new Error('hf-server did not start')), 10_000);
    });
    const url = `${endpoint}/api/daily_papers?date=${day}`;
    const runs = runsFor(15, 3);
    // A fresh, migrated, empty database before every run: fetch + import of a new day.
    const empty = join(DB_DIR, 'fetch-empty.db');
    const db = join(DB_DIR, 'fetch.db');
    removeDb(empty);
    spawnSync(NODE, [BIN, '--db', empty, 'list'], { encoding: 'utf8' }); // opens → creates + migrates; exit 1 (empty) is fine
    const prepare = () => {
      removeDb(db);
      copyFileSync(empty, db);
    };
    const env = { HF_ENDPOINT: endpoint, PAPERS_NOW: `${day}T20:00:00Z`, NO_COLOR: '1' };
    const [fc, fa] = papers('--db', db, 'fetch', '--date', day);
    const specs = [{ cmd: fc, args: fa, prepare, env }];
    if (tools.curl) specs.push({ cmd: 'curl', args: ['-sS', '-o', '/dev/null', url] });
    const [p, c] = measureAll(specs, { runs, warmup: 2 });
    const stored = spawnSync('sqlite3', [db, 'SELECT count(*) FROM papers'], { encoding: 'utf8' }).stdout?.trim();
    if (!tools.curl) {
      record({ figure: 'fetch one HF day', papers: Number(stored) || null, value: p.ms, unit: 'ms', runs, note: 'curl missing: no baseline' });
      return;
    }
    const limit = 2 * c.ms + 50;
    record({ cpu: [p.cpuMs, c.cpuMs], figure: 'fetch one HF day vs curl', papers: Number(stored) || null, value: p.ms, unit: 'ms', baseline: c.ms, baselineLabel: 'curl, same URL', target: '≤ 2× curl + 50 ms', met: p.ms <= limit, runs, note: `day ${day}; limit ${fmt(limit, 'ms')}; ${stored} papers stored` });
  } finally {
    server.stdin.end();
    server.kill();
  }
}

/** Start bench/hf-server.mjs (with `extra` flags); resolves to its endpoint and the process. */
async function startHfServer(extra = []) {
  const server = spawn(NODE, [join(HERE, 'hf-server.mjs'), HF_DIR, '--watch-stdin', ...extra], { stdio: ['pipe', 'pipe', 'inherit'] });
  const endpoint = await new Promise((resolve, reject) => {
    server.stdout.on('data', (d) => {
      const m = String(d).match(/listening (\S+)/);
      if (m) resolve(m[1]);
    });
    server.on('exit', (code) => reject(new Error(`hf-server exited ${code}`)));
    setTimeout(() => reject(new Error('hf-server did not start')), 10_000);
  });
  return { endpoint, stop: () => (server.stdin.end(), server.kill()) };
}

/**
 * `papers today` in the morning when the API hangs (connections accepted, never answered):
 * the first call, the second (the failure remembered), beside the same call with the
 * network up. The day is in the database but stale, so each call wants to fetch it.
 */
async function hangingFigure() {
  const day = readdirSync(HF_DIR).filter((f) => /^\d{4}-\d{2}-\d{2}\.json$/.test(f)).sort().at(-1).slice(0, 10);
  const up = await startHfServer();
  const hung = await startHfServer(['--hang']);
  try {
    const seeded = join(DB_DIR, 'today-seeded.db');
    const failed = join(DB_DIR, 'today-failed.db');
    const db = join(DB_DIR, 'today.db');
    removeDb(seeded);
    // Imported at 08:00; the calls come at 11:00, when the day is stale (max-age 1 h).
    spawnSync(NODE, [BIN, '--db', seeded, 'import', join(HF_DIR, `${day}.json`)], { env: { ...process.env, PAPERS_NOW: `${day}T08:00:00Z` } });
    const env = (endpoint) => ({ HF_ENDPOINT: endpoint, PAPERS_NOW: `${day}T11:00:00Z`, NO_COLOR: '1', PAPERS_TIMEOUT: '', PAPERS_RETRIES: '' });
    // A database that remembers the failure: the seeded one after one call to the hanging host.
    removeDb(failed);
    copyFileSync(seeded, failed);
    spawnSync(NODE, [BIN, '--db', failed, 'today'], { env: { ...process.env, ...env(hung.endpoint) } });
    const from = (src) => () => {
      removeDb(db);
      copyFileSync(src, db);
    };
    const [tc, ta] = papers('--db', db, 'today');
    const runs = runsFor(3, 2);
    const [first, second, online] = measureAll(
      [
        { cmd: tc, args: ta, env: env(hung.endpoint), prepare: from(seeded) },
        { cmd: tc, args: ta, env: env(hung.endpoint), prepare: from(failed) },
        { cmd: tc, args: ta, env: env(up.endpoint), prepare: from(seeded) },
      ],
      { runs, warmup: 0 },
    );
    const base = { papers: Number(first.stdoutLines) || null, unit: 'ms', baseline: online.ms, baselineLabel: 'network up', runs };
    record({ ...base, figure: 'today, API hanging: first call', value: first.ms, target: '≤ ~5 s', met: first.ms <= 6_000, note: `day ${day}, stale; ${first.first.stderr.trim()}` });
    record({ ...base, figure: 'today, API hanging: second call', value: second.ms, target: '≤ network up', met: second.ms <= online.ms * 1.2, note: second.first.stderr.trim() });
  } finally {
    up.stop();
    hung.stop();
  }
}

// ---------------------------------------------------------------------------------------
// Report

function sqliteVersionInNode() {
  try {
    const r = spawnSync(NODE, ['-e', "const D=require('better-sqlite3');console.log(new D(':memory:').prepare('select sqlite_version() v').get().v)"], { cwd: TEST_ROOT, encoding: 'utf8' });
    return r.stdout.trim() || '?';
  } catch {
    return '?';
  }
}

function machineLine(tools) {
  const cpus = os.cpus();
  const git = SNAPSHOT ? SNAPSHOT.slice(0, 7) : spawnSync('git', ['-C', ROOT, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).stdout.trim();
  const dirty = SNAPSHOT ? ' (clean build of that commit)'
    : spawnSync('git', ['-C', ROOT, 'status', '--porcelain', '--', 'src'], { encoding: 'utf8' }).stdout.trim() ? ' (working tree, src/ modified)' : '';
  return [
    `${cpus[0]?.model ?? '?'}, ${cpus.length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GB RAM, ${os.type()} ${os.release()}`,
    `node ${process.version}, SQLite ${sqliteVersionInNode()} (better-sqlite3), sqlite3 shell ${tools.sqlite3?.split(' ')[0] ?? 'absent'}, ${tools.rg?.split('\n')[0] ?? 'rg absent'}, ${tools.curl?.split(' ').slice(0, 2).join(' ') ?? 'curl absent'}`,
    `papers ${git}${dirty}, ${new Date().toISOString().replace(/\.\d+Z$/, 'Z')}`,
  ].join(' · ');
}

function dateRange(rows) {
  const d = rows.map((r) => r.date).filter(Boolean).sort();
  const short = (x) => x.replace('T', ' ').replace(/:\d\d\.\d+Z$/, ' UTC');
  return d.length ? `${short(d[0])} – ${short(d.at(-1))}` : 'at an unknown time';
}

function loadRange(rows) {
  const l = rows.map((r) => r.load1).filter((x) => typeof x === 'number');
  return l.length ? `${Math.min(...l).toFixed(1)}–${Math.max(...l).toFixed(1)} on ${os.cpus().length} cores` : 'not recorded';
}

function table(rows) {
  const lines = [
    '| figure | papers | value | baseline | ratio | target | met? |',
    '|---|---:|---:|---|---:|---|---|',
  ];
  for (const r of rows) {
    if (r.skipped) {
      lines.push(`| ${r.figure} | ${r.papers?.toLocaleString('en-US') ?? '—'} | — | — | — | — | skipped: ${r.skipped} |`);
      continue;
    }
    const base = r.baseline != null ? `${fmt(r.baseline, r.unit)} (${r.baselineLabel})` : '—';
    const ratio = r.ratio != null ? `${r.ratio.toFixed(2)}×` : '—';
    const met = r.met == null ? '—' : r.met ? 'yes' : '**no**';
    lines.push(`| ${r.figure} | ${r.papers?.toLocaleString('en-US') ?? '—'} | ${fmt(r.value, r.unit)} | ${base} | ${ratio} | ${r.target ?? '—'} | ${met} |`);
  }
  return lines.join('\n');
}

function writeReport(tools, all, allNotes, dest) {
  const md = `# Benchmark results

Generated by \`npm run bench\` (bench/run.mjs); do not edit by hand — analysis and proposals are in
[PROFILE.md](PROFILE.md). Each figure is the median of several whole-process runs after a warm-up
(import: fresh database per run, no warm-up), beside its baseline measured in the same run.
Ratio = value / baseline (time, or size): lower is better. Search targets are for 1M papers; smaller
corpora are shown against the same ratios.

**Machine:** ${machineLine(tools)}

**When:** figures recorded ${dateRange(all)}. **Load:** 1-minute load average when each figure was recorded: ${loadRange(all)}. This machine is
shared with other sessions' test runs, so wall times are noisy; the details below also give the
CPU time (user + system) of the same runs, which contention disturbs much less.

${table(all)}

## Figure details

${all.filter((r) => r.note).map((r) => `- ${r.figure} (${r.papers?.toLocaleString('en-US') ?? '—'}): ${r.note}`).join('\n')}

## Notes

${allNotes.map((n) => `- ${n}`).join('\n')}
${existsSync(join(HERE, 'ranking.md')) ? `\n${readFileSync(join(HERE, 'ranking.md'), 'utf8')}` : ''}`;
  writeFileSync(dest, md);
  return md;
}

// ---------------------------------------------------------------------------------------

/** Build a commit (default HEAD) in bench/out/head/ (its node_modules linked to ours) and measure that. */
function snapshot(ref) {
  const dir = join(OUT, 'head');
  const sha = spawnSync('git', ['-C', ROOT, 'rev-parse', '--verify', `${ref}^{commit}`], { encoding: 'utf8' }).stdout.trim();
  if (!sha) throw new Error(`--snapshot: ${ref} is not a commit of ${ROOT}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const tar = spawnSync('sh', ['-c', `git -C '${ROOT}' archive ${sha} | tar -x -C '${dir}'`], { stdio: 'inherit' });
  if (tar.status !== 0) throw new Error('git archive failed');
  spawnSync('ln', ['-s', join(ROOT, 'node_modules'), join(dir, 'node_modules')]);
  log(`building ${ref} (${sha.slice(0, 7)}) in ${relative(ROOT, dir)}`);
  // The commit's own build script: tsc, and (since the CLI runs from a bundle) esbuild.
  const build = spawnSync('npm', ['run', 'build'], { cwd: dir, stdio: 'inherit' });
  if (build.status !== 0) throw new Error(`build of ${ref} (${sha.slice(0, 7)}) failed: pass --snapshot REF with a commit that builds`);
  TEST_ROOT = dir;
  SNAPSHOT = sha;
  BIN = entryPoint(dir);
  DIST = join(dir, 'dist');
  return sha;
}

async function main() {
  mkdirSync(DB_DIR, { recursive: true });
  // --report: render RESULTS.md again from results.json, measuring nothing.
  if (flag('--report')) {
    const saved = JSON.parse(readFileSync(join(HERE, 'results.json'), 'utf8'));
    const tools = { sqlite3: versionOf('sqlite3'), rg: versionOf('rg'), curl: versionOf('curl') };
    if (saved.snapshot) SNAPSHOT = saved.snapshot;
    console.log(writeReport(tools, saved.results, saved.notes.map((n) => n.text), join(HERE, 'RESULTS.md')));
    return;
  }
  if (flag('--snapshot')) {
    const ref = value('--snapshot');
    snapshot(ref && !ref.startsWith('--') ? ref : 'HEAD');
  }
  if (!existsSync(join(DIST, 'cli.js'))) {
    log('dist/ missing: npm run build');
    const r = spawnSync('npm', ['run', 'build'], { cwd: TEST_ROOT, stdio: 'inherit' });
    if (r.status !== 0) throw new Error('build failed');
  }
  const tools = ensureTools(notes);
  if (wanted('search') || wanted('import') || wanted('grep') || wanted('storage')) {
    queryTerms();
    for (const n of SIZES) generateCorpus(n, { log });
  }
  await guarded('startup', () => startup());
  await guarded('import', () => importFigure(tools));
  await guarded('search', () => search(tools));
  await guarded('grep', () => grep(tools));
  await guarded('fetch', () => fetchFigure(tools));
  await guarded('hanging', () => hangingFigure());
  await guarded('snapshot', () => snapshotImport(tools));
  await guarded('storage', () => storage(tools));
  // The inbox's offline evaluation (bench/rank.mjs): its section is written to bench/ranking.md and appended below.
  await guarded('ranking', async () => (await import('./rank.mjs')).rankingFigure({ bin: BIN }));

  // Quick runs are smoke tests: they never replace the committed results.
  const jsonPath = QUICK ? join(OUT, 'results-quick.json') : join(HERE, 'results.json');
  const mdPath = QUICK ? join(OUT, 'RESULTS-quick.md') : join(HERE, 'RESULTS.md');
  // A partial run (--only, --sizes) replaces the figures (and notes) it re-measured and keeps the others.
  let prev = { results: [], notes: [] };
  if (!QUICK && !flag('--fresh') && existsSync(jsonPath)) prev = JSON.parse(readFileSync(jsonPath, 'utf8'));
  const remeasured = (r) => ran.has(r.family) && (r.size == null || SIZES.includes(r.size));
  const merged = [...prev.results.filter((r) => !remeasured(r)), ...results];
  const figureOrder = ['start-up', 'import:', 'import arXiv', 'storage', 'search', 'grep', 'fetch'];
  const rank = (r) => figureOrder.findIndex((f) => r.figure.startsWith(f));
  merged.sort((a, b) => rank(a) - rank(b) || (a.papers ?? 0) - (b.papers ?? 0));
  const noteList = [...(prev.notes ?? []).filter((n) => !remeasured(n)), ...notes];
  const seen = new Set();
  const noteSet = noteList.filter((n) => !seen.has(n.text) && seen.add(n.text));
  writeFileSync(jsonPath, JSON.stringify({ machine: machineLine(tools), snapshot: SNAPSHOT, results: merged.map(({ first, ...r }) => r), notes: noteSet }, null, 2) + '\n');
  const md = writeReport(tools, merged, noteSet.map((n) => n.text), mdPath);
  console.log(md);
  log(`wrote ${relative(ROOT, mdPath)} and ${relative(ROOT, jsonPath)}`);
}

await main();
