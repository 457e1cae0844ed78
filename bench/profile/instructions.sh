#!/usr/bin/env bash
# Instructions a command executes (valgrind callgrind's "Collected" count, all threads), beside
# `node -e 0`: unlike wall or CPU time, the count barely moves when other processes load the
# machine, so a start-up change of a few per cent shows (bench/PROFILE.md, round 3).
#
#   bench/profile/instructions.sh [RUNS] -- bin/papers.cjs today --offline
#
# Output is piped (through cat), as in the bench. Needs valgrind (Debian: apt-get install valgrind);
# each run takes ~15 s under it.
set -euo pipefail
runs=2
if [ "${1:-}" != "--" ]; then runs=$1; shift; fi
[ "${1:-}" = "--" ] && shift
command -v valgrind >/dev/null || { echo "instructions.sh: valgrind is not installed" >&2; exit 2; }

count() {
  local out
  out=$(mktemp)
  valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>"$out" | cat >/dev/null
  grep -o 'Collected : [0-9]*' "$out" | awk '{printf "%.0f", $3 / 1e6}'
  rm -f "$out"
}

for label in node papers; do
  line=""
  for _ in $(seq "$runs"); do
    if [ $label = node ]; then n=$(count node -e 0); else n=$(count node "$@"); fi
    line="$line ${n}M"
  done
  if [ $label = node ]; then echo "node -e 0:$line"; else echo "node $*:$line"; fi
done
