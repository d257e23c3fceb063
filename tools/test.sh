#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# One command on a fresh Debian 12 machine: install the dependencies, build,
# and run every test (unit tests, golden CLI tests, documentation and layering
# checks, fuzz-corpus replays). Exits non-zero when anything fails.
#
# Environment: as tools/build.sh, plus
#   MRMLGUARD_CTEST_ARGS  arguments for ctest (default: --output-on-failure -j<CPUs>)
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
bash tools/build.sh

build_dir=${MRMLGUARD_BUILD_DIR:-build}
jobs=${MRMLGUARD_JOBS:-$(nproc 2>/dev/null || echo 2)}
# shellcheck disable=SC2086 # a list of words on purpose
ctest --test-dir "$build_dir" ${MRMLGUARD_CTEST_ARGS:---output-on-failure -j$jobs}
