import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Argument, Command, Option } from 'commander';
import { describe, expect, test } from 'vitest';
import { filterOptions } from '../../src/commands/_options.js';
import { ARXIV_CATEGORIES, completionScript, EXPORT_FORMATS, SHELLS, SOURCE_VALUES, type Shell } from '../../src/completion.js';
import { FIELD_PATHS } from '../../src/render/fields.js';
import { FORMAT_NAMES } from '../../src/sources/registry.js';

/**
 * A small program shaped like src/cli.ts's, fixed here so the completion walk is checked
 * against a known shape: commands with their own arguments (export, completion) and a
 * nested `cache` group. The real program's completions are tested in test/commands.
 */
function fakeProgram(): Command {
  const program = new Command('papers')
    .version('0.0.0', '-V, --version', 'print the version')
    .option('--db <path>', 'database file (default: $PAPERS_DB)')
    .addOption(new Option('--color <when>', 'color output').choices(['auto', 'always', 'never']).default('auto'))
    .option('--verbose', 'print stack traces of errors');
  program
    .command('import')
    .description('import saved listings: HF API JSON, a saved HF page (HTML), or papers JSONL')
    .argument('<files...>', 'files to import')
    .option('--format <name>', 'force the format')
    .option('--date <day>', 'listing day');
  // filterOptions declares --source, --category and --format itself.
  const withFilters = (cmd: Command) => filterOptions().forEach((o) => cmd.addOption(o));
  withFilters(program.command('list').alias('ls').description("list the papers of a day [default: the latest] (it's fast)"));
  withFilters(program.command('search').description('full-text search').argument('<terms...>', 'words to find'));
  program.command('show').description('show one paper').argument('<paper>', 'an id').option('--json', 'JSON');
  program
    .command('export')
    .description('export papers')
    .option('--format <format>', 'output format')
    .option('-o, --output <file>', 'write to FILE atomically')
    .option('--fields <list>', 'fields');
  program.command('completion').description('print a completion script').addArgument(new Argument('<shell>').choices(['bash', 'zsh', 'fish']));
  const cache = program.command('cache').description('the database');
  cache.command('path').description('where it is');
  cache.command('stats').description('counts').option('--json', 'JSON');
  return program;
}

const has = (cmd: string) => spawnSync(cmd, ['--version'], { stdio: 'ignore' }).status === 0;
const dir = mkdtempSync(join(tmpdir(), 'papers-completion-'));
const scriptFile = (shell: Shell, program = fakeProgram()) => {
  const file = join(dir, `papers.${shell}`);
  writeFileSync(file, completionScript(shell, program));
  return file;
};

describe('completionScript: content', () => {
  test.each(SHELLS)('%s: every command, alias and long option of the program is in the script', (shell) => {
    const script = completionScript(shell, fakeProgram());
    const program = fakeProgram();
    const names = program.commands.flatMap((c) => [c.name(), ...c.aliases(), ...c.commands.map((s) => s.name())]);
    const longs = [program, ...program.commands].flatMap((c) => c.options.map((o) => o.long!.replace(/^--/, '')));
    for (const n of names) expect(script, n).toContain(n);
    for (const l of longs) expect(script, l).toContain(l);
  });

  test.each(SHELLS)('%s: value lists for --format (import and export), --source, --sort, --color, <shell>', (shell) => {
    const script = completionScript(shell, fakeProgram());
    for (const v of [...FORMAT_NAMES, ...EXPORT_FORMATS, ...SOURCE_VALUES, 'upvotes', 'never', 'zsh']) expect(script, v).toContain(v);
  });

  test('the value tables', () => {
    expect(EXPORT_FORMATS).toEqual(['jsonl', 'json', 'csv', 'tsv', 'md', 'bibtex']);
    expect(SOURCE_VALUES.slice(0, 2)).toEqual(['hf', 'arxiv']);
    for (const c of ['cs.LG', 'cs.CL', 'cs.CV', 'cs.AI', 'stat.ML']) expect(SOURCE_VALUES).toContain(`arxiv:${c}`);
    expect(SOURCE_VALUES.length).toBe(2 + ARXIV_CATEGORIES.length);
  });
});

