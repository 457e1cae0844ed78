/**
 * No import circles in src/: every static import, re-export and `import()` between our own
 * modules is an edge, type-only imports included, and the graph must have no cycle. A lazy
 * `import()` may postpone loading, but it must not close a circle. And SQL stays in store/:
 * nothing else opens SQLite. Render takes rows (model.ts) and never reaches into store/.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = resolve(__dirname, '../../src');

/** Every .ts file under `dir`. */
function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

// `import … from './x.js'`, `export … from './x.js'`, `import './x.js'`, `import('./x.js')`.
const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)(['"])(\.{1,2}\/[^'"]+)\1/g;

/** The modules of src/ that `file` imports, as absolute .ts paths. */
function importsOf(file: string, text: string): string[] {
  const out = new Set<string>();
  for (const m of text.matchAll(SPECIFIER)) out.add(resolve(dirname(file), m[2]!.replace(/\.js$/, '.ts')));
  return [...out];
}

/** The cycles of a graph, each once, as paths of nodes (first node repeated at the end). */
function cycles(graph: Map<string, string[]>): string[][] {
  const found: string[][] = [];
  const seen = new Set<string>();
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string) => {
    state.set(node, 'open');
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (state.get(next) === 'open') {
        const loop = [...stack.slice(stack.indexOf(next)), next];
        const key = [...loop.slice(0, -1)].sort().join('\n');
        if (!seen.has(key)) {
          seen.add(key);
          found.push(loop);
        }
      } else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(node, 'done');
  };
  for (const node of [...graph.keys()].sort()) if (!state.has(node)) visit(node);
  return found;
}

describe('imports', () => {
  it('finds a cycle through a lazy import() and ignores imports outside src/', () => {
    const a = '/src/a.ts';
    expect(importsOf(a, `import { x } from './b.js';\nimport type { Y } from 'vitest';\nconst c = await import('./c.js');`)).toEqual(['/src/b.ts', '/src/c.ts']);
    const graph = new Map([
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['a']],
      ['d', ['a']],
    ]);
    expect(cycles(graph)).toEqual([['a', 'b', 'c', 'a']]);
    expect(cycles(new Map([['a', ['b']], ['b', []]]))).toEqual([]);
  });

  it('src/ has no import circles', () => {
    const graph = new Map<string, string[]>();
    for (const file of sources(SRC)) graph.set(file, importsOf(file, readFileSync(file, 'utf8')));
    const found = cycles(graph).map((c) => c.map((f) => relative(SRC, f)).join(' → '));
    expect(found).toEqual([]);
  });

  it('only store/ opens SQLite', () => {
    const outside = sources(SRC).filter((f) => !relative(SRC, f).startsWith('store/'));
    const opening = outside.filter((f) => /from\s*['"](?:better-sqlite3|[./]+\/store\/sqlite\.js)['"]/.test(readFileSync(f, 'utf8')));
    expect(opening.map((f) => relative(SRC, f))).toEqual([]);
  });

  it('render/ imports nothing from store/ (types included): rows and markers come from model.ts', () => {
    const render = sources(join(SRC, 'render'));
    const reaching = render.flatMap((f) => importsOf(f, readFileSync(f, 'utf8')).filter((to) => relative(SRC, to).startsWith('store/')).map((to) => `${relative(SRC, f)} → ${relative(SRC, to)}`));
    expect(reaching).toEqual([]);
  });
});
