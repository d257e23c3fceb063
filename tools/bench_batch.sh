#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Benchmarks batch runs of `mrmlguard validate` over many small real scenes
# against `xmllint --noout` (Debian package libxml2-utils) on the same files,
# and prints Markdown tables (see docs/bench/batch.md).
#
#   tools/bench_batch.sh MRMLGUARD [COUNT] [RUNS] [OLD_MRMLGUARD]
#
# COUNT files (default 10000) are made by copying the small real scenes of
# corpus/ (.mrml up to 20 KiB, and for the mixed set .mrb up to 200 KiB) round
# robin into 100 folders of a temporary tree, removed afterwards. Each command
# runs RUNS times (default 3): the tables show the fastest wall time and the
# largest peak RSS (GNU time -v). OLD_MRMLGUARD, when given, is a build that
# holds every report until the end; it is run on the same files as operands.
set -euo pipefail

mrmlguard="${1:?usage: tools/bench_batch.sh MRMLGUARD [COUNT] [RUNS] [OLD_MRMLGUARD]}"
count="${2:-10000}"
runs="${3:-3}"
old="${4:-}"
mrmlguard="$(realpath "$mrmlguard")"
[[ -z "$old" ]] || old="$(realpath "$old")"
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
command -v xmllint >/dev/null || { echo "xmllint not found: install the Debian package libxml2-utils" >&2; exit 2; }
[[ -x /usr/bin/time ]] || { echo "/usr/bin/time not found: install the Debian package time" >&2; exit 2; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# make_set NAME FIND_ARGS...: copies the matching corpus files round robin into $work/NAME.
make_set() {
  local name="$1"; shift
  (cd "$repo" && find corpus "$@" -type f | LC_ALL=C sort) >"$work/$name.sources"
  python3 - "$repo" "$work" "$name" "$count" <<'PY'
import os, shutil, sys
repo, work, name, count = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
sources = open(os.path.join(work, name + ".sources")).read().split("\n")[:-1]
if not sources:
    sys.exit(f"no corpus files for {name}")
for i in range(count):
    src = sources[i % len(sources)]
    folder = os.path.join(work, name, f"d{i % 100:02d}")
    os.makedirs(folder, exist_ok=True)
    shutil.copyfile(os.path.join(repo, src), os.path.join(folder, f"f{i:05d}{os.path.splitext(src)[1]}"))
PY
  (cd "$work" && find "$name" -type f | LC_ALL=C sort) >"$work/$name.list"
  echo "$name: $count files from $(wc -l <"$work/$name.sources") corpus files, $(du -sh "$work/$name" | cut -f1)" >&2
}

# measure CMD...: prints "| best wall s | files/s | CPU s of that run | peak RSS MiB |" over
# $runs runs (exit status ignored: some corpus scenes are rejected, or not well-formed for
# xmllint). CPU is user + system time: on a loaded machine it varies far less than wall time.
measure() {
  local best="" rss=0 r wall kb cpu=""
  for ((r = 0; r < runs; r++)); do
    (cd "$work" && /usr/bin/time -v -o "$work/time.txt" "$@" >"$work/out.txt" 2>"$work/err.txt") || true
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s}' "$work/time.txt")
    kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/time.txt")
    (( kb > rss )) && rss=$kb
    if [[ -z "$best" ]] || awk -v a="$wall" -v b="$best" 'BEGIN {exit !(a < b)}'; then
      best=$wall
      cpu=$(awk -F': ' '/User time/ {u = $2} /System time/ {s = $2} END {printf "%.2f", u + s}' "$work/time.txt")
    fi
  done
  awk -v w="$best" -v k="$rss" -v n="$count" -v c="$cpu" \
    'BEGIN {printf "| %.2f | %.0f | %.2f | %.1f |", w, (w > 0 ? n / w : 0), c, k / 1024}'
}

