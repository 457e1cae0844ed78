/**
 * The one object every command gets instead of reading `process.*` (gh's IOStreams):
 * streams, whether they are terminals, the color level, the screen size, and the clock.
 * It is derived from an `IO` — this process's (`processIO`) or a test's, so a command runs
 * in-process against buffered streams exactly as it runs for a user.
 */
import { processOutput, type Output } from './output.js';

/** Chalk-compatible color level: 0 none, 1 basic, 2 256 colors, 3 truecolor. */
export type ColorLevel = 0 | 1 | 2 | 3;

export interface Context {
  /** Standard output: every write checked (src/output.ts). */
  stdout: Output;
  stderr: NodeJS.WritableStream;
  stdoutIsTTY: boolean;
  stderrIsTTY: boolean;
  color: ColorLevel;
  /** Columns to wrap to on a TTY. */
  width: number;
  /** Lines on the terminal's screen: what the pager's first screen can hold, plus its prompt. */
  height: number;
  now: Date;
  env: NodeJS.ProcessEnv;
  /** Standard input (`import -`, `seen -`). */
  stdin: AsyncIterable<Buffer>;
}

/** What the program runs against: the process's streams, environment, terminal and clock, or a test's. */
export interface IO {
  stdin: AsyncIterable<Buffer>;
  stdout: Output;
  stderr: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
  /** Whether the real stdout / stderr are terminals (before PAPERS_FORCE_TTY). */
  stdoutIsTTY: boolean;
  stderrIsTTY: boolean;
  /** The terminal's color depth in bits (used only when stdout is a terminal). */
  colorDepth: number;
  /** The terminal's size, when stdout is one. */
  columns?: number;
  rows?: number;
  /** The time when PAPERS_NOW does not set it. */
  clock(): Date;
  /**
   * Call `onInterrupt` on Ctrl-C (SIGINT) or SIGTERM; returns the function that stops
   * listening. Absent when nothing can interrupt the run (tests abort through their own signal).
   */
  trapInterrupts?(onInterrupt: () => void): () => void;
}

/** `--color` values. */
export type ColorMode = 'auto' | 'always' | 'never';

/**
 * Decide the color level once (STYLE.md §3; chalk alone ignores NO_COLOR on a TTY):
 * --color wins; then NO_COLOR (non-empty) or CLICOLOR=0 turn it off; FORCE_COLOR or
 * CLICOLOR_FORCE turn it on; otherwise only a TTY stdout gets color.
 */
export function decideColor(mode: ColorMode, env: NodeJS.ProcessEnv, isTTY: boolean, depth: number): ColorLevel {
  const tty: ColorLevel = depth >= 24 ? 3 : depth >= 8 ? 2 : 1;
  if (mode === 'never') return 0;
  if (mode === 'always') return isTTY ? tty : 1;
  if (env.NO_COLOR) return 0;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '') {
    const n = env.FORCE_COLOR === 'true' ? 1 : Number(env.FORCE_COLOR);
    if (n === 0 || env.FORCE_COLOR === 'false') return 0;
    return (Number.isInteger(n) && n >= 1 && n <= 3 ? n : 1) as ColorLevel;
  }
  if (env.CLICOLOR_FORCE && env.CLICOLOR_FORCE !== '0') return isTTY ? tty : 1;
  if (env.CLICOLOR === '0') return 0;
  return isTTY ? tty : 0;
}

/** The screen height: `LINES` when a positive whole number, else the terminal's rows, else 24. */
export function screenHeight(env: NodeJS.ProcessEnv, rows: number | undefined): number {
  const lines = env.LINES?.trim() ?? '';
  if (/^\d+$/.test(lines) && Number(lines) > 0) return Number(lines);
  return rows !== undefined && rows > 0 ? rows : 24;
}

/** This process's IO, and how it ends (`end`). */
export type ProcessIO = IO & {
  /**
   * End the process with `code`, once the run is over. An interrupted run (130) ends by the
   * signal itself (Ctrl-C: SIGINT, else the SIGTERM it got), as git does after its cleanup:
   * the shell still shows 130 (143), but only a process that died of the signal stops a
   * shell loop or xargs — one that exits 130 by itself looks like it handled the Ctrl-C.
   */
  end(code: number): Promise<void>;
};

/** End this process by `signal`, its default action (our listeners off): as if never trapped. */
function dieOf(signal: NodeJS.Signals): void {
  process.removeAllListeners(signal);
  process.kill(process.pid, signal);
}

/** This process's IO. A second Ctrl-C (or SIGTERM) ends the process at once, by that signal. */
export function processIO(): ProcessIO {
  let received: NodeJS.Signals | null = null;
  const tty = process.stdout.isTTY === true;
  return {
    // A getter: process.stdin builds a stream (a socket for a pipe or a terminal) when first
    // read, a few ms of start-up that only commands reading stdin should pay.
    get stdin() {
      return process.stdin;
    },
    stdout: processOutput(),
    stderr: process.stderr,
    env: process.env,
    stdoutIsTTY: tty,
    stderrIsTTY: process.stderr.isTTY === true,
    colorDepth: tty ? process.stdout.getColorDepth() : 8,
    columns: tty ? process.stdout.columns : undefined,
    rows: tty ? process.stdout.rows : undefined,
    clock: () => new Date(),
    trapInterrupts(onInterrupt) {
      let interrupted = false;
      const onSignal = (signal: NodeJS.Signals) => {
        received = signal;
        if (interrupted) {
          // (On Windows, killing oneself is a forced end with no status: exit 130 there.)
          if (process.platform !== 'win32') dieOf(signal);
          process.exit(130);
        }
        interrupted = true;
        onInterrupt();
      };
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
      return () => {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      };
    },
    async end(code) {
      process.exitCode = code;
      if (code !== 130 || process.platform === 'win32') return;
      // The interruption's line first: stderr into a pipe can still hold it.
      const stderr = process.stderr;
      if (stderr.writableLength > 0) await new Promise((done) => stderr.once('drain', done).once('error', done));
      dieOf(received ?? 'SIGINT');
    },
  };
}

/**
 * The context of a run on `io`. `PAPERS_FORCE_TTY=1` makes stdout count as a terminal (the
 * terminal view in a pipe, for `less -R`, recordings and tests); `COLUMNS` overrides the
 * width, `LINES` the height, `PAPERS_NOW` the clock.
 */
export function contextFor(io: IO, colorMode: ColorMode): Context {
  const env = io.env;
  const forced = env.PAPERS_FORCE_TTY === '1';
  // COLUMNS only when a whole number of columns (not -5, 1e9 or Infinity): every line is cut to it.
  const columns = (/^\d{1,4}$/.test(env.COLUMNS?.trim() ?? '') && Number(env.COLUMNS)) || (io.stdoutIsTTY ? io.columns : 0) || 80;
  return {
    stdout: io.stdout,
    stderr: io.stderr,
    get stdin() {
      return io.stdin;
    },
    stdoutIsTTY: forced || io.stdoutIsTTY,
    stderrIsTTY: forced || io.stderrIsTTY,
    // Color follows the real terminal: a forced one in a pipe (`| less -R`) gets the layout,
    // and color only when asked (`--color always`, FORCE_COLOR), as gh does with GH_FORCE_TTY.
    color: decideColor(colorMode, env, io.stdoutIsTTY, io.stdoutIsTTY ? io.colorDepth : 8),
    width: Math.max(20, Math.min(columns, 400)),
    height: screenHeight(env, io.stdoutIsTTY ? io.rows : undefined),
    now: env.PAPERS_NOW ? new Date(env.PAPERS_NOW) : io.clock(),
    env,
  };
}
