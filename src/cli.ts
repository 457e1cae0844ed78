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
import { expandJsonFields } from './commands/_options.js';
import { declareCommand, type CommandSpec } from './commands/_command.js';
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
  130  interrupted (Ctrl-C; ended by the signal, so shell loops stop too)`;

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

/** A command module: its default export declares one command, or a family of them (read, unread…). */
type CommandModule = { default: CommandSpec | readonly CommandSpec[] };

/**
 * Every command, in the order of `papers --help`, each loaded only when declared. `help` and
 * `completion` are the program's own (they read it) and are declared here.
 */
const COMMANDS: Record<string, (() => Promise<CommandModule>) | 'program'> = {
  import: () => import('./commands/import.js'),
  fetch: () => import('./commands/fetch.js'),
  today: () => import('./commands/today.js'),
  inbox: () => import('./commands/inbox.js'),
  digest: () => import('./commands/digest.js'),
  list: () => import('./commands/list.js'),
  search: () => import('./commands/search.js'),
  grep: () => import('./commands/grep.js'),
  similar: () => import('./commands/similar.js'),
  trend: () => import('./commands/trend.js'),
  open: () => import('./commands/open.js'),
  read: () => import('./commands/marks.js'),
  unread: () => import('./commands/marks.js'),
  star: () => import('./commands/marks.js'),
  unstar: () => import('./commands/marks.js'),
  seen: () => import('./commands/seen.js'),
  unseen: () => import('./commands/seen.js'),
  watch: () => import('./commands/watch.js'),
  dismiss: () => import('./commands/dismiss.js'),
  undismiss: () => import('./commands/dismiss.js'),
  ignore: () => import('./commands/ignore.js'),
  export: () => import('./commands/export.js'),
  completion: 'program',
  help: 'program',
  cache: () => import('./commands/cache.js'),
  show: () => import('./commands/show.js'),
  cite: () => import('./commands/cite.js'),
};

/** Top-level aliases, so that commandIn knows them before any command module is loaded. */
const ALIASES: Record<string, string> = { ls: 'list' };

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
    const name = ALIASES[arg] ?? arg;
    return Object.hasOwn(COMMANDS, name) && COMMANDS[name] !== 'program' ? name : undefined;
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
export async function buildProgram(getApp: () => App, only?: string, io: Pick<IO, 'stdout' | 'stderr'> = processIO()): Promise<Command> {
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

  const names = Object.keys(COMMANDS).filter((name) => only === undefined || only === name);
  // Loaded together, declared in order; a module of several commands (marks) is loaded once.
  const modules = await Promise.all(names.map((name) => (COMMANDS[name] === 'program' ? null : (COMMANDS[name] as () => Promise<CommandModule>)())));
  names.forEach((name, i) => {
    if (name === 'completion') return declareCompletion(program, io.stdout);
    if (name === 'help') return declareHelp(program, io.stdout);
    const specs = [modules[i]!.default].flat();
    declareCommand(program, specs.find((spec) => spec.name === name)!, getApp);
  });
  return program;
}

/** `papers completion SHELL`: a script generated from the program itself. */
function declareCompletion(program: Command, stdout: IO['stdout']): void {
  program
    .command('completion')
    .description('print a shell completion script (see README for how to install it)')
    .addArgument(new Argument('<shell>', 'the shell').choices(['bash', 'zsh', 'fish']))
    .addHelpText('after', `\nExamples:\n  $ papers completion bash > ~/.local/share/bash-completion/completions/papers\n  $ papers completion zsh > ~/.zfunc/_papers\n  $ papers completion fish > ~/.config/fish/completions/papers.fish`)
    .action(async (shell: 'bash' | 'zsh' | 'fish') => {
      const { completionScript } = await import('./completion.js');
      await stdout.write(completionScript(shell, program));
    });
}

/** `papers help [TOPIC]`: a command's help, or a topic of the program's own. */
function declareHelp(program: Command, stdout: IO['stdout']): void {
  program
    .command('help')
    .description('help on a command, or on a topic: exit-codes, json')
    .argument('[topic]', 'a command name, exit-codes, or json')
    .action(async (topic?: string) => {
      if (!topic) return program.outputHelp();
      if (topic === 'exit-codes') return stdout.write(EXIT_CODES + '\n');
      if (topic === 'json') return stdout.write(jsonHelp());
      const cmd = program.commands.find((c) => c.name() === topic || c.aliases().includes(topic));
      if (!cmd) throw new UsageError(`no help topic "${topic}": use a command name, exit-codes or json`);
      cmd.outputHelp();
    });
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
  return `JSON output (--json, --jsonl, export --format json|jsonl): one object per paper.\nFields may be added in any release; renames and removals wait for a major version.\n\n${lines.join('\n')}\n\nSelecting fields (list, today, search, grep, similar, show, export):\n  --json --fields id,title,urls.pdf    only these fields, in this order (also with --jsonl, --format csv|tsv)\n  --json=id,title,urls.pdf             the same, for short (with the =: --json never takes the next word)\nAn unknown field is a usage error listing the valid ones. show and export also have listings;\nshow --full --json adds fullText (the markdown); grep adds matches (--json, --jsonl), which --fields keeps only when it names it.\n`;
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
 * ends the process (`ProcessIO.end`: an interrupted run by its signal).
 */
export async function main(argv: string[], io?: IO): Promise<number> {
  // A message that cannot be written (stderr on a full disk, a closed pipe) has nowhere to
  // go: drop it rather than crash with exit 1, so the exit code still says what happened.
  if (io) return run(argv, io);
  process.stderr.on('error', () => {});
  const own = processIO();
  const code = await run(argv, own);
  await own.end(code);
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
  const program = await buildProgram(getApp, commandIn(argv), io);
  const verbose = argv.includes('--verbose');
  let code = 0;
  try {
    await program.parseAsync(argv);
    // Ctrl-C after the command's last check, as it was finishing: it did all of its work, but
    // the user asked to stop (a shell loop over `papers` must stop too), so still 130.
    if (interrupt.aborted()) throw new InterruptedError('interrupted just as the command finished; its work is done');
  } catch (err) {
    // help and version exit 0; everything else commander rejects is a usage error.
    if (err instanceof CommanderError) code = err.exitCode === 0 ? 0 : ExitCode.Usage;
    else code = report(io.stderr, err, verbose, app ? safePath(app) : null);
  }
  try {
    // A write can fail after the command returned (a pipe reports it later): success or
    // "nothing matched" must not hide it. A run that already failed keeps its own error.
    if (code === 0 || code === ExitCode.NoResults) await io.stdout.flush();
    // Interrupted: what was printed before the Ctrl-C still reaches the reader, before the
    // process ends by the signal (a second Ctrl-C ends it at once, the trap is still there).
    else if (code === ExitCode.Interrupted) await io.stdout.flush().catch(() => {});
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
 * aborts the signal: requests stop, nothing more is stored, the command ends with 130
 * (`processIO` makes it the signal's own death) and the database as its last finished
 * transaction left it; a second one ends the process at once. The handlers are installed
 * only when a command asks for the signal: the others keep Node's default, which ends the
 * process at once even inside a long synchronous query.
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
