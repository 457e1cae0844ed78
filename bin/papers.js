#!/usr/bin/env node
// The built CLI lives in dist/ (npm install runs the build).
// `papers --version` alone is answered here, before loading commander and the rest:
// it is what scripts and health checks call most (bench/PROFILE.md: −27 ms).
const [flag, ...rest] = process.argv.slice(2);
if ((flag === '--version' || flag === '-V') && rest.length === 0) {
  const { readFileSync } = await import('node:fs');
  process.stdout.write(JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version + '\n');
} else {
  const { main } = await import('../dist/cli.js');
  await main(process.argv);
}
