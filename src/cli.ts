/**
 * The `papers` program: commands and global options, and the only place that turns
 * errors into exit codes. Command modules load lazily so `--help` and `--version`
 * stay fast: start-up is dominated by module loading.
 */
import { Argument, Command, CommanderError, Option } from 'commander';
import { readFileSync } from 'node:fs';
import { createApp, type App } from './app.js';
import { contextFor, processIO, type ColorMode, type IO } from './context.js';
import { ExitCode, InterruptedError, PapersError, UsageError } from './errors.js';
import { addFieldsOption, addFilterOptions, addMarkSeenOption, addNetworkOptions, addPaperOptions, addRangeOptions, expandJsonFields } from './commands/_options.js';
import { VERSION } from './version.js';
import { loadConfig } from './config.js';
import { diagnostic, diagnosticLines } from './render/diagnostic.js';
import { CALENDAR, fromUtc } from './dates-day.js';
import { toDatabaseError } from './store/db-errors.js';

/** The exit-code table, printed by `--help` and documented in README. */
export const EXIT_CODES = `Exit codes:
  0    success, with results
  1    ran fine, nothing matched (search/filter), like grep
  2    usage error or bad input file
  3    network or remote service error (and nothing usable in the cache)
  4    the remote format changed / could not be parsed
  5    database error (locked past the timeout, corrupt, not a papers database, newer schema, read-only)
  70   internal error: a bug (run again with --verbose and report it)
  74   output could not be written (disk full, file size limit, I/O error)
  130  interrupted`;

const EXAMPLES = `Examples:
  $ papers today                                 # today's Daily Papers, fetched when needed
  $ papers fetch --month 2025-08                 # fill the database (missing or stale days only)
  $ papers import ~/Downloads/2025-06-09.json   # a saved API response, page or copied text
  $ papers list                                  # the latest day in the database
  $ papers list --week 2025-W34 --min-upvotes 20 --json | jq '.[].title'
  $ papers search "sparse attention"
  $ papers show 3                                # number 3 of the last list or search`;

interface GlobalFlags {
  db?: string;
  color: ColorMode;
  verbose?: boolean;
  pager?: boolean;
}

/** The commands `commandIn` may name: all but `help` and `completion`, which list every command. */
const SINGLE_COMMANDS = new Set(['import', 'fetch', 'today', 'list', 'search', 'grep', 'similar', 'trend', 'open', 'read', 'unread', 'seen', 'unseen', 'star', 'unstar', 'watch', 'export', 'cache', 'show']);

/**
 * The command `argv` runs, when it is plain to see: then only that command is declared.
 * Declaring all ~20 with their options is a few ms of every start-up, for nothing. When
 * unsure — no command, an option commander must read, an unknown word (whose suggestion
 * needs every name), `help` or `completion` — the answer is undefined: declare them all.
 */
export function commandIn(argv: string[]): string | undefined {
  const args = argv.slice(2);
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--db' || arg === '--color') {
      i++; // the option's value
      continue;
    }
    if (arg.startsWith('--db=') || arg.startsWith('--color=') || arg === '--verbose' || arg === '--no-pager') continue;
    if (arg.startsWith('-')) return undefined;
    const name = arg === 'ls' ? 'list' : arg;
    return SINGLE_COMMANDS.has(name) ? name : undefined;
  }
  return undefined;
}

/** commander's Command, where `--json=FIELDS` reads as `--json --fields FIELDS` (see expandJsonFields). */
class PapersCommand extends Command {
  override createCommand(name?: string): Command {
    return new PapersCommand(name);
  }

  override parseOptions(argv: string[]): ReturnType<Command['parseOptions']> {
    return super.parseOptions(expandJsonFields(argv, this.options));
  }
}

/**
 * Build the program. `getApp` is called by each action once global flags are parsed;
 * with `only`, the program declares just that command (see commandIn). Help, version and
 * commander's usage errors are written to `io`.
 */
