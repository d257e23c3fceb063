#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Benchmarks the ZIP layer (AuditZip + StreamEntry, via tests/zip/bench/zip_bench)
# against `unzip -tq` on two 512 MiB Slicer-style bundles written by bsdtar
# (libarchive, the writer Slicer uses): one stored, one deflated. Records wall
# time (best of N runs) and peak RSS (/usr/bin/time -v), and runs the codec
# comparison (zlib vs libdeflate for CRC-32 and inflate). Not a test.
#
# usage: tools/bench_zip.sh [BUILD_DIR] [RUNS]
#   BUILD_DIR  a configured build with the zip_bench target (default: build-zip)
#   RUNS       runs per measurement (default: 5)
# Needs: bsdtar (libarchive-tools), unzip, GNU time; hyperfine is used when present.
# Writes its bundles under ${TMPDIR:-/tmp}/mrmlguard-bench-zip and leaves them
# there for re-runs (delete the folder to rebuild them).
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$here/build-zip}
runs=${2:-5}
cmake --build "$build" --target zip_bench -j2 >/dev/null
bench=$(find "$build" -name zip_bench -type f -perm -u+x | head -1)
[ -x "$bench" ] || { echo "zip_bench not built in $build" >&2; exit 2; }

work=${TMPDIR:-/tmp}/mrmlguard-bench-zip
mkdir -p "$work"
if [ ! -f "$work/big_stored.mrb" ] || [ ! -f "$work/big_deflated.mrb" ]; then
  echo "making 512 MiB of scene data in $work ..." >&2
  rm -rf "$work/src" && mkdir -p "$work/src/big/Data"
  printf '<MRML version="Slicer4.4.0">\n</MRML>\n' > "$work/src/big/big.mrml"
  # 8 x 32 MiB of text tables (compress ~4:1) and 8 x 32 MiB of noise (do
  # not compress): what a bundle of volumes and tables looks like to deflate.
  for i in 0 1 2 3 4 5 6 7; do
    (seq $((i * 5000000)) $((i * 5000000 + 4000000)) || true) | head -c 33554432 > "$work/src/big/Data/table$i.csv"
    head -c 33554432 /dev/urandom > "$work/src/big/Data/volume$i.raw"
  done
  (cd "$work/src" && bsdtar --format zip --options zip:compression=store -cf "$work/big_stored.mrb" big)
  (cd "$work/src" && bsdtar --format zip -cf "$work/big_deflated.mrb" big)
  rm -rf "$work/src"
fi

# Best wall time of $runs runs and the peak RSS of the last one.
measure() {
  local label=$1; shift
  local best="" rss="" t
  for _ in $(seq "$runs"); do
    /usr/bin/time -v -o "$work/time.txt" "$@" >/dev/null 2>&1 || true
    t=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$work/time.txt" | awk -F: '{ if (NF == 3) print $1*3600+$2*60+$3; else print $1*60+$2 }')
    rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/time.txt")
    if [ -z "$best" ] || awk "BEGIN{exit !($t < $best)}"; then best=$t; fi
  done
  printf '%-34s best %6.2f s   peak RSS %6.1f MiB\n' "$label" "$best" "$(awk "BEGIN{print $rss/1024}")"
  echo "$best"  > "$work/last.txt"
}

echo "file sizes: $(stat -c '%n %s' "$work"/big_*.mrb | tr '\n' ' ')"
cat "$work/big_stored.mrb" "$work/big_deflated.mrb" > /dev/null  # warm the page cache
for kind in stored deflated; do
  f=$work/big_$kind.mrb
  measure "unzip -tq ($kind)" unzip -tq "$f"; u=$(cat "$work/last.txt")
  measure "zip_bench ($kind)" "$bench" "$f"; z=$(cat "$work/last.txt")
  measure "zip_bench --no-libzip ($kind)" "$bench" "$f" --no-libzip
  echo "ratio zip_bench / unzip -tq ($kind): $(awk "BEGIN{printf \"%.2f\", $z/$u}")"
  if command -v hyperfine >/dev/null; then
    hyperfine -w 1 -r "$runs" "unzip -tq $f" "$bench $f"
  fi
done
echo "codec comparison (entries held in memory):"
"$bench" "$work/big_deflated.mrb" --codecs
