#!/bin/bash -eu
# SPDX-License-Identifier: BSD-3-Clause
# OSS-Fuzz build script for mrmlguard (copy with Dockerfile and project.yaml
# to oss-fuzz/projects/mrmlguard/). Uses only what OSS-Fuzz provides:
# $CC $CXX $CFLAGS $CXXFLAGS $LIB_FUZZING_ENGINE $SRC $OUT $WORK.
#
# 1. Expat, libxml2, libzip and zlib from $SRC/deps/<name> (Dockerfile), built
#    static with $CC/$CFLAGS into $WORK/deps (fuzz/build-deps.sh).
# 2. mrmlguard with MRMLGUARD_BUILD_FUZZERS, linked with $LIB_FUZZING_ENGINE.
# 3. $OUT/<fuzzer>, <fuzzer>_seed_corpus.zip, <fuzzer>.dict, <fuzzer>.options,
#    per fuzz/corpora.txt.
# The libarchive oracle is left out (libarchive would need building too).

repo=${MRMLGUARD_SRC:-$SRC/mrmlguard}
deps=$WORK/deps

prefix=${FUZZ_DEPS_PREFIX:-$deps/prefix}  # check-local.sh may hand in a prefix built earlier
if [[ -z "${FUZZ_DEPS_PREFIX:-}" ]]; then
  if [[ -d $SRC/deps ]]; then
    FUZZ_DEPS_SRC=$SRC/deps FUZZ_DEPS_WORK=$deps "$repo/fuzz/build-deps.sh" "$prefix"
  else  # outside the Docker image: Debian source packages
    FUZZ_DEPS_WORK=$deps "$repo/fuzz/build-deps.sh" "$prefix"
  fi
fi

export PKG_CONFIG_PATH="$prefix/lib/pkgconfig:$prefix/share/pkgconfig"
cmake -S "$repo" -B "$WORK/build" -G Ninja \
  -DCMAKE_BUILD_TYPE=None -DCMAKE_C_COMPILER="$CC" -DCMAKE_CXX_COMPILER="$CXX" \
  -DCMAKE_C_FLAGS="$CFLAGS" -DCMAKE_CXX_FLAGS="$CXXFLAGS" \
  -DCMAKE_PREFIX_PATH="$prefix" \
  -DMRMLGUARD_BUILD_FUZZERS=ON -DMRMLGUARD_FUZZ_ENGINE="$LIB_FUZZING_ENGINE" \
  -DMRMLGUARD_BUILD_TESTS=OFF -DMRMLGUARD_BUILD_TOOLS=OFF \
  -DMRMLGUARD_WITH_LIBARCHIVE_ORACLE=OFF -DMRMLGUARD_WITH_ITK=OFF
cmake --build "$WORK/build" --target fuzzers

while read -r name dict extra; do
  [[ -z "$name" || "$name" == \#* ]] && continue
  [[ -x "$WORK/build/fuzz/$name" ]] || continue
  cp "$WORK/build/fuzz/$name" "$OUT/"
  if [[ "$dict" != "-" ]]; then
    for part in ${dict//+/ }; do cat "$repo/fuzz/$part"; done > "$OUT/$name.dict"
  fi
  [[ -f "$repo/fuzz/$name.options" ]] && cp "$repo/fuzz/$name.options" "$OUT/"
  seeds=()
  for d in "corpus/fuzz/$name" "corpus/regress/$name" $extra; do
    [[ -d "$repo/$d" ]] && seeds+=("$repo/$d")
  done
  rm -f "$OUT/${name}_seed_corpus.zip"
  if [[ ${#seeds[@]} -gt 0 ]]; then
    # Flat, named by content hash (folders may hold files of the same name).
    flat=$WORK/seeds/$name
    rm -rf "$flat" && mkdir -p "$flat"
    while IFS= read -r -d '' f; do
      cp "$f" "$flat/$(sha1sum < "$f" | cut -c1-40)"
    done < <(find "${seeds[@]}" -type f -size -1024k -print0)
    (cd "$flat" && zip -q -r "$OUT/${name}_seed_corpus.zip" .)
  fi
done < "$repo/fuzz/corpora.txt"
