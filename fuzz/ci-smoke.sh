#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# CI smoke run of every libFuzzer target: builds them with clang (own build
# directory), replays each harness's seeds and regression inputs, then fuzzes
# each for a short time from those seeds. Exits non-zero on any crash, leak,
# timeout, sanitizer report or broken invariant, printing the reproducer path.
#
#   fuzz/ci-smoke.sh
#
# Environment:
#   FUZZ_SMOKE_SECONDS  fuzzing time per harness (default 25; 8 harnesses stay
#                       under 5 minutes on 2 cores including the build)
#   FUZZ_BUILD_DIR      build directory (default build-fuzz-ci at the repo root)
#   FUZZ_SKIP_BUILD=1   reuse an existing build
# Needs clang and libclang-rt-14-dev (tools/install-deps.sh installs both).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${FUZZ_BUILD_DIR:-$root/build-fuzz-ci}
seconds=${FUZZ_SMOKE_SECONDS:-25}
work=$(mktemp -d "${TMPDIR:-/tmp}/mrmlguard-fuzz-smoke.XXXXXX")
trap 'rm -rf "$work"' EXIT

if [[ "${FUZZ_SKIP_BUILD:-0}" != 1 ]]; then
  "$root/fuzz/build.sh" "$build" > "$work/build.log" 2>&1 || { tail -50 "$work/build.log"; echo "ci-smoke: build failed" >&2; exit 1; }
fi

export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1:allocator_may_return_null=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}

failed=()
while read -r name dict extra; do
  [[ -z "$name" || "$name" == \#* ]] && continue
  bin="$build/fuzz/$name"
  if [[ ! -x "$bin" ]]; then
    echo "ci-smoke: $name not built (optional dependency missing?), skipped"
    continue
  fi
  seeds=()
  for d in "corpus/fuzz/$name" "corpus/regress/$name" $extra; do
    [[ -d "$root/$d" ]] && seeds+=("$root/$d")
  done
  args=(-rss_limit_mb=2048 -timeout=25 -print_final_stats=1)
  opts="$root/fuzz/$name.options"
  if [[ -f "$opts" ]]; then
    max_len=$(sed -n 's/^max_len *= *//p' "$opts")
    [[ -n "$max_len" ]] && args+=("-max_len=$max_len")
  fi
  if [[ "$dict" != "-" ]]; then
    for part in ${dict//+/ }; do cat "$root/fuzz/$part"; done > "$work/$name.dict"
    args+=("-dict=$work/$name.dict")
  fi
  mkdir -p "$work/corpus/$name" "$work/artifacts"
  log="$work/$name.log"
  echo "ci-smoke: $name: replaying ${#seeds[@]} seed folders, then fuzzing ${seconds}s"
  status=0
  "$bin" "${args[@]}" -runs=0 -artifact_prefix="$work/artifacts/$name-" "${seeds[@]}" > "$log" 2>&1 || status=$?
  if [[ $status -eq 0 ]]; then
    "$bin" "${args[@]}" -max_total_time="$seconds" -artifact_prefix="$work/artifacts/$name-" \
      "$work/corpus/$name" "${seeds[@]}" >> "$log" 2>&1 || status=$?
  fi
  grep -E '^(stat::number_of_executed_units|stat::average_exec_per_sec|#[0-9]+ +DONE)' "$log" | tr '\n' ' ' || true
  echo
  if [[ $status -ne 0 ]]; then
    echo "ci-smoke: $name FAILED (exit $status)"
    grep -E -A40 'ERROR: |invariant broken|runtime error' "$log" | head -60 || tail -40 "$log"
    for a in "$work/artifacts/$name-"*; do
      [[ -e "$a" ]] || continue
      mkdir -p "$root/fuzz/artifacts"
      cp "$a" "$root/fuzz/artifacts/"
      echo "ci-smoke: reproducer kept in fuzz/artifacts/$(basename "$a")"
    done
    failed+=("$name")
  fi
done < "$root/fuzz/corpora.txt"

if [[ ${#failed[@]} -gt 0 ]]; then
  echo "ci-smoke: failures: ${failed[*]}" >&2
  exit 1
fi
echo "ci-smoke: all fuzzers ran clean"
