#!/usr/bin/env node
/**
 * Summarize a V8 .cpuprofile (from `node --cpu-prof`): self time by package / file and by
 * function, so "where does start-up go" has an answer in milliseconds.
 *
 *   node --cpu-prof --cpu-prof-dir=bench/out/prof bin/papers.cjs list
 *   node bench/profile/cpuprofile-summary.mjs bench/out/prof/*.cpuprofile
 */
import { readFileSync } from 'node:fs';

for (const file of process.argv.slice(2)) {
  const prof = JSON.parse(readFileSync(file, 'utf8'));
  const byId = new Map(prof.nodes.map((n) => [n.id, n]));
  // Each sample is one tick of the node on top of the stack; timeDeltas are the tick lengths (µs).
  const self = new Map();
  prof.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (prof.timeDeltas[i] ?? 0)));
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const group = (url) => {
    if (!url) return '(native / VM)';
    const nm = url.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/);
    if (nm) return `pkg ${nm[1]}`;
    if (url.startsWith('node:')) return 'node internals';
    const d = url.match(/\/(dist|bench|src)\/(.*)$/);
    return d ? `${d[1]}/${d[2]}` : url.replace(/^file:\/\//, '');
  };
  const byGroup = new Map();
  const byFn = new Map();
  for (const [id, us] of self) {
    const n = byId.get(id);
    const g = n.callFrame.functionName.startsWith('(') ? n.callFrame.functionName : group(n.callFrame.url);
    byGroup.set(g, (byGroup.get(g) ?? 0) + us);
    const f = `${n.callFrame.functionName || '(anonymous)'} ${group(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`;
    byFn.set(f, (byFn.get(f) ?? 0) + us);
  }
  const top = (m, k) => [...m].sort((a, b) => b[1] - a[1]).slice(0, k);
  console.log(`\n${file}: ${(total / 1000).toFixed(0)} ms sampled (profile ${((prof.endTime - prof.startTime) / 1000).toFixed(0)} ms)`);
  console.log('  self time by package/file:');
  for (const [g, us] of top(byGroup, 15)) console.log(`    ${(us / 1000).toFixed(1).padStart(8)} ms  ${g}`);
  console.log('  self time by function:');
  for (const [f, us] of top(byFn, 15)) console.log(`    ${(us / 1000).toFixed(1).padStart(8)} ms  ${f}`);
}
