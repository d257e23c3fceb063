#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Installs everything mrmlguard needs to build and test on Debian 12 (or a
# derivative). Idempotent: when every package is already installed it changes
# nothing and needs no network. Runs as root, or through sudo when not root.
#
#   tools/install-deps.sh            install what is missing
#   tools/install-deps.sh --check    only report what is missing (exit 1 if any)
set -euo pipefail

packages=(
  # toolchain
  build-essential cmake ninja-build pkg-config clang llvm libclang-rt-14-dev
  # the libraries mrmlguard links
  libexpat1-dev expat libxml2-dev libxml2-utils libzip-dev zlib1g-dev libdeflate-dev
  # tests: GoogleTest, the libarchive oracle (Slicer extracts bundles with libarchive)
  libgtest-dev libgmock-dev libarchive-dev libarchive-tools
  # scripts and golden tests
  python3 unzip zip util-linux
  # zip layer: tools/gen_name_fold.py reads CaseFolding.txt and UnicodeData.txt (table test)
  unicode-data
  # --- other layers add their packages below this line (one per line, with why) ---
  # data layer: ITK reference reader (MRMLGUARD_WITH_ITK)
  libinsighttoolkit5-dev
  # python package tests (tests/embed/test_pip_install.py): an offline pip install into a fresh venv
  python3-venv python3-pip python3-setuptools python3-wheel
)

missing=()
for p in "${packages[@]}"; do
  # dpkg-query prints "install ok installed" for an installed package.
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

if [[ ${#missing[@]} -eq 0 ]]; then
  echo "install-deps: all ${#packages[@]} packages are installed"
  exit 0
fi
if [[ "${1:-}" == "--check" ]]; then
  echo "install-deps: missing: ${missing[*]}"
  exit 1
fi

if [[ $(id -u) -eq 0 ]]; then
  run=()
elif command -v sudo >/dev/null 2>&1; then
  run=(sudo)
else
  echo "install-deps: not root and no sudo; install these as root: ${missing[*]}" >&2
  exit 1
fi

echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${run[@]}" apt-get update
"${run[@]}" apt-get install -y --no-install-recommends "${missing[@]}"
