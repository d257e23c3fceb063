#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# The validation step of the GitHub Action (action.yml). Reads its inputs from
# the environment, so it runs (and is tested) outside GitHub as well:
#
#   MRMLGUARD          the command (default: mrmlguard on PATH)
#   INPUT_PATHS        files and folders to check, separated by newlines or spaces
#                      (default "."); folders are walked for .mrml and .mrb (-r)
#   INPUT_SARIF_FILE   where to write the SARIF log (default mrmlguard.sarif)
#   INPUT_ARGS         more validate options, split on spaces (--profile strict ...)
#   INPUT_JOBS         files judged at once (default 0: one per CPU)
#   GITHUB_OUTPUT      (set by GitHub) receives exit-code=N and sarif-file=PATH
#   GITHUB_STEP_SUMMARY (set by GitHub) receives a Markdown summary
#
# Always exits 0 once the report is written, so the SARIF can be uploaded
# before the action fails on the verdict (exit-code output: 0 all accepted,
# 1 a file rejected, 2 a file unreadable or a usage error). Exits 2 itself
# when no report could be written.
set -uo pipefail

mrmlguard="${MRMLGUARD:-mrmlguard}"
sarif="${INPUT_SARIF_FILE:-mrmlguard.sarif}"
jobs="${INPUT_JOBS:-0}"
read -r -a paths <<<"$(printf '%s' "${INPUT_PATHS:-.}" | tr '\n' ' ')"
read -r -a extra <<<"${INPUT_ARGS:-}"
(( ${#paths[@]} > 0 )) || paths=(.)

if ! command -v "$mrmlguard" >/dev/null 2>&1; then
  echo "::error::mrmlguard not found (MRMLGUARD=$mrmlguard); install it or set the 'mrmlguard' input"
  exit 2
fi

# The SARIF run's exit code is the verdict; a second, quiet text run gives the
# log, the annotations and the summary line (files are judged twice: a
# scene takes milliseconds, see docs/bench/batch.md).
"$mrmlguard" validate -r -j "$jobs" --format sarif -o "$sarif" "${extra[@]}" -- "${paths[@]}"
code=$?
if [[ ! -s "$sarif" ]]; then
  echo "::error::mrmlguard wrote no report (exit $code)"
  exit 2
fi
text="$("$mrmlguard" validate -r -j "$jobs" -q "${extra[@]}" -- "${paths[@]}" 2>&1)"
summary="$(printf '%s\n' "$text" | tail -n 1)"

# Annotations for the files that were rejected (shown without code scanning too).
printf '%s\n' "$text" | grep -E ': (rejected|error: cannot read)' | while IFS= read -r line; do
  echo "::error file=${line%%: *}::${line#*: }"
done

if [[ -n "${GITHUB_OUTPUT:-}" ]]; then
  { echo "exit-code=$code"; echo "sarif-file=$sarif"; } >>"$GITHUB_OUTPUT"
fi
if [[ -n "${GITHUB_STEP_SUMMARY:-}" ]]; then
  {
    echo "### mrmlguard"
    echo
    echo "$summary"
    echo
    echo '```'
    printf '%s\n' "$text" | head -n 200
    echo '```'
  } >>"$GITHUB_STEP_SUMMARY"
fi
echo "$summary (exit $code)"
exit 0
