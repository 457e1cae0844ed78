/**
 * The config file: defaults a user sets once (`$XDG_CONFIG_HOME/papers/config.json`,
 * or `$PAPERS_CONFIG`). Strict on purpose: a misspelt key ("colour") or a bad value is
 * an error naming the file and the key, never silently ignored.
 * Precedence everywhere: flag > environment > config file > built-in default.
 */
import { closeSync, constants, fstatSync, openSync, readSync, statSync, type Stats } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { ColorMode } from './context.js';
import { UsageError } from './errors.js';
import { MAX_WATCH_TERMS } from './store/fts-query.js';

/** The settings a config file can hold, validated; absent keys are undefined. */
export interface Config {
  /** Default listing sources for fetching commands: `hf`, `arxiv`, `arxiv:cs.LG`. */
  sources?: string[];
  /** Default arXiv categories (`cs.LG`, `stat.ML`). */
  categories?: string[];
  /** Default `--limit`. */
  limit?: number;
  /** Default `--color`. */
  color?: ColorMode;
  /** Pager command for long TTY output (`less -FRX`); `""` means no pager. */
  pager?: string;
  /** Default `--max-age`, in seconds. */
  maxAge?: number;
  /** Terms for the watch list. */
  watch?: string[];
}

/** Reading the file, injectable for tests. */
export interface ConfigFs {
  /** The file's text; throws Node's errors (code ENOENT when missing) or a ConfigFileError. */
  readFile(path: string): string;
  /** True when something is at `path`, readable or not. */
  exists(path: string): boolean;
}

/** The largest config file read: a config is a few hundred bytes. */
export const MAX_CONFIG_BYTES = 1024 * 1024;

/** A config path that names something other than a readable, small regular file. */
export class ConfigFileError extends Error {}

/** What a non-regular file is, for a message. */
function fileKind(st: Stats): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isFIFO()) return 'a FIFO';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  return 'not a regular file';
}

/**
 * Read a config file: at most MAX_CONFIG_BYTES, counted as read (a file's size can lie:
 * /proc files say 0), and only a regular file. O_NONBLOCK so that opening a FIFO with no
 * writer returns at once; it is then refused by its type before any read.
 */
function readConfigFile(path: string): string {
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new ConfigFileError(`is ${fileKind(st)}, not a file`);
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(64 * 1024);
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      total += n;
      if (total > MAX_CONFIG_BYTES) throw new ConfigFileError(`is larger than ${MAX_CONFIG_BYTES / 1024 / 1024} MB: not a config file`);
      chunks.push(chunk.subarray(0, n));
    }
    return Buffer.concat(chunks).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

const nodeFs: ConfigFs = {
  readFile: readConfigFile,
  exists(path) {
    try {
      statSync(path);
      return true;
    } catch {
      return false;
    }
  },
};

// `hf`, `arxiv`, or `arxiv:` + a category, as `--source` takes them.
const SOURCE = /^(hf|arxiv(:[a-z-]+(\.[A-Za-z-]+)?)?)$/;
// arXiv category: archive, optionally `.` subject class (`cs.LG`, `hep-th`, `astro-ph.CO`).
const CATEGORY = /^[a-z-]+(\.[A-Za-z-]+)?$/;

/** Validators of each key: the value, or a reason ("must be …") to report. */
const KEYS: { [K in keyof Required<Config>]: (v: unknown) => Config[K] | { error: string } } = {
  sources: (v) => stringList(v, SOURCE, 'a list of sources such as "hf", "arxiv", "arxiv:cs.LG"'),
  categories: (v) => stringList(v, CATEGORY, 'a list of arXiv categories such as "cs.LG", "stat.ML"'),
  limit: (v) => (typeof v === 'number' && Number.isSafeInteger(v) && v >= 1 ? v : { error: `must be a whole number from 1 to ${MAX_COUNT}` }),
  color: (v) => (v === 'auto' || v === 'always' || v === 'never' ? v : { error: 'must be "auto", "always" or "never"' }),
  pager: (v) => (typeof v === 'string' ? v : { error: 'must be a string (a command such as "less -FRX", or "" for none)' }),
  maxAge: (v) => {
    if (typeof v !== 'number' && typeof v !== 'string') return { error: DURATION_HELP };
    try {
      return parseDuration(v);
    } catch {
      return { error: DURATION_HELP };
    }
  },
  watch: (v) => {
    const terms = stringList(v, /\S/, 'a list of non-empty terms');
    return Array.isArray(terms) && terms.length > MAX_WATCH_TERMS ? { error: `must hold at most ${MAX_WATCH_TERMS} terms` } : terms;
  },
};

/** The largest count a flag or setting takes: beyond it a JS number is no longer exact, nor a SQLite integer. */
export const MAX_COUNT = Number.MAX_SAFE_INTEGER;

/** The longest duration a flag or setting takes (100 years): longer ones are no longer exact in milliseconds. */
export const MAX_DURATION_SECONDS = 36_500 * 86_400;

/** Valid config keys, for messages and docs. */
export const CONFIG_KEYS = Object.keys(KEYS) as Array<keyof Config>;

const DURATION_HELP = 'must be a duration such as "30m", "1h", "2d", "1h30m", or a number of seconds, at most 36500d';

function stringList(v: unknown, item: RegExp, what: string): string[] | { error: string } {
  if (!Array.isArray(v) || !v.every((s) => typeof s === 'string' && item.test(s))) return { error: `must be ${what}` };
  return v as string[];
}

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 };

