/** The last failure of each remote host (table `host_failures`): what listings consult before asking it again. */
import type { Db } from './db.js';

/** A host's last failure. */
export interface HostFailure {
  host: string;
  /** ISO time of the failure. */
  failedAt: string;
  /** ISO time the host asked us to come back (Retry-After), or null. */
  retryAt: string | null;
  /** One line: what failed. */
  reason: string;
}

/** The last failure of `host`, or null when its last request succeeded (or it was never asked). */
export function hostFailure(db: Db, host: string): HostFailure | null {
  const row = db
    .prepare<[string], { host: string; failed_at: string; retry_at: string | null; reason: string }>(
      'SELECT host, failed_at, retry_at, reason FROM host_failures WHERE host = ?',
    )
    .get(host);
  return row ? { host: row.host, failedAt: row.failed_at, retryAt: row.retry_at, reason: row.reason } : null;
}

/** Remember that `host` failed (replacing an older failure). */
export function recordHostFailure(db: Db, f: HostFailure): void {
  db.transaction(() => {
    db.prepare(
      `INSERT INTO host_failures (host, failed_at, retry_at, reason) VALUES (?, ?, ?, ?)
       ON CONFLICT (host) DO UPDATE SET failed_at = excluded.failed_at, retry_at = excluded.retry_at, reason = excluded.reason`,
    ).run(f.host, f.failedAt, f.retryAt, f.reason);
  }).immediate();
}

/** Forget `host`'s failure: it answered. Writes only when there is one to forget. */
export function clearHostFailure(db: Db, host: string): void {
  if (!db.prepare('SELECT 1 FROM host_failures WHERE host = ?').get(host)) return;
  db.transaction(() => {
    db.prepare('DELETE FROM host_failures WHERE host = ?').run(host);
  }).immediate();
}
