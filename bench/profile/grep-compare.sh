#!/usr/bin/env bash
# `papers grep` before and after, beside rg, run by run interleaved (medians of wall and of
# user+sys CPU): a loaded machine moves wall times a lot, CPU time much less.
#
#   bench/profile/grep-compare.sh RUNS BEFORE_BIN BEFORE_DB AFTER_BIN AFTER_DB JSONL... -- GREP_ARGS...
#
# AFTER is run twice: on every core, and pinned to one (taskset -c 0: one thread, no workers).
set -euo pipefail
runs=$1 bb=$2 bdb=$3 ab=$4 adb=$5; shift 5
files=()
while [ "$1" != "--" ]; do files+=("$1"); shift; done
shift
t() { /usr/bin/time -f '%e %U %S' -o /tmp/grep-compare.time "$@" >/dev/null 2>&1 || true; awk '{printf "%d %d\n", $1*1000, ($2+$3)*1000}' /tmp/grep-compare.time; }
declare -A wall cpu
for _ in $(seq "$runs"); do
  for k in before after after1 rg; do
    case $k in
      before) r=$(t node "$bb" --db "$bdb" grep "$@") ;;
      after) r=$(t node "$ab" --db "$adb" grep "$@") ;;
      after1) r=$(t taskset -c 0 node "$ab" --db "$adb" grep "$@") ;;
      rg) r=$(t rg "$@" "${files[@]}") ;;
    esac
    wall[$k]="${wall[$k]:-} ${r% *}"; cpu[$k]="${cpu[$k]:-} ${r#* }"
  done
done
med() { tr ' ' '\n' | grep . | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
printf '%-8s %10s %10s   grep %s\n' '' 'wall ms' 'CPU ms' "$*"
for k in before after after1 rg; do
  printf '%-8s %10s %10s\n' "$k" "$(echo ${wall[$k]} | med)" "$(echo ${cpu[$k]} | med)"
done
