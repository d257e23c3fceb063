#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Measures `mrmlguard validate` on the crafted bundle of issue 13 (24 deflated
# entries, each declaring 1 GiB and inflating to it, ratio about 314:1, 24 GiB
# declared against the 16 GiB max_total_uncompressed_bytes), and prints the
# wall time, CPU time, peak RSS and the findings. docs/bench/zip.md records
# the numbers. Not a test.
#
#   tools/bench_zip_bomb.sh [MRMLGUARD...]
#
# Each MRMLGUARD (default build/tools/mrmlguard) is measured once; pass an
# older build first to compare. The bundle (82 MB) is written by
# tools/gen_zip_bomb.py into ${TMPDIR:-/tmp}/mrmlguard-bench-bomb and kept
# there for re-runs (delete the folder to rebuild it).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
(( $# )) || set -- build/tools/mrmlguard
[[ -x /usr/bin/time ]] || { echo "/usr/bin/time not found: install the Debian package time" >&2; exit 2; }

work=${TMPDIR:-/tmp}/mrmlguard-bench-bomb
mkdir -p "$work"
bomb=$work/bomb24.mrb
[[ -f "$bomb" ]] || python3 "$here/gen_zip_bomb.py" "$bomb" 24 1024

printf '| build | verdict | wall s | user+sys s | peak RSS MiB | bytes inflated | findings |\n|---|---|---:|---:|---:|---:|---|\n'
for mg in "$@"; do
  [[ -x "$mg" ]] || { echo "no $mg" >&2; exit 2; }
  rc=0
  /usr/bin/time -f "%e %M %U %S" -o "$work/time.txt" "$mg" validate --format json "$bomb" >"$work/report.json" \
    2>/dev/null || rc=$?
  read -r wall kib user sys < <(tail -1 "$work/time.txt")
  # Rule ids and the bytes inflated, from the JSON report (docs/json-schema.md).
  read -r inflated rules < <(python3 -c 'import json,sys
f=json.load(open(sys.argv[1]))["files"][0]
print(f["stats"]["bytes_inflated"], ", ".join(sorted({x["rule"] for x in f["findings"]})) or "none")' "$work/report.json")
  verdict=$([[ $rc == 1 ]] && echo rejected || echo "exit $rc")
  printf '| %s | %s | %.2f | %.2f | %.1f | %s | %s |\n' "$mg" "$verdict" "$wall" "$(awk "BEGIN{print $user+$sys}")" \
    "$(awk "BEGIN{print $kib/1024}")" "$inflated" "$rules"
done
