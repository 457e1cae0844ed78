/**
 * vitest's global setup: the e2e tests spawn the bundle (dist/papers.cjs), so a run after an
 * edit of src/ without `npm run build` would test the old code. Rebuild first when any
 * source file is newer than the bundle (`npm test` has just built it: nothing to do).
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** The newest modification time of the files below `dir`, in ms. */
function newest(dir: string): number {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}

/** The bundle's age against its sources: 'missing', 'stale' or 'fresh'. */
export function bundleState(): 'missing' | 'stale' | 'fresh' {
  let built: number;
  try {
    built = statSync(join(root, 'dist', 'papers.cjs')).mtimeMs;
  } catch {
    return 'missing';
  }
  const sources = Math.max(newest(join(root, 'src')), statSync(join(root, 'package.json')).mtimeMs);
  return sources > built ? 'stale' : 'fresh';
}

export default function setup(): void {
  const state = bundleState();
  if (state === 'fresh') return;
  process.stderr.write(`test setup: the bundle is ${state}; running npm run build\n`);
  execFileSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: 'inherit' });
}