export function buildProgram(getApp: () => App, only?: string, io: Pick<IO, 'stdout' | 'stderr'> = processIO()): Command {
  const wanted = (name: string) => only === undefined || only === name;
  const program = new PapersCommand('papers')
    .description('A local, searchable feed of new research papers (Hugging Face Daily Papers).')
    .version(VERSION, '-V, --version', 'print the version')
    .option('--db <path>', 'database file (default: $PAPERS_DB, else $XDG_DATA_HOME/papers/papers.db)')
    .addOption(new Option('--color <when>', 'color output').choices(['auto', 'always', 'never']).default('auto'))
    .option('--verbose', 'print stack traces of errors')
    .option('--no-pager', 'never send long output on a terminal through the pager ($PAGER, default less -FRX)')
    .showSuggestionAfterError()
    // Set before the subcommands are added: commander copies these settings into each.
    .exitOverride()
    .configureOutput({
      // commander prints its own usage errors; make them one line in our format.
      writeErr: (s) => diagnosticLines(io.stderr, s.replace(/^error: /, 'papers: ')),
      // Help and version are output too: a failed write of them is reported like any other.
      writeOut: (s) => void io.stdout.write(s),
    })
    .helpCommand(false)
    .addHelpText('after', `\n${EXAMPLES}\n\n${EXIT_CODES}\n\nMore: papers help exit-codes | json | COMMAND; everything else: README.md`);

  if (wanted('import')) {
    program
      .command('import')
      .description('import saved listings: HF API JSON, a saved HF page (HTML), text copied from the page, or papers JSONL')
      .argument('<files...>', 'files to import, or - for standard input')
      .option('--format <name>', 'force the format: hf-json, hf-html, page-text, jsonl (default: detected)')
      .option('--date <day>', 'listing day when the input does not say (default: the date in the file name)')
      .option('--strict', 'JSONL: stop at the first malformed line (default: count, report and skip it)')
      .addHelpText('after', `\nExamples:\n  $ papers import 2025-06-09.json\n  $ pbpaste | papers import --date 2025-08-20 -\n  $ papers list --jsonl > backup.jsonl && papers import backup.jsonl`)
      .action(async (files: string[], flags) => (await import('./commands/import.js')).run(files, flags, getApp()));
  }

  if (wanted('fetch')) {
    addNetworkOptions(
      addRangeOptions(
        program
          .command('fetch')
          .description('fetch Hugging Face Daily Papers or arXiv categories into the database: the days asked for that are missing or stale (default: today and the 2 days before)')
          .option('--source <source>', 'hf (default) or arxiv:CATEGORY; several categories: arxiv:cs.LG+cs.CL, or repeat the flag; arxiv: the config\'s categories', (v: string, all: string[] = []) => [...all, v]),
      ),
      { fetching: true },
    )
      .addHelpText('after', `\nEnvironment: HF_ENDPOINT (default https://huggingface.co), HF_TOKEN, PAPERS_ARXIV_RSS, PAPERS_ARXIV_API, PAPERS_ARXIV_DELAY_MS (default 3000), HTTPS_PROXY/HTTP_PROXY/NO_PROXY.\n\nExamples:\n  $ papers fetch\n  $ papers fetch --week 2025-W34\n  $ papers fetch --since 2025-01-01 --until 2025-03-31\n  $ papers fetch --date 2025-06-09 --refresh\n  $ papers fetch --source arxiv:cs.LG+cs.CL --since 7d`)
      .action(async (flags) => (await import('./commands/fetch.js')).run(flags, getApp()));
  }

  if (wanted('today')) {
    addNetworkOptions(
      addMarkSeenOption(
        addPaperOptions(
          program
            .command('today')
            .description("today's Daily Papers (UTC) or, with --source arxiv:CATEGORY, today's arXiv announcement, fetched when missing or stale; on a day without papers, the latest day with some"),
        ),
      ),
      { fetching: false },
    )
      .addHelpText('after', `\nOn a terminal, the papers that were on screen are marked seen (\`--new\` hides them).\n\nExamples:\n  $ papers today\n  $ papers today --new\n  $ papers today --offline\n  $ papers today --min-upvotes 20 --json\n  $ papers today --new --mark-seen --jsonl | my-notifier\n  $ papers today --source arxiv:cs.LG`)
      .action(async (flags) => (await import('./commands/today.js')).run(flags, getApp()));
  }

  if (wanted('list')) {
    addNetworkOptions(
      addMarkSeenOption(
        addFilterOptions(
          program
            .command('list')
            .alias('ls')
            .description('list the papers of a listing day (default: the latest in the database) or of a range of days, fetching missing or stale days of a range first'),
        ),
      ),
      { fetching: false },
    )
      .addHelpText('after', `\nExamples:\n  $ papers list --date yesterday\n  $ papers list --since 7d --min-upvotes 30 --sort upvotes\n  $ papers list --month 2025-08 --has-code --jsonl | jq -r .urls.arxiv`)
      .action(async (flags) => (await import('./commands/list.js')).run(flags, getApp()));
  }

  if (wanted('search')) {
    addFilterOptions(
      program
        .command('search')
        .description('full-text search of titles, abstracts, authors and keywords, best match first')
        .argument('<terms...>', 'words to find (all must match); "quoted phrase"; prefix*')
        .option('--regex', 'treat the terms as one regular expression (same as `papers grep`)')
        .option('--remote', "Hugging Face's own (hybrid) search instead of the local database; results are stored")
        .option('--offline', 'with --remote: refuse (kept for scripts that pass it everywhere)')
        .option('--timeout <seconds>', 'with --remote: network timeout (PAPERS_TIMEOUT)')
        .option('--retries <n>', 'with --remote: extra tries (PAPERS_RETRIES)'),
    )
      .addHelpText('after', `\nExamples:\n  $ papers search sparse attention\n  $ papers search '"mixture of experts"' --since 30d\n  $ papers search diffus* --author Hinton --json\n  $ papers search --remote "test-time scaling"`)
      .action(async (terms: string[], flags) => (await import('./commands/search.js')).run(terms, flags, getApp()));
  }

  if (wanted('grep')) {
    addFilterOptions(
      program
        .command('grep')
        .description('regular-expression search of titles and abstracts (JavaScript syntax), like grep')
        .argument('<pattern>', 'a JavaScript regular expression (or a fixed string with -F)')
        .option('--in <fields>', 'where to look: comma list of title, abstract, authors, keywords', 'title,abstract')
        .option('-i, --ignore-case', 'case-insensitive')
        .option('-w, --word-regexp', 'match whole words only')
        .option('-F, --fixed-strings', 'PATTERN is a fixed string, not a regular expression')
        .option('-c, --count', 'print only the number of matching papers')
        .option('-l, --files-with-matches', 'print only the ids of matching papers'),
    )
      .addHelpText('after', `\nExit status is grep's: 0 matched, 1 no match, 2 error (an invalid regex included).\n\nExamples:\n  $ papers grep -i 'state[- ]space model'\n  $ papers grep -w -c RLHF --since 30d\n  $ papers grep --in authors -F 'Yann LeCun' -l | xargs -n1 papers show`)
      .action(async (pattern: string, flags) => (await import('./commands/grep.js')).run(pattern, flags, getApp()));
  }

  if (wanted('similar')) {
    addFilterOptions(
      program
        .command('similar')
        .description('papers like this one, from the local database (its most distinctive words, ranked)')
        .argument('<paper>', 'an arXiv id, a number from the last list/search, or a URL'),
    )
      .addHelpText('after', `\nExamples:\n  $ papers similar 2506.05176\n  $ papers similar 3 --limit 5 --since 90d`)
      .action(async (ref: string, flags) => (await import('./commands/similar.js')).run(ref, flags, getApp()));
  }

  if (wanted('trend')) {
    program
      .command('trend')
      .description('how many listed papers match each term per day, week or month, as a bar chart')
      .argument('<terms...>', 'one series per argument; quote several words to count papers with all of them')
      .addOption(new Option('--by <period>', 'bucket size').choices(['day', 'week', 'month']).default('week'))
      .option('--since <day>', 'first day (default: 30 days, 12 weeks or 12 months back)')
      .option('--until <day>', 'last day (default: today)')
      .option('--json', 'print [{period, listed, counts: {term: n}}]')
      .addHelpText('after', `\nPiped, it prints tab-separated numbers: period, papers listed, one count per term.\n\nExamples:\n  $ papers trend diffusion mamba "state space"\n  $ papers trend agent --by month --since 2025-01-01`)
      .action(async (terms: string[], flags) => (await import('./commands/trend.js')).run(terms, flags, getApp()));
  }

  if (wanted('open')) {
    program
      .command('open')
      .description("open a paper's page in the browser ($BROWSER, else xdg-open / open / start)")
      .argument('<paper>', 'an arXiv id, a number from the last list/search, or a URL')
      .option('--pdf', 'the arXiv PDF')
      .option('--hf', 'the Hugging Face page (the default when there is one; else the arXiv page)')
      .option('--github', 'the GitHub repository')
      .option('--print', 'print the URL instead of opening it')
      .addHelpText('after', `\nExamples:\n  $ papers open 3\n  $ papers open 2506.05176 --pdf`)
      .action(async (ref: string, flags) => (await import('./commands/open.js')).run(ref, flags, getApp()));
  }

  for (const [mark, about] of [
    ['read', 'mark papers as read (`--new` hides them)'],
    ['unread', 'mark papers as not read'],
    ['star', 'star papers (`papers list --starred` shows them)'],
    ['unstar', 'remove stars'],
  ] as const) {
    if (!wanted(mark)) continue;
    program
      .command(mark)
      .description(about)
      .argument('<papers...>', 'arXiv ids, numbers from the last list/search, or URLs')
      .addHelpText('after', `\nExamples:\n  $ papers ${mark} 3 5 2506.05176`)
      .action(async (refs: string[]) => (await import('./commands/marks.js')).run(mark, refs, getApp()));
  }

  for (const [name, about, examples] of [
    [
      'seen',
      'mark papers seen, as if shown on a terminal (`--new` hides them); --last: all of the last list, also those the pager kept off screen',
      ['papers seen 3 5 2506.05176', 'papers seen --last', 'papers list --new | cut -f1 | papers seen -'],
    ],
    [
      'unseen',
      'remove seen marks (not read marks: `papers unread`); --last: the marks the last list made',
      ['papers unseen 2506.05176', 'papers unseen --last'],
    ],
  ] as const) {
    if (!wanted(name)) continue;
    program
      .command(name)
      .description(about)
      .argument('[papers...]', 'arXiv ids, numbers from the last list/search, URLs, or - to read them from standard input (one a line)')
      .option('--last', name === 'seen' ? 'every paper of the last list or search printed on a terminal' : 'the seen marks the last list made (papers seen before it stay seen)')
      .addHelpText('after', `\nA terminal listing marks seen only the papers that were on screen: all of them when it\nfits the screen or is printed without a pager, else those on the pager's first screen.\n\nExamples:\n${examples.map((e) => `  $ ${e}`).join('\n')}`)
      .action(async (refs: string[], flags) => (await import('./commands/seen.js')).run(name === 'seen', refs, flags, getApp()));
  }

  if (wanted('watch')) {
    const watch = program
      .command('watch')
      .description('terms to watch for: matching papers are marked in `today`/`list` on a terminal; `--watched` filters to them')
      .addHelpText('after', `\nExamples:\n  $ papers watch add diffusion "state space"\n  $ papers watch ls\n  $ papers today --watched`);
    watch
      .command('add')
      .description('watch terms (each searched like `papers search TERM`)')
      .argument('<terms...>')
      .action(async (terms: string[]) => (await import('./commands/watch.js')).add(terms, getApp()));
    watch
      .command('rm')
      .alias('remove')
      .description('stop watching terms')
      .argument('<terms...>')
      .action(async (terms: string[]) => (await import('./commands/watch.js')).remove(terms, getApp()));
    watch
      .command('ls')
      .alias('list')
      .description('print the watch list, one term per line')
      .option('--json', 'print a JSON array')
      .action(async (flags) => (await import('./commands/watch.js')).list(flags, getApp()));
  }

  if (wanted('export')) {
    addFilterOptions(
      program
        .command('export')
        .description('write papers in a data format (default jsonl): the whole database, or what the filters select')
        .option('-o, --output <file>', 'write to FILE atomically (a temp file renamed into place) instead of stdout')
        .option('--summary', 'md: the AI summary instead of the abstract (the abstract when there is none)'),
    )
      .addHelpText('after', `\nFormats: jsonl (default), json, csv (RFC 4180), tsv, md (a Markdown digest), bibtex.\n\nExamples:\n  $ papers export -o papers.jsonl\n  $ papers export --week 2025-W34 --format md --summary -o digest.md\n  $ papers export --starred --format bibtex >> refs.bib\n  $ papers export --format csv --fields id,title,upvotes,urls.pdf`)
      .action(async (flags) => (await import('./commands/export.js')).run(flags, getApp()));
  }

  if (wanted('completion')) {
    program
      .command('completion')
      .description('print a shell completion script (see README for how to install it)')
      .addArgument(new Argument('<shell>', 'the shell').choices(['bash', 'zsh', 'fish']))
      .addHelpText('after', `\nExamples:\n  $ papers completion bash > ~/.local/share/bash-completion/completions/papers\n  $ papers completion zsh > ~/.zfunc/_papers\n  $ papers completion fish > ~/.config/fish/completions/papers.fish`)
      .action(async (shell: 'bash' | 'zsh' | 'fish') => {
        const { completionScript } = await import('./completion.js');
        await io.stdout.write(completionScript(shell, program));
      });
  }

  if (wanted('help')) {
    program
      .command('help')
      .description('help on a command, or on a topic: exit-codes, json')
      .argument('[topic]', 'a command name, exit-codes, or json')
      .action(async (topic?: string) => {
        if (!topic) return program.outputHelp();
        if (topic === 'exit-codes') return io.stdout.write(EXIT_CODES + '\n');
        if (topic === 'json') return io.stdout.write(jsonHelp());
        const cmd = program.commands.find((c) => c.name() === topic || c.aliases().includes(topic));
        if (!cmd) throw new UsageError(`no help topic "${topic}": use a command name, exit-codes or json`);
        cmd.outputHelp();
      });
  }

  if (wanted('cache')) {
    const cache = program
      .command('cache')
      .description('the database: where it is, what it holds, integrity checks, compaction')
      .addHelpText('after', `\nExamples:\n  $ papers cache path\n  $ papers cache stats --json | jq .papers\n  $ papers cache check && papers cache vacuum`);
    cache
      .command('path')
      .description('print the database path')
      .action(async () => (await import('./commands/cache.js')).path(getApp()));
    cache
      .command('stats')
      .description('counts per source and month, size, last fetches')
      .option('--json', 'print the numbers as JSON')
      .action(async (flags) => (await import('./commands/cache.js')).stats(flags, getApp()));
    cache
      .command('check')
      .description('full integrity check of the database and its search index (slow on large databases)')
      .action(async () => (await import('./commands/cache.js')).check(getApp()));
    cache
      .command('vacuum')
      .description('compact the database and merge the search index')
      .action(async () => (await import('./commands/cache.js')).vacuum(getApp()));
  }

  if (wanted('show')) {
    addFieldsOption(
      program
        .command('show')
        .description('show one paper in full')
        .argument('<paper>', 'an arXiv id, a number from the last list/search, or a huggingface.co / arxiv.org URL')
        .option('--json', 'print the paper as a JSON object (with its listings); --json=FIELDS is short for --json --fields FIELDS'),
      'in --json',
    )
      .addHelpText('after', `\nExamples:\n  $ papers show 2506.05176\n  $ papers show 2\n  $ papers show https://arxiv.org/abs/2506.05176v2\n  $ papers show 2 --json=id,title,listings`)
      .action(async (ref: string, flags) => (await import('./commands/show.js')).run(ref, flags, getApp()));
  }

  return program;
}

