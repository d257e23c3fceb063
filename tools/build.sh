#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Installs the dependencies (unless MRMLGUARD_SKIP_DEPS=1), configures and
# builds mrmlguard. Shared by tools/demo.sh and tools/test.sh.
#
# Environment:
#   MRMLGUARD_BUILD_DIR   build folder, relative to the repository (default: build)
#   MRMLGUARD_CMAKE_ARGS  extra arguments for cmake's configure step
#   MRMLGUARD_SKIP_DEPS   1: do not run tools/install-deps.sh
#   MRMLGUARD_JOBS        parallel build jobs (default: number of CPUs)
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"

if [[ "${MRMLGUARD_SKIP_DEPS:-0}" != 1 ]]; then
  bash tools/install-deps.sh
fi

build_dir=${MRMLGUARD_BUILD_DIR:-build}
jobs=${MRMLGUARD_JOBS:-$(nproc 2>/dev/null || echo 2)}
generator=()
# Ninja when present and the folder is new (a folder keeps its first generator).
if command -v ninja >/dev/null 2>&1 && [[ ! -f "$build_dir/CMakeCache.txt" ]]; then
  generator=(-G Ninja)
fi

# shellcheck disable=SC2086 # MRMLGUARD_CMAKE_ARGS is a list of words on purpose
cmake -S . -B "$build_dir" "${generator[@]}" ${MRMLGUARD_CMAKE_ARGS:-}
cmake --build "$build_dir" --parallel "$jobs"
