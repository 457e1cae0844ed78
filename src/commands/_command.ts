/**
 * One command, declared once: its name, help, arguments and options, and the run that gets
 * their parsed values. A command module's default export is one (or, for a family such as
 * read/unread/star/unstar, a list); src/cli.ts adds them to the program.
 */
import { Argument, Option, type Command } from 'commander';
import type { App } from '../app.js';

/** What a command module declares: `O` is what its run gets, options and named arguments alike. */
export interface CommandSpec<O = never> {
  name: string;
  aliases?: readonly string[];
  /** The one-line description of `papers help`. */
  summary: string;
  /** Positional arguments: each value lands in the run's options under the argument's name (`<terms...>` → `terms`). */
  args?: readonly Argument[];
  options?: readonly Option[];
  /** A paragraph of `--help` between the options and the examples. */
  notes?: string;
  /** Command lines shown under "Examples:" in `--help` (without the `$ `). */
  examples?: readonly string[];
  subcommands?: readonly CommandSpec<never>[];
  /** Runs the command; a group of subcommands has none. */
  run?: (opts: O, app: App) => Promise<void>;
}

/** A command module's declaration, typed by what its run gets. */
export function defineCommand<O>(spec: CommandSpec<O>): CommandSpec<never> {
  return spec as unknown as CommandSpec<never>;
}

/**
 * Plain options (no parser, choices or default), laid out as `--help` shows them: one a
 * line, its flags, two spaces or more, its description.
 */
export function optionTable(table: TemplateStringsArray): Option[] {
  return table[0]!
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => {
      const [, flags, description] = /^(\S.*?) {2,}(\S.*)$/.exec(line) ?? [];
      if (!flags || !description) throw new Error(`optionTable: "${line}" needs its flags, two spaces, then its description`);
      return new Option(flags, description);
    });
}

/** An argument for CommandSpec.args. */
export function argument(name: string, description?: string): Argument {
  return new Argument(name, description);
}

/**
 * Add `spec` to `parent` (commander copies the parent's settings into a command it creates).
 * `getApp` is called once the command line is parsed, right before the run.
 */
export function declareCommand(parent: Command, spec: CommandSpec<never>, getApp: () => App): Command {
  const cmd = parent.command(spec.name).description(spec.summary);
  for (const alias of spec.aliases ?? []) cmd.alias(alias);
  for (const arg of spec.args ?? []) cmd.addArgument(arg);
  for (const option of spec.options ?? []) cmd.addOption(option);
  const help = helpAfter(spec);
  if (help) cmd.addHelpText('after', help);
  for (const sub of spec.subcommands ?? []) declareCommand(cmd, sub, getApp);
  const run = spec.run as ((opts: Record<string, unknown>, app: App) => Promise<void>) | undefined;
  if (run) {
    cmd.action(async (...values: unknown[]) => {
      // commander passes the arguments' values, then the options, then the command.
      const opts: Record<string, unknown> = { ...(values[values.length - 2] as Record<string, unknown>) };
      cmd.registeredArguments.forEach((arg, i) => (opts[arg.name()] = values[i]));
      await run(opts, getApp());
    });
  }
  return cmd;
}

/** The text `--help` prints after the options: the notes, then the examples. */
function helpAfter(spec: CommandSpec<never>): string {
  const examples = spec.examples?.length ? `Examples:\n${spec.examples.map((e) => `  $ ${e}`).join('\n')}` : '';
  const parts = [spec.notes, examples].filter(Boolean);
  return parts.length ? `\n${parts.join('\n\n')}` : '';
}
