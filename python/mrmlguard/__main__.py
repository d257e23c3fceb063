# SPDX-License-Identifier: BSD-3-Clause
"""python -m mrmlguard: judge scenes and bundles from Python's command line.

    python -m mrmlguard [--profile default|strict] [--limit NAME=VALUE]...
                        [--severity RULE=LEVEL]... [--format text|json] [-q] FILE...

The same verdicts and exit status as `mrmlguard validate`: 0 every file
accepted, 1 a file rejected, 2 a usage error or a file that could not be read.
For directory walks, file lists, parallel runs and SARIF, use the mrmlguard
command itself.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import List, Optional, Sequence

from . import MrmlguardError, Report, Severity, validate, version


def _terminal(text: str) -> str:
    # Names and messages come from the file: never let them steer a terminal.
    out = []
    for c in text:
        o = ord(c)
        if o < 0x20 or 0x7F <= o <= 0x9F or 0x202A <= o <= 0x202E or 0x2066 <= o <= 0x2069 or \
                o in (0x200E, 0x200F, 0x061C, 0x2028, 0x2029):
            out.append(f"\\x{o:02x}" if o < 0x100 else f"\\u{{{o:04x}}}")
        else:
            out.append(c)
    return "".join(out)


def _text_lines(report: Report, quiet: bool) -> List[str]:
    if quiet and report.accepted:
        return []
    lines = []
    for f in report.findings:
        if quiet and f.severity != Severity.ERROR:
            continue
        location = f.location()
        if f.entry:
            where = report.path + "!" + location
        elif location.startswith("@") or not location:
            where = report.path + location
        else:
            where = report.path + ":" + location
        lines.append(_terminal(f"{where}: {f.severity}: {f.message} [{f.rule_id}]"))
    if report.status != "ok":
        lines.append(_terminal(f"{report.path}: error: cannot read: {report.status_message}"))
    else:
        lines.append(_terminal(f"{report.path}: {report.verdict}"))
    return lines


def _pairs(values: Optional[Sequence[str]], what: str, parser: argparse.ArgumentParser) -> dict:
    result = {}
    for value in values or []:
        name, sep, rest = value.partition("=")
        if not sep or not name:
            parser.error(f"option --{what} needs NAME=VALUE, got {value!r}")
        result[name] = rest
    return result


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m mrmlguard",
                                     description="Judge 3D Slicer scenes (.mrml) and bundles (.mrb).")
    parser.add_argument("files", nargs="*", metavar="FILE")
    parser.add_argument("--profile", default="default", choices=("default", "strict"))
    parser.add_argument("--limit", action="append", metavar="NAME=VALUE")
    parser.add_argument("--severity", action="append", metavar="RULE=LEVEL")
    parser.add_argument("--format", default="text", choices=("text", "json"))
    parser.add_argument("-q", "--quiet", action="store_true")
    parser.add_argument("--version", action="store_true", help="print the library version")
    args = parser.parse_args(argv)
    try:
        if args.version:
            print(f"mrmlguard {version()}")
            return 0
        if not args.files:
            parser.error("no file given")
        limits = _pairs(args.limit, "limit", parser)
        severities = _pairs(args.severity, "severity", parser)
        reports = [validate(path, profile=args.profile, limits=limits, severities=severities)
                   for path in args.files]
    except (ValueError, TypeError) as error:
        print(f"python -m mrmlguard: {error}", file=sys.stderr)
        return 2
    except MrmlguardError as error:
        print(f"python -m mrmlguard: {error}", file=sys.stderr)
        return 2
    if args.format == "json":
        files = [r.to_dict()["files"][0] for r in reports]
        summary = {"files": len(reports), "accepted": sum(r.accepted for r in reports),
                   "rejected": sum(r.status == "ok" and not r.accepted for r in reports),
                   "unreadable": sum(r.status != "ok" for r in reports)}
        json.dump({"schema": "mrmlguard-report", "version": 1,
                   "tool": {"name": "mrmlguard", "version": version()},
                   "files": files, "summary": summary}, sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        for report in reports:
            for line in _text_lines(report, args.quiet):
                print(line)
    if any(r.status != "ok" for r in reports):
        return 2
    return 0 if all(r.accepted for r in reports) else 1


if __name__ == "__main__":
    sys.exit(main())
