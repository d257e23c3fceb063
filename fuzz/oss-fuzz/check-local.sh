#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Runs fuzz/oss-fuzz/build.sh the way OSS-Fuzz's compile step would, without
# Docker, then checks $OUT the way `infra/helper.py check_build` does
# (base-runner bad_build_check): each target is an x86-64 ELF holding
# LLVMFuzzerTestOneInput, runs `-seed=1337 -runs=4` to "Done 4 runs" with at
# least 100 instrumented edges, has >= 1000 ASan call sites and few UBSan ones
# (ASan build), and runs its seed corpus (-runs=0) without a crash. More than
# 10% bad targets fails, as on OSS-Fuzz.
#
#   fuzz/oss-fuzz/check-local.sh [WORKDIR]     default: $TMPDIR/mrmlguard-oss-fuzz
#
# FUZZ_DEPS_PREFIX=<prefix from fuzz/build-deps.sh built with these flags>
# skips rebuilding the dependencies.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
base=${1:-${TMPDIR:-/tmp}/mrmlguard-oss-fuzz}
mkdir -p "$base/src" "$base/out" "$base/work"

# What base-clang/base-builder and `compile` set for libFuzzer + ASan on x86_64.
export CC=clang CXX=clang++ CCC=clang++
export SANITIZER=address FUZZING_ENGINE=libfuzzer ARCHITECTURE=x86_64 FUZZING_LANGUAGE=c++
export CFLAGS="-O1 -fno-omit-frame-pointer -gline-tables-only -DFUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION -fsanitize=address -fsanitize-address-use-after-scope -fsanitize=fuzzer-no-link"
export CXXFLAGS="$CFLAGS"  # OSS-Fuzz adds -stdlib=libc++ (its own clang); the system libstdc++ here
export LIB_FUZZING_ENGINE="-fsanitize=fuzzer"
export SRC=$base/src OUT=$base/out WORK=$base/work
export MRMLGUARD_SRC=$root  # on OSS-Fuzz the checkout is $SRC/mrmlguard
rm -rf "${OUT:?}"/*

echo "check-local: building"
(cd "$root" && bash "$root/fuzz/oss-fuzz/build.sh") > "$base/build.log" 2>&1 ||
  { tail -40 "$base/build.log"; echo "check-local: build.sh failed" >&2; exit 1; }

total=0
bad=0
for t in "$OUT"/*; do
  [[ -f "$t" && -x "$t" ]] || continue
  n=$(basename "$t")
  [[ "$n" == *.* || "$n" == afl-* || "$n" == jazzer_* || "$n" == llvm-symbolizer ]] && continue
  grep -q LLVMFuzzerTestOneInput "$t" || continue
  total=$((total + 1))
  problems=()
  file "$t" | grep -q 'x86-64' || problems+=("not x86-64")
  out=$(SKIP_SEED_CORPUS=1 "$t" -seed=1337 -runs=4 2>&1 || true)
  grep -q 'Done 4 runs' <<< "$out" || problems+=("no 'Done 4 runs'")
  grep -q 'no interesting inputs were found' <<< "$out" && problems+=("not instrumented")
  edges=$(sed -n 's/.*INFO: Loaded [0-9]* modules *(\([0-9]*\) \(inline 8-bit counters\|guards\)).*/\1/p' <<< "$out" | head -1)
  [[ -n "$edges" && "$edges" -ge 100 ]] || problems+=("partial instrumentation: ${edges:-?} edges")
  dis=$(objdump -dC "$t")
  asan=$(grep -E -c 'callq?\s+[0-9a-f]+\s+<__asan' <<< "$dis" || true)
  ubsan=$(grep -E -c 'callq?\s+[0-9a-f]+\s+<__ubsan' <<< "$dis" || true)
  msan=$(grep -E -c 'callq?\s+[0-9a-f]+\s+<__msan' <<< "$dis" || true)
  [[ $asan -ge 1000 ]] || problems+=("$asan __asan calls (< 1000)")
  [[ $ubsan -le 200 ]] || problems+=("$ubsan __ubsan calls in an ASan build (> 200)")
  [[ $msan -le 3 ]] || problems+=("$msan __msan calls (> 3)")
  if [[ -f "$OUT/${n}_seed_corpus.zip" ]]; then
    seeds=$WORK/check-seeds/$n
    rm -rf "$seeds" && mkdir -p "$seeds" && unzip -q -o "$OUT/${n}_seed_corpus.zip" -d "$seeds"
    "$t" -rss_limit_mb=2560 -timeout=25 -runs=0 "$seeds" > "$WORK/check-$n.log" 2>&1 ||
      problems+=("seed corpus crashes (see $WORK/check-$n.log)")
    seeds_n=$(find "$seeds" -type f | wc -l)
  else
    seeds_n=0
  fi
  if [[ ${#problems[@]} -gt 0 ]]; then
    bad=$((bad + 1))
    echo "BAD  $n: ${problems[*]}"
  else
    echo "ok   $n: $edges edges, $asan asan / $ubsan ubsan call sites, $seeds_n seeds"
  fi
done
echo "check-local: $total targets, $bad bad"
[[ $total -gt 0 ]] || exit 1
# ALLOWED_BROKEN_TARGETS_PERCENTAGE defaults to 10 on OSS-Fuzz.
[[ $((bad * 100)) -le $((total * 10)) ]]
