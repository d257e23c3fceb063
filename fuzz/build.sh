#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Builds the libFuzzer targets with clang, coverage and ASan+UBSan on the whole
# build (library layers and harnesses), into a build directory of their own.
#
#   fuzz/build.sh [BUILD_DIR]        default: build-fuzz at the repository root
#
# Environment:
#   CC, CXX            default clang, clang++
#   FUZZ_SANITIZERS    default address,undefined
#   FUZZ_DEPS_PREFIX   a prefix from fuzz/build-deps.sh: Expat, libxml2, libzip
#                      and zlib built with the same instrumentation, found
#                      through its pkg-config files (coverage reaches inside them)
#   CMAKE_ARGS         extra arguments for cmake
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${1:-$root/build-fuzz}
san=${FUZZ_SANITIZERS:-address,undefined}
export CC=${CC:-clang} CXX=${CXX:-clang++}

flags="-O1 -g -fno-omit-frame-pointer -gline-tables-only -DFUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION"
flags="$flags -fsanitize=fuzzer-no-link,$san -fno-sanitize-recover=undefined"
export CFLAGS="$flags" CXXFLAGS="$flags"
export LDFLAGS="-fsanitize=$san"

extra=()
if [[ -n "${FUZZ_DEPS_PREFIX:-}" ]]; then
  export PKG_CONFIG_PATH="$FUZZ_DEPS_PREFIX/lib/pkgconfig:$FUZZ_DEPS_PREFIX/share/pkgconfig${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}"
  # build-deps.sh installs static libraries only, so these are the ones linked.
  extra+=(-DPKG_CONFIG_USE_CMAKE_PREFIX_PATH=OFF "-DCMAKE_PREFIX_PATH=$FUZZ_DEPS_PREFIX")
fi

generator=()
command -v ninja >/dev/null && generator=(-G Ninja)
# shellcheck disable=SC2086
cmake -S "$root" -B "$build" "${generator[@]}" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_C_FLAGS_RELWITHDEBINFO= -DCMAKE_CXX_FLAGS_RELWITHDEBINFO= \
  -DMRMLGUARD_BUILD_FUZZERS=ON -DMRMLGUARD_BUILD_TESTS=OFF -DMRMLGUARD_BUILD_TOOLS=OFF \
  -DMRMLGUARD_WERROR="${MRMLGUARD_WERROR:-ON}" "${extra[@]}" ${CMAKE_ARGS:-}
cmake --build "$build" --target fuzzers -j "$(nproc)"
echo "fuzzers in $build/fuzz:"
(cd "$build/fuzz" && ls -1 ./*_fuzzer)
