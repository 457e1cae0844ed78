/**
 * The one writer of standard output. Every byte a command prints goes through it, so a
 * failed or short write can never pass for success: a full disk (ENOSPC), a file size limit
 * (EFBIG, `ulimit -f`; Node ignores SIGXFSZ), an I/O error (EIO) become an `OutputError`
 * (exit 74), while a reader that left (EPIPE, `papers list | head -1`) ends the run quietly
 * with status 0. Writes wait for the stream to drain, so a large export to a slow pipe does
 * not pile up in memory; `flush()` at the end reports an error that came after the last write.
 */
import { fstatSync, writeSync } from 'node:fs';
import { isatty } from 'node:tty';
import { OutputError } from './errors.js';

export interface Output {
  /**
   * Write `chunk`. Throws `OutputError` at once when this or an earlier write failed;
   * otherwise the promise (which never rejects) resolves when the stream takes more.
   */
  write(chunk: string): Promise<void>;
  /** Wait until everything written has left the process; throws `OutputError` if any of it failed. */
  flush(): Promise<void>;
}

/** "no space left on device" and friends: the error's cause in words, without Node's prefix. */
export function ioReason(err: NodeJS.ErrnoException): string {
  switch (err.code) {
    case 'ENOSPC':
      return 'no space left on device';
    case 'EFBIG':
      return 'file too large (over the file size limit, ulimit -f)';
    case 'EDQUOT':
      return 'disk quota exceeded';
    case 'EIO':
      return 'input/output error';
    case 'EBADF':
      return 'standard output is closed';
    case 'EROFS':
      return 'read-only file system';
    default:
      return err.message.replace(/^[A-Z]+: /, '');
  }
}

/** The error `err` becomes once it reached the user's output. */
function outputError(err: unknown): OutputError {
  if (err instanceof OutputError) return err;
  return new OutputError(`cannot write output: ${ioReason(err as NodeJS.ErrnoException)}`);
}

/**
 * The writer of file descriptor `fd` (1 for the process). A regular file or a device
 * (`> file`, `> /dev/full`) is written with `writeSync` until every byte is taken — Node's
 * own stdout there ignores a short write, so `ulimit -f` silently truncated output; a pipe,
 * socket or terminal goes through `stream` (process.stdout), whose errors arrive as events.
 * `onReaderGone` runs when the reader of a pipe has left.
 */
export function createOutput(fd: number, stream: () => NodeJS.WriteStream, onReaderGone: () => void): Output {
  let failed: OutputError | null = null;
  const fail = (err: unknown): never => {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EPIPE') onReaderGone();
    throw (failed ??= outputError(err));
  };
  if (isDirect(fd)) {
    return {
      write(chunk) {
        if (failed) throw failed;
        const bytes = Buffer.from(chunk, 'utf8');
        let done = 0;
        try {
          while (done < bytes.length) done += writeSync(fd, bytes, done, bytes.length - done);
        } catch (err) {
          fail(err);
        }
        return Promise.resolve();
      },
      async flush() {
        if (failed) throw failed;
      },
    };
  }
  let out: NodeJS.WriteStream | null = null;
  let pending = 0;
  const waiters = new Set<() => void>();
  const wake = () => {
    for (const w of waiters) w();
    waiters.clear();
  };
  const open = (): NodeJS.WriteStream => {
    if (out) return out;
    out = stream();
    out.on('error', (err: NodeJS.ErrnoException) => {
      try {
        fail(err);
      } catch {
        // Kept in `failed`: the next write or the final flush reports it.
      }
      wake();
    });
    out.on('drain', wake);
    return out;
  };
  const waitFor = (ready: () => boolean): Promise<void> => (ready() || failed ? Promise.resolve() : new Promise<void>((done) => waiters.add(done)).then(() => waitFor(ready)));
  return {
    write(chunk) {
      if (failed) throw failed;
      const s = open();
      pending++;
      const more = s.write(chunk, (err) => {
        pending--;
        if (err) {
          try {
            fail(err);
          } catch {
            // Reported by the next write or the flush.
          }
        }
        if (pending === 0) wake();
      });
      return more ? Promise.resolve() : waitFor(() => !s.writableNeedDrain);
    },
    async flush() {
      if (out) await waitFor(() => pending === 0);
      if (failed) throw failed;
    },
  };
}

/** True when `fd` is a file or a device that is not a terminal: written synchronously, byte count checked. */
function isDirect(fd: number): boolean {
  try {
    const st = fstatSync(fd);
    return (st.isFile() || st.isCharacterDevice() || st.isBlockDevice()) && !isatty(fd);
  } catch {
    return false; // closed or unknown: the stream reports what happens
  }
}

let processStdout: Output | null = null;

/** This process's standard output; a reader that left (EPIPE) ends the run quietly with status 0, as rg does. */
export function processOutput(): Output {
  return (processStdout ??= createOutput(1, () => process.stdout, () => process.exit(0)));
}