# first_byte CMD...: seconds until the command's first output byte (streaming check).
first_byte() {
  (cd "$work" && python3 - "$@" <<'PY'
import subprocess, sys, time
start = time.monotonic()
p = subprocess.Popen(sys.argv[1:], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
p.stdout.read(1)
first = time.monotonic() - start
p.stdout.read()
p.wait()
print(f"{first:.3f}")
PY
  )
}

make_set scenes -name '*.mrml' -size -21k
make_set mixed \( -name '*.mrml' -size -21k -o -name '*.mrb' -size -201k \)
(cd "$work" && xargs -a scenes.list cat >/dev/null && xargs -a mixed.list cat >/dev/null)  # warm the page cache

echo "Load average before: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
echo
echo "### $count scenes (.mrml)"
echo
echo "| command | wall s | files/s | CPU s | peak RSS MiB |"
echo "|---|---:|---:|---:|---:|"
echo "| \`xmllint --noout\` (all files as operands) $(measure xargs -a scenes.list xmllint --noout)"
echo "| \`mrmlguard validate -q --files-from\` $(measure "$mrmlguard" validate -q --files-from scenes.list)"
echo "| \`mrmlguard validate -q -r -j 2\` $(measure "$mrmlguard" validate -q -r -j 2 scenes)"
echo "| \`mrmlguard validate --format json --files-from\` $(measure "$mrmlguard" validate --format json --files-from scenes.list)"
echo "| \`mrmlguard validate --format sarif --files-from\` $(measure "$mrmlguard" validate --format sarif --files-from scenes.list)"
if [[ -n "$old" ]]; then
  echo "| old \`mrmlguard validate --format json FILE...\` (reports held to the end) $(measure xargs -a scenes.list -s 2000000 "$old" validate --format json)"
  echo "| new \`mrmlguard validate --format json FILE...\` $(measure xargs -a scenes.list -s 2000000 "$mrmlguard" validate --format json)"
fi
echo
echo "### $count files, scenes and bundles (.mrml, .mrb)"
echo
echo "| command | wall s | files/s | CPU s | peak RSS MiB |"
echo "|---|---:|---:|---:|---:|"
echo "| \`mrmlguard validate -q --files-from\` $(measure "$mrmlguard" validate -q --files-from mixed.list)"
echo "| \`mrmlguard validate -q -r -j 2\` $(measure "$mrmlguard" validate -q -r -j 2 mixed)"
echo
echo "Seconds to the first byte of output, scenes, text: new $(first_byte "$mrmlguard" validate --files-from scenes.list)" \
     "${old:+, old $(first_byte xargs -a scenes.list -s 2000000 "$old" validate)}"

# Reports with many findings: the case where holding every report until the end
# costs memory. A generated scene whose storage files do not exist next to it
# has thousands of mrml.storage.missing warnings; $heavy hard links to it.
heavy=100
python3 "$repo/tools/gen_big_scene.py" --nodes 12000 -o "$work/heavy.mrml"
mkdir "$work/heavy"
for ((i = 0; i < heavy; i++)); do ln "$work/heavy.mrml" "$work/heavy/h$i.mrml"; done
(cd "$work" && find heavy -type f | LC_ALL=C sort) >"$work/heavy.list"
count=$heavy
echo
echo "### $heavy scenes of $(( $(stat -c %s "$work/heavy.mrml") / 1024 )) KiB with $("$mrmlguard" validate --format json "$work/heavy.mrml" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["files"][0]["findings"]))') findings each"
echo
echo "| command | wall s | files/s | CPU s | peak RSS MiB |"
echo "|---|---:|---:|---:|---:|"
echo "| \`mrmlguard validate --format json --files-from\` $(measure "$mrmlguard" validate --format json --files-from heavy.list)"
echo "| \`mrmlguard validate --format sarif --files-from\` $(measure "$mrmlguard" validate --format sarif --files-from heavy.list)"
echo "| \`mrmlguard validate -q -j 2 --files-from\` $(measure "$mrmlguard" validate -q -j 2 --files-from heavy.list)"
if [[ -n "$old" ]]; then
  echo "| old \`mrmlguard validate --format json FILE...\` (reports held to the end) $(measure xargs -a heavy.list -s 2000000 "$old" validate --format json)"
fi
echo
echo "Seconds to the first byte of output, text: new $(first_byte "$mrmlguard" validate --files-from heavy.list)" \
     "${old:+, old $(first_byte xargs -a heavy.list -s 2000000 "$old" validate)}"
echo
echo "Load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