describe('completionScript: syntax', () => {
  test('bash -n accepts it', () => {
    const r = spawnSync('bash', ['-n', scriptFile('bash')], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
  // zsh and fish are not installed on every machine (not on the one this was written on);
  // the check runs wherever they are.
  test.skipIf(!has('zsh'))('zsh -n accepts it', () => {
    const r = spawnSync('zsh', ['-n', scriptFile('zsh')], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
  test.skipIf(!has('fish'))('fish --no-execute accepts it', () => {
    const r = spawnSync('fish', ['--no-execute', scriptFile('fish')], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
});

describe('bash completion, run', () => {
  const file = scriptFile('bash');
  const cwd = mkdtempSync(join(tmpdir(), 'papers-complete-cwd-'));
  for (const f of ['a.json', 'b.json', 'notes.txt']) writeFileSync(join(cwd, f), '');
  // bash's default COMP_WORDBREAKS (plus '@', as newer versions have it).
  const BREAKS = ` \t\n"'@><=;|&(:`;
  /** COMPREPLY for the line typed so far, as bash would set it for TAB at the end. */
  const complete = (line: string, breaks = BREAKS): string[] => {
    const r = spawnSync(
      'bash',
      ['--norc', '--noprofile', '-c', 'source "$1"; COMP_WORDBREAKS=$2; COMP_LINE=$3; COMP_POINT=${#COMP_LINE}; _papers; printf "%s\\n" "${COMPREPLY[@]}"', 'bash', file, breaks, line],
      { encoding: 'utf8', cwd },
    );
    expect(r.stderr).toBe('');
    return r.stdout.split('\n').filter((l) => l !== '');
  };

  // [line typed, COMPREPLY]
  test.each<[string, string[]]>([
    ['papers ', ['import', 'list', 'ls', 'search', 'show', 'export', 'completion', 'cache', 'help']],
    ['papers l', ['list', 'ls']],
    ['papers --', ['--version', '--db', '--color', '--verbose', '--help']],
    ['papers list --so', ['--sort', '--source']],
    ['papers ls --sort u', ['upvotes']],
    ['papers --db x.db list --sort ', ['rank', 'upvotes', 'date', 'title', 'fit']],
    // ':' and '=' are word breaks to bash: only what follows them is replaced.
    ['papers list --source arxiv:cs.L', ['cs.LG']],
    ['papers list --source arxiv:st', ['stat.ML']],
    ['papers list --source h', ['hf']],
    ['papers --color=n', ['never']],
    ['papers list --color a', ['auto', 'always']],
    ['papers import --format ', FORMAT_NAMES],
    ['papers export --format b', ['bibtex']],
    ['papers import ', ['a.json', 'b.json', 'notes.txt']],
    ['papers import a', ['a.json']],
    ['papers export -o n', ['notes.txt']],
    ['papers --db=b', ['b.json']],
    ['papers export --fields id,urls.', ['id,urls.hf', 'id,urls.arxiv', 'id,urls.pdf']],
    ['papers export --fields=id,ti', ['id,title']],
    ['papers completion ', ['bash', 'zsh', 'fish']],
    ['papers cache ', ['path', 'stats', 'help']],
    ['papers cache stats --j', ['--json']],
    ['papers help s', ['search', 'show']],
    // A value that is not an option's is not taken for the subcommand.
    ['papers --db list ', ['import', 'list', 'ls', 'search', 'show', 'export', 'completion', 'cache', 'help']],
    ['papers search --limit 3 sparse ', []],
    ['papers show 2506.05176 --', ['--json', '--help', '--version', '--db', '--color', '--verbose']],
  ])('%j', (line, expected) => {
    expect(complete(line)).toEqual(expected);
  });

  test('without ":" and "=" in COMP_WORDBREAKS, whole words are replaced', () => {
    expect(complete('papers list --source arxiv:cs.L', ' \t\n')).toEqual(['arxiv:cs.LG']);
    expect(complete('papers --color=n', ' \t\n')).toEqual(['--color=never']);
  });
});

describe('the real program', () => {
  // src/cli.ts builds its program inside main(); once it exports buildProgram, this runs
  // against the real commands instead of the look-alike above.
  test('completes every real command (when src/cli.ts exports buildProgram)', async (ctx) => {
    const cli = (await import('../../src/cli.js')) as Record<string, unknown>;
    const build = cli.buildProgram as ((getApp: () => never) => Promise<Command>) | undefined;
    if (typeof build !== 'function') return ctx.skip();
    const program = await build(() => {
      throw new Error('completion must not run a command');
    });
    for (const shell of SHELLS) {
      const script = completionScript(shell, program);
      for (const c of program.commands) expect(script).toContain(c.name());
    }
    expect(spawnSync('bash', ['-n', scriptFile('bash', program)]).status).toBe(0);
  });
});
