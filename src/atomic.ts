/**
 * Atomic file writes for `export -o FILE`: readers see the old file or the whole new
 * one, never a half-written export, even if papers is killed or the disk fills up.
 * The temp file lives in the target's folder because rename(2) is atomic only within
 * one file system.
 */
import { randomBytes } from 'node:crypto';
import { constants, promises as fsp } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

/** An open atomic write: write chunks, then commit (rename into place) or abort (remove the temp file). */
export interface AtomicWriter {
  /** The temp file being written. */
  readonly tempPath: string;
  /** Append a chunk. */
  write(chunk: string | Uint8Array): Promise<void>;
  /** fsync, close and rename over the target; the temp file is removed if that fails. */
  commit(): Promise<void>;
  /** Close and remove the temp file; the target is untouched. Safe to call twice. */
  abort(): Promise<void>;
}

/** `.name.tmp-<pid>-<random>` beside `target`: hidden, and unique across processes and calls. */
export function tempPathFor(target: string): string {
  return join(dirname(target), `.${basename(target)}.tmp-${process.pid}-${randomBytes(6).toString('hex')}`);
}

/** Links followed before giving up, as the kernel does (ELOOP). */
const MAX_LINKS = 40;

/**
 * The file a path finally names: a symlink is followed, so `-o link` replaces the link's
 * target, not the link — a dangling link included (its target is created).
 */
async function resolveTarget(path: string): Promise<string> {
  try {
    return await fsp.realpath(path);
  } catch {
    // Missing, or a link whose target is missing: follow the links by hand.
  }
  let current = path;
  for (let hops = 0; hops < MAX_LINKS; hops++) {
    const link = await fsp.readlink(current).catch(() => null);
    if (link === null) return current; // not a link (or not there): the file to write
    current = resolve(dirname(current), link);
  }
  throw Object.assign(new Error(`ELOOP: too many levels of symbolic links, ${path}`), { code: 'ELOOP', path });
}

/**
 * Refuse to replace a file its owner marked read-only, or one this user may not write:
 * renaming over it needs only the folder's permission, so without this check `-o` would
 * replace what `> FILE` could not. A file with no write bit at all is refused even to root
 * (root passes access(2) on any file, but the bits still say "keep").
 */
async function checkWritable(target: string, mode: number): Promise<void> {
  const denied = (mode & 0o222) === 0 || (await fsp.access(target, constants.W_OK).then(() => false, () => true));
  if (denied) throw new ReadOnlyTargetError(target);
}

/** The target exists and is read-only (for this user, or for everyone): it is not replaced. */
export class ReadOnlyTargetError extends Error {
  constructor(readonly path: string) {
    super(`${path} is read-only`);
  }
}

/** `.NAME.tmp-PID-RANDOM`: the temp files this module makes (see tempPathFor). */
const TEMP_NAME = /^\..+\.tmp-(\d+)-[0-9a-f]{12}$/;

/**
 * Remove the temp files in `dir` left by writers that died (kill -9, power loss): those whose
 * process is gone. A live process's temp file (its export is under way) is never touched.
 * Best effort: a file that cannot be removed stays.
 */
async function removeStaleTemps(dir: string): Promise<void> {
  const names = await fsp.readdir(dir).catch(() => [] as string[]);
  for (const name of names) {
    const pid = TEMP_NAME.exec(name)?.[1];
    if (pid === undefined || Number(pid) === process.pid || alive(Number(pid))) continue;
    const path = join(dir, name);
    const st = await fsp.lstat(path).catch(() => null);
    if (st?.isFile()) await fsp.rm(path, { force: true }).catch(() => {});
  }
}

/** True if process `pid` exists (signal 0 checks without sending; EPERM means it exists as another user). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Start an atomic write of `path`. The temp file is created exclusively (`wx`), so it
 * never clobbers anything. The new file keeps the mode of an existing target (else
 * 0666 less the umask, like any new file).
 */
export async function createAtomicWriter(path: string): Promise<AtomicWriter> {
  const target = await resolveTarget(path);
  const existing = await fsp.stat(target).catch(() => null);
  if (existing?.isDirectory()) {
    throw Object.assign(new Error(`EISDIR: ${path} is a directory`), { code: 'EISDIR', path });
  }
  // `-o /dev/stdout`, `-o /dev/null`, a FIFO: renaming over them would replace a device
  // node with a plain file (as root, /dev/null itself). There is nothing to make atomic.
  if (existing && !existing.isFile()) return directWriter(target);
  if (existing) await checkWritable(target, existing.mode);
  await removeStaleTemps(dirname(target));
  const existingMode = existing ? existing.mode & 0o7777 : null;
  const tempPath = tempPathFor(target);
  const handle = await fsp.open(tempPath, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, existingMode ?? 0o666);
  let closed = false;
  let finished = false;

  const close = async () => {
    if (closed) return;
    closed = true;
    await handle.close();
  };
  const discard = async () => {
    await close().catch(() => {});
    await fsp.rm(tempPath, { force: true });
  };

  return {
    tempPath,
    async write(chunk) {
      if (finished) throw new Error(`${path}: write after commit or abort`);
      try {
        // On a FileHandle, writeFile writes at the current position: successive chunks append.
        await handle.writeFile(chunk);
      } catch (err) {
        finished = true;
        await discard();
        throw err;
      }
    },
    async commit() {
      if (finished) throw new Error(`${path}: commit after commit or abort`);
      finished = true;
      try {
        // Data on disk before the rename makes it visible: otherwise a crash right after
        // the rename can leave an empty or partial file under the real name.
        await handle.sync();
        // open() applied the umask to the mode; an existing file's own mode is restored as it was.
        if (existingMode !== null) await handle.chmod(existingMode);
        await close();
        await fsp.rename(tempPath, target);
      } catch (err) {
        await discard();
        throw err;
      }
      await syncDir(dirname(target));
    },
    async abort() {
      if (finished) return;
      finished = true;
      await discard();
    },
  };
}

/** Plain writes to a file that is not a regular file (device, FIFO): commit and abort just close it. */
async function directWriter(target: string): Promise<AtomicWriter> {
  const handle = await fsp.open(target, 'w');
  let finished = false;
  const finish = async () => {
    if (finished) return false;
    finished = true;
    await handle.close();
    return true;
  };
  return {
    tempPath: target,
    async write(chunk) {
      if (finished) throw new Error(`${target}: write after commit or abort`);
      await handle.writeFile(chunk);
    },
    async commit() {
      if (!(await finish())) throw new Error(`${target}: commit after commit or abort`);
    },
    async abort() {
      await finish();
    },
  };
}

/** fsync a folder so a rename in it is durable; best effort (not every platform can open a folder). */
async function syncDir(dir: string): Promise<void> {
  let fd: fsp.FileHandle | undefined;
  try {
    fd = await fsp.open(dir, constants.O_RDONLY);
    await fd.sync();
  } catch {
    // Windows and some file systems refuse; the rename itself already happened.
  } finally {
    await fd?.close().catch(() => {});
  }
}

/** Write `data` to `path` atomically: temp file in the same folder, write, fsync, rename; the temp file is removed on error. */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const w = await createAtomicWriter(path);
  try {
    await w.write(data);
  } catch (err) {
    await w.abort();
    throw err;
  }
  await w.commit();
}
