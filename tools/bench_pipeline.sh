#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Benchmarks the whole `mrmlguard validate` on large generated scenes against
# xmlwf (Debian package expat), and prints a Markdown table (docs/bench/scene.md,
# "Full pipeline").
#
#   tools/bench_pipeline.sh [MRMLGUARD] [RUNS] [NODES...]
#
# MRMLGUARD is the built command (default build/tools/mrmlguard); RUNS how
# many times each command runs per size (default 5); NODES the scene sizes
# (default 50000 125000 250000). The table shows the fastest wall time of
# each command and the largest peak RSS (GNU time), so background load on a
# shared machine inflates the numbers as little as possible; the ratio is
# mrmlguard's best over xmlwf's best. The scenes (tools/gen_big_scene.py) are
# written into a temporary folder that is removed afterwards; the storage
# files they name do not exist, so each storage node also costs a look-up.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
mg="${1:-build/tools/mrmlguard}"
runs="${2:-5}"
shift $(( $# > 2 ? 2 : $# ))
sizes=("$@")
(( ${#sizes[@]} )) || sizes=(50000 125000 250000)
[[ -x "$mg" ]] || { echo "no $mg: build the mrmlguard_cli target first" >&2; exit 2; }
command -v xmlwf >/dev/null || { echo "xmlwf not found: install the Debian package expat" >&2; exit 2; }
[[ -x /usr/bin/time ]] || { echo "/usr/bin/time not found: install the Debian package time" >&2; exit 2; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# measure EXPECTED_RC CMD...: prints "best_wall max_rss_kib user_plus_sys_of_best".
measure() {
  local want=$1 best="" rss=0 cpu=""
  shift
  for ((r = 0; r < runs; r++)); do
    local rc=0
    /usr/bin/time -f "%e %M %U %S" -o "$work/time.txt" "$@" >"$work/out.txt" 2>&1 || rc=$?
    (( rc == want )) || { echo "unexpected exit $rc from $*: $(head -c 300 "$work/out.txt")" >&2; exit 1; }
    local wall kb user sys
    read -r wall kb user sys < <(tail -1 "$work/time.txt")
    (( kb > rss )) && rss=$kb
    if [[ -z "$best" ]] || awk -v a="$wall" -v b="$best" 'BEGIN {exit !(a < b)}'; then
      best=$wall
      cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN {printf "%.2f", u + s}')
    fi
  done
  echo "$best $rss $cpu"
}

echo "Load average before: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores; best of $runs runs"
echo
echo "| nodes | MB | xmlwf wall s | mrmlguard wall s | ratio | xmlwf CPU s | mrmlguard CPU s (all threads) | RSS xmlwf | RSS mrmlguard |"
echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
for nodes in "${sizes[@]}"; do
  scene="$work/scene_$nodes.mrml"
  python3 "$here/gen_big_scene.py" --nodes "$nodes" -o "$scene"
  bytes=$(stat -c %s "$scene")
  cat "$scene" >/dev/null  # into the page cache for both commands
  read -r xw_wall xw_rss xw_cpu < <(measure 0 xmlwf "$scene")
  read -r mg_wall mg_rss mg_cpu < <(measure 0 "$mg" validate --quiet "$scene")
  awk -v n="$nodes" -v b="$bytes" -v xw="$xw_wall" -v mw="$mg_wall" -v xc="$xw_cpu" -v mc="$mg_cpu" \
      -v xr="$xw_rss" -v mr="$mg_rss" 'BEGIN {
    printf "| %d | %.1f | %.2f | %.2f | %.2fx | %.2f | %.2f | %d MiB | %d MiB |\n",
           n, b / 1e6, xw, mw, (xw > 0 ? mw / xw : 0), xc, mc, xr / 1024, mr / 1024 }'
done
echo
echo "Load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
