#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# The build steps of the container image (Dockerfile), as a script so they can
# be run and tested outside Docker (tests/packaging_test.py runs install,
# smoke and runtime-packages on an existing build).
#
#   packaging/docker-build.sh build SRC BUILD          configure and build the command (no tests, no ITK)
#   packaging/docker-build.sh install BUILD STAGE      install the command into STAGE (bin/, share/), stripped
#   packaging/docker-build.sh smoke STAGE SRC          run the staged command on a clean and a crafted bundle
#   packaging/docker-build.sh runtime-packages STAGE   print the Debian packages its shared libraries come from
set -euo pipefail

step="${1:?usage: docker-build.sh build|install|smoke|runtime-packages ...}"
shift
case "$step" in
  build)
    src="$1" build="$2"
    cmake -S "$src" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
      -DMRMLGUARD_BUILD_TESTS=OFF -DMRMLGUARD_FUZZ_REPLAY=OFF -DMRMLGUARD_WITH_ITK=OFF \
      -DMRMLGUARD_WITH_LIBARCHIVE_ORACLE=OFF
    cmake --build "$build" --target mrmlguard_cli
    ;;
  install)
    build="$1" stage="$2"
    mkdir -p "$stage/bin" "$stage/share/doc/mrmlguard"
    install -m 0755 "$build/tools/mrmlguard" "$stage/bin/mrmlguard"
    strip --strip-unneeded "$stage/bin/mrmlguard" 2>/dev/null || true
    src="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
    install -m 0644 "$src/LICENSE" "$src/SECURITY.md" "$src/docs/cli.md" "$src/docs/rules.md" \
      "$stage/share/doc/mrmlguard/"
    ;;
  smoke)
    stage="$1" src="$2"
    "$stage/bin/mrmlguard" --version
    "$stage/bin/mrmlguard" validate "$src/tests/cli/data/minimal.mrb"
    # A crafted bundle must be rejected (exit 1), not pass and not fail to run.
    set +e
    "$stage/bin/mrmlguard" validate -q "$src/tests/cli/data/traversal.mrb"
    code=$?
    set -e
    [[ $code -eq 1 ]] || { echo "smoke: traversal.mrb gave exit $code, expected 1" >&2; exit 1; }
    ;;
  runtime-packages)
    stage="$1"
    # Every shared library the command loads, mapped to its Debian package
    # (the C library and the loader are in every image).
    ldd "$stage/bin/mrmlguard" | awk '$3 ~ /^\// {print $3} $1 ~ /^\// {print $1}' | sort -u |
      while read -r lib; do
        real="$(readlink -f "$lib")"
        pkg="$(dpkg -S "$lib" 2>/dev/null || dpkg -S "$real" 2>/dev/null || true)"
        [[ -n "$pkg" ]] || { echo "runtime-packages: no package owns $lib" >&2; exit 1; }
        echo "${pkg%%:*}"
      done | grep -v -x -e libc6 | sort -u
    ;;
  *)
    echo "docker-build.sh: unknown step '$step'" >&2
    exit 2
    ;;
esac
