/**
 * Start-up declares only the command argv names (commandIn): the shortcut must name the
 * command commander would run, or none, and the one-command program must be that command.
 */
import { describe, expect, test } from 'vitest';
import type { Command } from 'commander';
import { buildProgram, commandIn } from '../../src/cli.js';
import { UsageError } from '../../src/errors.js';
import { optionTable } from '../../src/commands/_command.js';

const never = (): never => {
  throw new Error('no command runs here');
};
const argv = (...args: string[]) => ['node', 'papers', ...args];

describe('commandIn', () => {
  test.each([
    [['today'], 'today'],
    [['today', '--offline', '--json'], 'today'],
    [['ls', '--date', 'yesterday'], 'list'],
    [['--db', '/tmp/x.db', 'search', 'diffusion'], 'search'],
    [['--db=/tmp/today', '--color', 'never', '--verbose', '--no-pager', 'show', '3'], 'show'],
    [['--color=always', 'cache', 'stats'], 'cache'],
    // The value of --db is not a command, even when it looks like one.
    [['--db', 'today', 'list'], 'list'],
  ])('%j runs %s', (args, name) => {
    expect(commandIn(argv(...args))).toBe(name);
  });

  test.each([[[]], [['--help']], [['-V']], [['--db']], [['help', 'today']], [['completion', 'bash']], [['lst']], [['--bogus', 'today']], [['--', 'today']]])(
    '%j: unsure, every command is declared',
    (args) => {
      expect(commandIn(argv(...args))).toBeUndefined();
    },
  );
});

describe('buildProgram with one command', () => {
  test('every command but help and completion can be declared alone, and is then the only one', async () => {
    const all = (await buildProgram(never)).commands.map((c) => c.name());
    const single = all.filter((name) => name !== 'help' && name !== 'completion');
    for (const name of single) {
      expect(commandIn(argv(name)), name).toBe(name);
      const program = await buildProgram(never, name);
      expect(program.commands.map((c) => c.name())).toEqual([name]);
      // The same command as in the full program: options and subcommands alike.
      const full = (await buildProgram(never)).commands.find((c) => c.name() === name)!;
      const alone = program.commands[0]!;
      expect(alone.options.map((o) => o.flags)).toEqual(full.options.map((o) => o.flags));
      expect(alone.commands.map((c) => c.name())).toEqual(full.commands.map((c) => c.name()));
    }
    expect(all).toEqual(expect.arrayContaining(['help', 'completion', ...single]));
    expect(all).toHaveLength(single.length + 2);
  });

  test('every alias of a command leads commandIn to it', async () => {
    for (const cmd of (await buildProgram(never)).commands) {
      for (const alias of cmd.aliases()) expect(commandIn(argv(alias)), alias).toBe(cmd.name());
    }
  });

  test('global options are declared either way', async () => {
    const flags = (p: Command) => p.options.map((o) => o.flags);
    expect(flags(await buildProgram(never, 'today'))).toEqual(flags(await buildProgram(never)));
  });
});

describe('options parsed as commander reads them', () => {
  const parse = async (...args: string[]) => {
    let got: Record<string, unknown> | undefined;
    const program = await buildProgram(() => {
      throw new Error('stop');
    }, 'list');
    program.commands[0]!.action((opts: Record<string, unknown>) => void (got = opts));
    await program.parseAsync(argv('list', ...args));
    return got!;
  };

  test('counts, sources and categories arrive typed', async () => {
    expect(await parse('--limit', '5', '--min-upvotes', '0', '--source', ' arxiv:cs.LG ', '--category', 'cs.CL', '--sort', 'upvotes')).toMatchObject({
      limit: 5,
      minUpvotes: 0,
      source: 'arxiv:cs.LG',
      category: 'cs.CL',
      sort: 'upvotes',
    });
  });

  test.each([
    [['--limit', '0'], 'invalid --limit "0": expected a whole number from 1 to'],
    [['--min-upvotes', 'x'], 'invalid --min-upvotes "x"'],
    [['--source', 'bogus'], 'invalid --source "bogus"'],
    [['--category', 'BAD!'], 'invalid --category "BAD!"'],
  ])('%j is a usage error before any run', async (args, message) => {
    await expect(parse(...args)).rejects.toSatisfy((err: unknown) => err instanceof UsageError && err.message.startsWith(message));
  });
});

describe('optionTable', () => {
  test('one option a line: flags, two spaces or more, description', () => {
    const options = optionTable`
      -o, --output <file>  write to FILE
      --json               print a \`JSON\` array, e.g. [{a: 1}]
    `;
    expect(options.map((o) => [o.flags, o.description])).toEqual([
      ['-o, --output <file>', 'write to FILE'],
      ['--json', 'print a `JSON` array, e.g. [{a: 1}]'],
    ]);
  });

  test('a line without a description is a mistake in the table', () => {
    expect(() => optionTable`
      --json print a JSON array
    `).toThrow(/needs its flags, two spaces/);
  });
});
