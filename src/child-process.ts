/**
 * What the bundle gets for `node:child_process` (package.json "bundle": esbuild's alias).
 * commander requires it when loaded, for executable subcommands papers does not have, and
 * loading it costs every start-up a few ms; here the real module loads on the first spawn.
 */
import type * as ChildProcessModule from 'node:child_process';
import { createRequire } from 'node:module';

// Through createRequire, which esbuild leaves alone: a plain require would be aliased back here.
const load = (): typeof ChildProcessModule => createRequire(import.meta.url)('node:child_process');

export const spawn: typeof ChildProcessModule.spawn = ((...args: Parameters<typeof ChildProcessModule.spawn>) => load().spawn(...args)) as typeof ChildProcessModule.spawn;
