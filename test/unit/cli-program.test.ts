/**
 * Start-up declares only the command argv names (commandIn): the shortcut must name the
 * command commander would run, or none, and the one-command program must be that command.
 */
import { describe, expect, test } from 'vitest';
import { buildProgram, commandIn } from '../../src/cli.js';

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
  const all = buildProgram(never).commands.map((c) => c.name());

  test('every command but help and completion can be declared alone, and is then the only one', () => {
    const single = all.filter((name) => name !== 'help' && name !== 'completion');
    for (const name of single) {
      expect(commandIn(argv(name)), name).toBe(name);
      const program = buildProgram(never, name);
      expect(program.commands.map((c) => c.name())).toEqual([name]);
      // The same command as in the full program: options and subcommands alike.
      const full = buildProgram(never).commands.find((c) => c.name() === name)!;
      const alone = program.commands[0]!;
      expect(alone.options.map((o) => o.flags)).toEqual(full.options.map((o) => o.flags));
      expect(alone.commands.map((c) => c.name())).toEqual(full.commands.map((c) => c.name()));
    }
    expect(all).toEqual(expect.arrayContaining(['help', 'completion', ...single]));
    expect(all).toHaveLength(single.length + 2);
  });

  test('global options are declared either way', () => {
    const flags = (p: ReturnType<typeof buildProgram>) => p.options.map((o) => o.flags);
    expect(flags(buildProgram(never, 'today'))).toEqual(flags(buildProgram(never)));
  });
});
