#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# One command on a fresh Debian 12 machine: install the dependencies, build,
# and show mrmlguard judging a real Slicer bundle, a real scene and a crafted
# scene (which it rejects). See README.md.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
bash tools/build.sh
mrmlguard="${MRMLGUARD_BUILD_DIR:-build}/tools/mrmlguard"

show() {
  echo
  echo "\$ mrmlguard $*"
  # Exit 1 (rejected) is part of the demonstration; anything else is a failure.
  local rc=0
  "$mrmlguard" "$@" || rc=$?
  echo "(exit status $rc)"
  [[ $rc -le 1 ]] || exit "$rc"
}

show validate corpus/bundles/cube.mrb corpus/real/Slicer/Libs/MRML/Core/Testing/cube.mrml
show validate tests/cli/data/remote-storage.mrml