/** `papers help json`: the paper object's fields, from the JSON Schema the tests check output against. */
function jsonHelp(): string {
  const schema = JSON.parse(readFileSync(new URL('../docs/paper.schema.json', import.meta.url), 'utf8')) as {
    properties: Record<string, { type?: string | string[]; description?: string }>;
  };
  const lines = Object.entries(schema.properties).map(([name, p]) => {
    const type = Array.isArray(p.type) ? p.type.join(' | ') : (p.type ?? 'object');
    return `  ${name.padEnd(16)} ${type.padEnd(16)} ${(p.description ?? '').replace(/`/g, '')}`;
  });
  return `JSON output (--json, --jsonl, export --format json|jsonl): one object per paper.\nFields may be added in any release; renames and removals wait for a major version.\n\n${lines.join('\n')}\n\nSelecting fields (list, today, search, grep, similar, show, export):\n  --json --fields id,title,urls.pdf    only these fields, in this order (also with --jsonl, --format csv|tsv)\n  --json=id,title,urls.pdf             the same, for short (with the =: --json never takes the next word)\nAn unknown field is a usage error listing the valid ones. show and export also have listings;\ngrep adds matches (--json, --jsonl), which --fields keeps only when it names it.\n`;
}

/** Print an error as one line on `stderr` (a stack only with --verbose); returns its exit code. */
function report(stderr: NodeJS.WritableStream, err: unknown, verbose: boolean, dbPath: string | null): number {
  // Any SQLite error that reached here (busy, corrupt, read-only, full) is a database error (exit 5).
  if (!(err instanceof PapersError) && dbPath && String((err as { code?: unknown }).code ?? '').startsWith('SQLITE_')) {
    err = toDatabaseError(err, dbPath);
  }
  if (err instanceof PapersError) {
    // Messages quote file names, remote text and JSON excerpts: never let them drive the terminal.
    diagnostic(stderr, `papers: ${err.message}`);
    if (verbose && err.stack) diagnosticLines(stderr, err.stack);
    return err.exitCode;
  }
  // Not one of ours: a bug. Say so in one line; the stack is there with --verbose.
  const message = err instanceof Error ? err.message : String(err);
  diagnostic(stderr, `papers: unexpected error: ${message}${verbose ? '' : ' (run with --verbose for details)'}`);
  if (verbose && err instanceof Error && err.stack) diagnosticLines(stderr, err.stack);
  return ExitCode.Internal;
}

/** The database path, or null when it cannot even be resolved. */
function safePath(app: App): string | null {
  try {
    return app.dbPath();
  } catch {
    return null;
  }
}

/**
 * Entry point: parse argv, run the command against `io` (this process's by default, a
 * test's buffered one otherwise) and return the exit code. Without `io`, the code also
 * becomes the process's exit code.
 */
export async function main(argv: string[], io?: IO): Promise<number> {
  // A message that cannot be written (stderr on a full disk, a closed pipe) has nowhere to
  // go: drop it rather than crash with exit 1, so the exit code still says what happened.
  if (!io) process.stderr.on('error', () => {});
  const code = await run(argv, io ?? processIO());
  if (!io) process.exitCode = code;
  return code;
}

/** One run of the program on `io`: nothing of it outlives the run (database, signal handlers). */
async function run(argv: string[], io: IO): Promise<number> {
  let app: App | null = null;
  const interrupt = interruption(io);
  // Built on first use, once commander has parsed the global flags.
  const getApp = (): App => {
    if (!app) {
      const g = program.opts<GlobalFlags>();
      const config = loadConfig(io.env);
      // Precedence flag > env > config > default: --color beats NO_COLOR & co., which beat the file.
      const colorEnv = ['NO_COLOR', 'FORCE_COLOR', 'CLICOLOR', 'CLICOLOR_FORCE'].some((k) => io.env[k]);
      const color = program.getOptionValueSource('color') === 'cli' || colorEnv ? g.color : (config.color ?? g.color);
      const ctx = contextFor(io, color);
      // fromUtc: an invalid date, or one off the calendar (years 0001–9999), whose day no flag could name.
      if (!fromUtc(ctx.now)) throw new UsageError(`PAPERS_NOW is not a valid date (${CALENDAR})`);
      app = createApp(ctx, g.db, g.verbose === true, interrupt.signal);
      app.usePager = g.pager !== false;
      app.config = config;
    }
    return app;
  };
  const program = buildProgram(getApp, commandIn(argv), io);
  const verbose = argv.includes('--verbose');
  let code = 0;
  try {
    await program.parseAsync(argv);
    // Interrupted while finishing up (the command did not notice): still exit 130.
    if (interrupt.aborted()) throw new InterruptedError();
  } catch (err) {
    // help and version exit 0; everything else commander rejects is a usage error.
    if (err instanceof CommanderError) code = err.exitCode === 0 ? 0 : ExitCode.Usage;
    else code = report(io.stderr, err, verbose, app ? safePath(app) : null);
  }
  try {
    // A write can fail after the command returned (a pipe reports it later): success or
    // "nothing matched" must not hide it. A run that already failed keeps its own error.
    if (code === 0 || code === ExitCode.NoResults) await io.stdout.flush();
  } catch (err) {
    code = report(io.stderr, err, verbose, null);
  } finally {
    (app as App | null)?.close();
    interrupt.dispose();
  }
  return code;
}

/**
 * Ctrl-C handling for commands that wait on the network. The first SIGINT (or SIGTERM)
 * aborts the signal: requests stop, nothing more is stored, the command ends with exit 130
 * and the database as its last finished transaction left it; a second one ends the process
 * (`processIO`). The handlers are installed only when a command asks for the signal: the
 * others keep Node's default, which ends the process at once even inside a long synchronous query.
 */
function interruption(io: IO): { signal: () => AbortSignal; aborted: () => boolean; dispose: () => void } {
  let controller: AbortController | null = null;
  let stop = () => {};
  return {
    signal() {
      if (!controller) {
        const c = (controller = new AbortController());
        stop = io.trapInterrupts?.(() => c.abort()) ?? stop;
      }
      return controller.signal;
    },
    aborted: () => controller?.signal.aborted === true,
    dispose: () => stop(),
  };
}