/**
 * A duration in seconds. A number is seconds (`90`, from JSON); a string needs units,
 * `s m h d w`, possibly combined (`30m`, `1h30m`, `1.5h`, `2 d`), or is `0`: a bare
 * `"90"` is refused as ambiguous, the way `--max-age` refuses it (src/fetch/settings.ts,
 * whose strings this grammar accepts with the same meaning). Throws UsageError naming
 * `what` (e.g. `--max-age`) on anything else, negative numbers and more than 100 years included.
 */
export function parseDuration(value: string | number, what = 'duration'): number {
  let seconds = NaN;
  if (typeof value === 'number') {
    seconds = value;
  } else {
    const s = value.trim().toLowerCase();
    if (/^0+(\.0+)?$/.test(s)) seconds = 0;
    else if (/^(\d+(\.\d+)?\s*[smhdw]\s*)+$/.test(s)) {
      seconds = 0;
      for (const m of s.matchAll(/(\d+(?:\.\d+)?)\s*([smhdw])/g)) seconds += Number(m[1]) * UNIT_SECONDS[m[2]!]!;
    }
  }
  // `>= 0 && <=` is false for NaN too.
  if (seconds >= 0 && seconds <= MAX_DURATION_SECONDS) return seconds;
  throw new UsageError(`invalid ${what} ${JSON.stringify(value)}: use e.g. 30m, 1h, 2d, 1h30m (or, in the config file, a number of seconds), at most 36500d`);
}

/** `~/…` for paths under the home folder, to keep messages short (the form users type). */
function displayPath(path: string, home: string): string {
  return home && path.startsWith(home + '/') ? '~' + path.slice(home.length) : path;
}

/**
 * Where the config file is: `$PAPERS_CONFIG`, else `$XDG_CONFIG_HOME/papers/config.json`
 * (an absolute XDG path only, per the XDG spec), else `~/.config/papers/config.json`.
 * Null under test (`PAPERS_TEST`) without PAPERS_CONFIG: tests never read the user's file.
 */
export function configPath(env: NodeJS.ProcessEnv, home: string = env.HOME || homedir()): string | null {
  if (env.PAPERS_CONFIG) return env.PAPERS_CONFIG;
  if (env.PAPERS_TEST) return null;
  const base = env.XDG_CONFIG_HOME && env.XDG_CONFIG_HOME.startsWith('/') ? env.XDG_CONFIG_HOME : join(home, '.config');
  return join(base, 'papers', 'config.json');
}

/**
 * Read and validate the config file. A missing file is `{}` (so is no file under test), and
 * so is a default path that cannot be looked at (an unreadable or non-directory `$HOME` or
 * `~/.config`). A file that is there but cannot be read, or is not a small regular file
 * (a directory, a FIFO, a device, more than 1 MB), is a UsageError naming it: its settings
 * would otherwise be silently ignored. So is PAPERS_CONFIG naming anything but a readable
 * file, as well as invalid JSON, a value that is not an object, an unknown key or a bad value.
 */
export function loadConfig(env: NodeJS.ProcessEnv, fs: ConfigFs = nodeFs): Config {
  const home = env.HOME || homedir();
  const path = configPath(env, home);
  // PAPERS_CONFIG=/dev/null: no config file, as GIT_CONFIG_GLOBAL=/dev/null is for git.
  if (!path || path === '/dev/null') return {};
  const shown = displayPath(path, home);
  let text: string;
  try {
    text = fs.readFile(path);
  } catch (err) {
    if (err instanceof ConfigFileError) throw new UsageError(`config file ${shown} ${err.message}`);
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return {};
    // The default path: nothing there that we can see is no config (EACCES or ENOTDIR on a parent).
    if (!env.PAPERS_CONFIG && !fs.exists(path)) return {};
    throw new UsageError(`cannot read config file ${shown}: ${code ?? (err as Error).message}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    throw new UsageError(`${shown}: not valid JSON (${(err as Error).message})`);
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new UsageError(`${shown}: must be a JSON object such as {"limit": 20}`);
  }
  const config: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(data)) {
    // Editors add "$schema" for completion in the file; it is not a setting.
    if (key === '$schema') continue;
    const check = (KEYS as Record<string, ((v: unknown) => unknown) | undefined>)[key];
    if (!Object.hasOwn(KEYS, key) || !check) {
      throw new UsageError(`${shown}: unknown key ${JSON.stringify(key)} (valid: ${CONFIG_KEYS.join(', ')})`);
    }
    const result = check(value);
    if (typeof result === 'object' && result !== null && 'error' in result) {
      throw new UsageError(`${shown}: ${JSON.stringify(key)} ${(result as { error: string }).error} (got ${brief(value)})`);
    }
    config[key] = result;
  }
  return config as Config;
}

/** A short rendering of a bad value for a message. */
function brief(value: unknown): string {
  // JSON.stringify writes Infinity (what `1e400` parses to) as null.
  const s = typeof value === 'number' ? String(value) : (JSON.stringify(value) ?? String(value));
  return s.length > 40 ? s.slice(0, 39) + '…' : s;
}

/**
 * The setting in effect: the flag if given, else the environment, else the config file,
 * else the default. `undefined` and `null` count as "not given" at every level; callers
 * pass an empty environment variable as undefined (NO_COLOR's convention).
 */
export function resolveSetting<T>(flag: T | null | undefined, envValue: T | null | undefined, configValue: T | null | undefined, fallback: T): T {
  return flag ?? envValue ?? configValue ?? fallback;
}
