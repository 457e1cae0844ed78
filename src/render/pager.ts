/**
 * Long terminal output goes through a pager, as git and gh do: `$PAGER`, default
 * `less -FRX` (quit if one screen, keep colors, leave the text on screen).
 * Never when stdout is not a terminal; `--no-pager` or an empty PAGER turn it off.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** A running pager: write to `stdin`; `close()` ends the input and waits for the user to quit. */
export interface Pager {
  stdin: NodeJS.WritableStream;
  close(): Promise<void>;
}

/** The pager command to run, or null for none (PAGER set but empty, or its program not installed). */
export function pagerCommand(env: NodeJS.ProcessEnv, configured?: string | null): string | null {
  const cmd = (env.PAGER ?? configured ?? 'less -FRX').trim();
  if (cmd === '') return null;
  // A missing pager would swallow the output (the shell prints "not found" and exits):
  // check the program exists, and print directly if it does not.
  const program = cmd.split(/\s+/)[0]!;
  return onPath(program, env.PATH ?? '') ? cmd : null;
}

/** True when `program` is a path to a file or is found in one of PATH's folders. */
function onPath(program: string, path: string): boolean {
  if (program.includes('/')) return existsSync(program);
  return path.split(delimiter).some((dir) => dir !== '' && existsSync(join(dir, program)));
}

/** Start the pager through the shell (PAGER may carry arguments). */
export function startPager(command: string, env: NodeJS.ProcessEnv): Pager {
  // less without -R would print color codes literally; git sets LESS=FRX for the same reason.
  const childEnv = { ...env, LESS: env.LESS ?? 'FRX', LV: env.LV ?? '-c' };
  const child: ChildProcess = spawn(command, { shell: true, stdio: ['pipe', 'inherit', 'inherit'], env: childEnv });
  const giveBack = holdCtrlC();
  const exited = new Promise<void>((resolve) => {
    child.once('close', () => resolve());
    child.once('error', () => resolve());
  }).finally(giveBack);
  // The user quitting the pager early closes its input: not an error.
  child.stdin!.on('error', () => {});
  return {
    stdin: child.stdin!,
    async close() {
      child.stdin!.end();
      await exited;
    },
  };
}

/** How many pagers hold Ctrl-C, and the listeners the first one took (see holdCtrlC). */
let held = 0;
let heldListeners: NodeJS.SignalsListener[] = [];
const ignoreCtrlC = () => {};

/**
 * While the pager runs, Ctrl-C is the pager's: the terminal sends it to the whole foreground
 * group, and less takes it to stop a search or a wait. This process, all its output handed
 * over, only waits; dying of it (Node's default) or ending as interrupted would give the
 * terminal back to the shell while less still draws on it. So, as git waits for its pager,
 * SIGINT is ignored until the pager exits; then the listeners it had are back.
 */
function holdCtrlC(): () => void {
  // Pagers at once (in-process tests): the first takes the listeners, the last gives them back.
  if (held++ === 0) {
    heldListeners = process.listeners('SIGINT');
    process.removeAllListeners('SIGINT');
    process.on('SIGINT', ignoreCtrlC);
  }
  let given = false;
  return () => {
    if (given) return;
    given = true;
    if (--held > 0) return;
    process.off('SIGINT', ignoreCtrlC);
    for (const listener of heldListeners) process.on('SIGINT', listener);
    heldListeners = [];
  };
}

