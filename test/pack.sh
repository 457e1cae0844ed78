#!/usr/bin/env bash
# The published-package shape: `npm pack` makes a tarball that installs into an
# empty folder and runs — `papers --version`, then an offline import and list.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

tarball=$(npm pack --silent --pack-destination "$work" | tail -n 1)
echo "packed $tarball ($(du -k "$work/$tarball" | cut -f1) kB): $(tar -tzf "$work/$tarball" | wc -l) files"
# Only what a user needs: no sources, tests, fixtures or benchmarks in the tarball.
if tar -tzf "$work/$tarball" | grep -E '^package/(src|test|fixtures|bench)/'; then
  echo "pack test: the tarball carries development files" >&2
  exit 1
fi

mkdir "$work/app"
cd "$work/app"
npm init -y >/dev/null
npm install --no-audit --no-fund --loglevel=error "$work/$tarball"
papers="$work/app/node_modules/.bin/papers"

want=$(node -p "require('$OLDPWD/package.json').version")
got=$("$papers" --version)
[ "$got" = "$want" ] || { echo "pack test: --version printed '$got', expected '$want'" >&2; exit 1; }

export PAPERS_DB="$work/papers.db"
"$papers" import "$OLDPWD/fixtures/hf-api/hfdp-ml_2025-06-09.json"
count=$("$papers" list --offline --date 2025-06-09 | wc -l)
[ "$count" -eq 12 ] || { echo "pack test: list printed $count papers, expected 12" >&2; exit 1; }
"$papers" help json >/dev/null
# The V8 code cache ships beside the bundle and is used: made for these exact bytes, accepted by V8.
node -e '
  const fs = require("fs"), vm = require("vm"), Module = require("module");
  const b = fs.readFileSync(process.argv[1]), c = fs.readFileSync(process.argv[1] + ".cache");
  if (c.readUInt32BE(0) !== b.length || !b.equals(c.subarray(4, 4 + b.length))) throw new Error("code cache made for another bundle");
  const s = new vm.Script(Module.wrap(b.toString("utf8")), { filename: process.argv[1], cachedData: c.subarray(4 + b.length) });
  if (s.cachedDataRejected) throw new Error("V8 rejected the code cache");
' "$work/app/node_modules/papers/dist/papers.cjs" || { echo "pack test: the installed code cache is not usable" >&2; exit 1; }
echo "pack test: 1 passed, 0 failed"
