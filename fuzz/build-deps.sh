#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Builds Expat, libxml2, libzip and zlib from their Debian source packages with
# the fuzz build's compiler and instrumentation (coverage + ASan + UBSan), as
# static libraries with pkg-config files, into a prefix. Then
#
#   FUZZ_DEPS_PREFIX=<prefix> fuzz/build.sh
#
# links the fuzzers against them, so coverage (and the sanitizers) reach inside
# the parsers as on OSS-Fuzz. Without it the fuzzers link the system copies,
# which libFuzzer cannot see into.
#
#   fuzz/build-deps.sh [PREFIX]     default: build-fuzz-deps/prefix at the repository root
#
# Sources: with FUZZ_DEPS_SRC set, from $FUZZ_DEPS_SRC/{zlib,libexpat,libxml2,libzip}
# (git checkouts, as the OSS-Fuzz Dockerfile makes them); otherwise the Debian 12
# source packages (apt-get source), which needs deb-src entries: when none is
# configured, one is added (root only) next to the existing deb822 sources,
# with the same mirror.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
work=${FUZZ_DEPS_WORK:-$root/build-fuzz-deps}
prefix=$(mkdir -p "${1:-$work/prefix}" && cd "${1:-$work/prefix}" && pwd)
san=${FUZZ_SANITIZERS:-address,undefined}
export CC=${CC:-clang} CXX=${CXX:-clang++}
# OSS-Fuzz (and fuzz/oss-fuzz/check-local.sh) set the flags; keep theirs.
if [[ "${CFLAGS:-}" != *fuzzer-no-link* ]]; then
  export CFLAGS="-O1 -g -gline-tables-only -fno-omit-frame-pointer -fsanitize=fuzzer-no-link,$san -fno-sanitize-recover=undefined"
  export CXXFLAGS="$CFLAGS"
  export LDFLAGS="-fsanitize=$san"
fi
jobs=$(nproc)

# 1. deb-src entries.
if [[ -z "${FUZZ_DEPS_SRC:-}" ]] && ! grep -rqsE '^(Types:.*deb-src|deb-src )' /etc/apt/sources.list /etc/apt/sources.list.d/; then
  if [[ $(id -u) -ne 0 ]]; then
    echo "build-deps: no deb-src entry in /etc/apt; add one (as root) and run again" >&2
    exit 1
  fi
  src=/etc/apt/sources.list.d/debian-src.sources
  if ls /etc/apt/sources.list.d/*.sources >/dev/null 2>&1; then
    # deb822: copy each "Types: deb" stanza as deb-src, keeping mirror, suites and keys.
    awk 'BEGIN{RS=""; ORS="\n\n"} /(^|\n)Types: deb(\n|$)/ {sub(/Types: deb/, "Types: deb-src"); print}' \
      /etc/apt/sources.list.d/*.sources > "$src"
  else
    sed -n 's/^deb /deb-src /p' /etc/apt/sources.list > /etc/apt/sources.list.d/debian-src.list
  fi
  apt-get update -qq
fi

mkdir -p "$work/src"
cd "$work/src"
fetch() {  # fetch <source package>: unpacks it once, prints its directory
  local pkg=$1
  if [[ -n "${FUZZ_DEPS_SRC:-}" ]]; then
    [[ $pkg == expat ]] && pkg=libexpat
    echo "$FUZZ_DEPS_SRC/$pkg"
    return
  fi
  if ! ls -d "$pkg"-*/ >/dev/null 2>&1; then
    # The newest version first; a mirror snapshot may lack it (security
    # updates), so fall back to the older versions apt knows.
    local ok=0 v
    for v in "" $(apt-cache showsrc "$pkg" | sed -n 's/^Version: //p'); do
      if apt-get source --download-only -qq "$pkg${v:+=$v}" >&2; then ok=1; break; fi
      rm -f "$pkg"_*
    done
    [[ $ok == 1 ]] || { echo "build-deps: cannot fetch the source of $pkg" >&2; return 1; }
    # Debian's patches applied: the parser as Debian 12 users run it.
    dpkg-source -x --no-check "$pkg"_*.dsc >&2
  fi
  echo "$PWD/$(ls -d "$pkg"-*/ | head -1 | sed 's:/$::')"
}

# 2. zlib (libzip needs it; the zip and data layers inflate with it).
dir=$(fetch zlib) || exit 1
mkdir -p "$work/zlib"
(cd "$work/zlib" && "$dir/configure" --static --prefix="$prefix" >/dev/null && make -j"$jobs" libz.a >/dev/null &&
  make install >/dev/null)
