#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Runs one fuzzing campaign in the background and returns at once.
#
#   fuzz/campaign.sh HARNESS SECONDS [BUILD_DIR]
#
# One libFuzzer process at a time (the equivalent of -jobs=1), restarted after
# each crash until SECONDS have passed, so one campaign can collect several
# distinct crashes; stops by itself. (libFuzzer's own -fork=1 mode does the
# same but reloads the corpus for every job: measured 10-50x fewer exec/s here.) Its corpus grows in
# fuzz/corpus-run/HARNESS (seeded from corpus/fuzz, corpus/regress and the
# folders fuzz/corpora.txt names), crashes land in fuzz/artifacts/HARNESS/, the
# log in fuzz/artifacts/HARNESS.log (both folders are git-ignored).
# FUZZ_TIMEOUT=2 makes it a slow-unit hunt (libFuzzer's per-input limit, in
# seconds of wall clock; default 25).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
name=$1
seconds=$2
build=${3:-$root/build-fuzz}
bin=$build/fuzz/$name
[[ -x "$bin" ]] || { echo "campaign: $bin not built (fuzz/build.sh)" >&2; exit 1; }

line=$(grep -E "^$name[[:space:]]" "$root/fuzz/corpora.txt")
read -r _ dict extra <<< "$line"
seeds=()
for d in "corpus/fuzz/$name" "corpus/regress/$name" $extra; do
  [[ -d "$root/$d" ]] && seeds+=("$root/$d")
done
run=$root/fuzz/corpus-run/$name
art=$root/fuzz/artifacts/$name
mkdir -p "$run" "$art"
args=(-rss_limit_mb=2048 -timeout="${FUZZ_TIMEOUT:-25}" -print_final_stats=1 -artifact_prefix="$art/")
max_len=$(sed -n 's/^max_len *= *//p' "$root/fuzz/$name.options" 2>/dev/null || true)
[[ -n "$max_len" ]] && args+=("-max_len=$max_len")
if [[ "$dict" != "-" ]]; then
  for part in ${dict//+/ }; do cat "$root/fuzz/$part"; done > "$art/../$name.dict"
  args+=("-dict=$art/../$name.dict")
fi
export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1:allocator_may_return_null=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
log=$root/fuzz/artifacts/$name.log
: > "$log"
cd "$art"
(
  end=$((SECONDS + seconds))
  while ((SECONDS < end)); do
    nice -n 10 "$bin" "${args[@]}" -max_total_time=$((end - SECONDS)) "$run" "${seeds[@]}" >> "$log" 2>&1 || true
  done
) < /dev/null > /dev/null 2>&1 &
disown
echo "campaign: $name running as pid $! for ${seconds}s; log fuzz/artifacts/$name.log"
