/** `papers cache path|stats|vacuum|check` — the database itself. */
import type { App } from '../app.js';
import { DatabaseError, UsageError } from '../errors.js';
import { cacheStats, compact, integrityProblems, pruneBodies } from '../store/maintenance.js';
import { padEnd, padStart } from '../render/width.js';
import { diagnostic } from '../render/diagnostic.js';
import { forTerminal } from '../render/sanitize.js';
import { Option } from 'commander';
import { defineCommand } from './_command.js';

export default defineCommand({
  name: 'cache',
  summary: 'the database: where it is, what it holds, integrity checks, compaction',
  examples: ['papers cache path', 'papers cache stats --json | jq .papers', 'papers cache check && papers cache vacuum'],
  subcommands: [
    defineCommand({ name: 'path', summary: 'print the database path', run: (_, app) => path(app) }),
    defineCommand<{ json?: boolean }>({
      name: 'stats',
      summary: 'counts per source and month, size, last fetches',
      options: [new Option('--json', 'print the numbers as JSON')],
      run: stats,
    }),
    defineCommand({ name: 'check', summary: 'full integrity check of the database and its search index (slow on large databases)', run: (_, app) => check(app) }),
    defineCommand({ name: 'vacuum', summary: 'compact the database and merge the search index', run: (_, app) => vacuum(app) }),
    defineCommand<{ bodies?: boolean }>({
      name: 'prune',
      summary: 'drop stored data that can be fetched again: --bodies, the full texts of `show --full`',
      options: [new Option('--bodies', 'drop every stored full text and its search index (`cache vacuum` then returns the space)')],
      run: prune,
    }),
  ],
});

const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MB`;
/** A size in MB, or in KB below one MB (a few full texts are a few hundred KB). */
const size = (bytes: number) => (bytes < 2 ** 20 ? `${(bytes / 2 ** 10).toFixed(1)} KB` : mb(bytes));

/** `papers cache path`: where the database is (it need not exist yet). */
async function path(app: App): Promise<void> {
  app.ctx.stdout.write(forTerminal(app.ctx.stdoutIsTTY, app.dbPath(), 'text') + '\n');
}

/** `papers cache stats`: counts per source and month, size, last fetches. */
async function stats(flags: { json?: boolean }, app: App): Promise<void> {
  const s = cacheStats(await app.db(), app.dbPath());
  const out = app.ctx.stdout;
  if (flags.json) {
    out.write(forTerminal(app.ctx.stdoutIsTTY, JSON.stringify(s, null, 2), 'json') + '\n');
    return;
  }
  out.write(`database   ${forTerminal(app.ctx.stdoutIsTTY, s.path, 'text')}\nsize       ${mb(s.bytes)}\npapers     ${s.papers}\nlistings   ${s.listings}\n`);
  out.write(`starred    ${s.stars}\nread       ${s.read}\nwatching   ${s.watchTerms} term${s.watchTerms === 1 ? '' : 's'}\n`);
  out.write(`full texts ${s.bodies.count} (${size(s.bodies.bytes)} of markdown, ${size(s.bodies.storedBytes)} stored)\n`);
  if (s.bySource.length) {
    out.write('\nsource       days  papers  first       last\n');
    for (const r of s.bySource) {
      out.write(`${padEnd(r.source, 11)} ${padStart(String(r.days), 5)} ${padStart(String(r.papers), 7)}  ${r.first}  ${r.last}\n`);
    }
  }
  if (s.byMonth.length) {
    out.write('\nmonth     days  papers\n');
    for (const r of s.byMonth) out.write(`${r.month} ${padStart(String(r.days), 6)} ${padStart(String(r.papers), 7)}\n`);
  }
  if (s.lastFetches.length) {
    out.write('\nlast fetches\n');
    for (const f of s.lastFetches) out.write(`${f.fetchedAt}  ${padEnd(f.source, 10)} ${padEnd(f.period, 10)} ${padStart(String(f.items), 5)}  ${f.status}\n`);
  }
}

/** `papers cache check`: full integrity checks of the database and the search index (exit 5 on a problem). */
async function check(app: App): Promise<void> {
  const problems = integrityProblems(await app.db());
  if (problems.length) {
    throw new DatabaseError(`${app.dbPath()} has problems: ${problems.slice(0, 3).join('; ')}${problems.length > 3 ? ` (+${problems.length - 3} more)` : ''}`);
  }
  diagnostic(app.ctx.stderr, `${app.dbPath()}: ok (database and search index)`);
}

/** `papers cache vacuum`: compact the database and its index. */
async function vacuum(app: App): Promise<void> {
  const { before, after } = compact(await app.db(), app.dbPath());
  diagnostic(app.ctx.stderr, `compacted ${app.dbPath()}: ${mb(before)} → ${mb(after)}`);
}

/** `papers cache prune --bodies`: drop the stored full texts. */
async function prune(flags: { bodies?: boolean }, app: App): Promise<void> {
  if (!flags.bodies) throw new UsageError('say what to prune: --bodies (the full texts of `show --full`)');
  const n = pruneBodies(await app.db());
  diagnostic(app.ctx.stderr, `dropped ${n} full text${n === 1 ? '' : 's'}; \`papers cache vacuum\` returns the space to the disk`);
}