echo "build-deps: zlib installed"

# 3. Expat. Debian builds it with autotools (config.h: "#define XML_DTD 1") and
# its security patches test "#if XML_DTD == 1"; the CMake build writes an empty
# "#define XML_DTD", so give the generated header the value autotools gives.
dir=$(fetch expat) || exit 1
[[ -d "$dir/expat" ]] && dir="$dir/expat"
cmake -S "$dir" -B "$work/expat" -DCMAKE_INSTALL_PREFIX="$prefix" -DCMAKE_BUILD_TYPE=None \
  -DEXPAT_SHARED_LIBS=OFF -DEXPAT_BUILD_TESTS=OFF -DEXPAT_BUILD_TOOLS=OFF -DEXPAT_BUILD_EXAMPLES=OFF \
  -DEXPAT_BUILD_DOCS=OFF -DEXPAT_BUILD_FUZZERS=OFF >/dev/null
sed -i -E 's/^#define (XML_DTD|XML_NS|XML_GE)$/#define \1 1/' "$work/expat/expat_config.h"
cmake --build "$work/expat" -j "$jobs" >/dev/null
cmake --install "$work/expat" >/dev/null
echo "build-deps: expat installed"

# 4. libxml2: no zlib/lzma/ICU/network, nothing but the parser we compare with.
dir=$(fetch libxml2) || exit 1
cmake -S "$dir" -B "$work/libxml2" -DCMAKE_INSTALL_PREFIX="$prefix" -DCMAKE_BUILD_TYPE=None \
  -DBUILD_SHARED_LIBS=OFF -DLIBXML2_WITH_PYTHON=OFF -DLIBXML2_WITH_ZLIB=OFF -DLIBXML2_WITH_LZMA=OFF \
  -DLIBXML2_WITH_ICU=OFF -DLIBXML2_WITH_ICONV=ON -DLIBXML2_WITH_HTTP=OFF -DLIBXML2_WITH_FTP=OFF \
  -DLIBXML2_WITH_TESTS=OFF -DLIBXML2_WITH_PROGRAMS=OFF -DLIBXML2_WITH_THREADS=ON >/dev/null
cmake --build "$work/libxml2" -j "$jobs" >/dev/null
cmake --install "$work/libxml2" >/dev/null
echo "build-deps: libxml2 installed"

# 5. libzip, against the instrumented zlib and no other codec or crypto.
dir=$(fetch libzip) || exit 1
cmake -S "$dir" -B "$work/libzip" -DCMAKE_INSTALL_PREFIX="$prefix" -DCMAKE_BUILD_TYPE=None \
  -DCMAKE_PREFIX_PATH="$prefix" -DBUILD_SHARED_LIBS=OFF -DENABLE_BZIP2=OFF -DENABLE_LZMA=OFF \
  -DENABLE_ZSTD=OFF -DENABLE_GNUTLS=OFF -DENABLE_MBEDTLS=OFF -DENABLE_OPENSSL=OFF -DENABLE_COMMONCRYPTO=OFF \
  -DENABLE_WINDOWS_CRYPTO=OFF -DBUILD_TOOLS=OFF -DBUILD_REGRESS=OFF -DBUILD_EXAMPLES=OFF -DBUILD_DOC=OFF \
  -DZLIB_LIBRARY="$prefix/lib/libz.a" -DZLIB_INCLUDE_DIR="$prefix/include" >/dev/null
cmake --build "$work/libzip" -j "$jobs" >/dev/null
cmake --install "$work/libzip" >/dev/null
echo "build-deps: libzip installed"

# libxml2's CMake build does not always write libxml-2.0.pc; write one when missing.
pc="$prefix/lib/pkgconfig"
mkdir -p "$pc"
if [[ ! -f "$pc/libxml-2.0.pc" ]]; then
  ver=$(sed -n 's/.*LIBXML_DOTTED_VERSION "\(.*\)".*/\1/p' "$prefix/include/libxml2/libxml/xmlversion.h")
  cat > "$pc/libxml-2.0.pc" <<PC
prefix=$prefix
Name: libXML
Version: $ver
Description: libXML library version2 (instrumented, static)
Libs: -L\${prefix}/lib -lxml2 -lm
Cflags: -I\${prefix}/include/libxml2
PC
fi
echo "build-deps: done; now run FUZZ_DEPS_PREFIX=$prefix fuzz/build.sh"
