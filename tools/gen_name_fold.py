#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Writes lib/zip/name_fold_table.inc: the per-code-point tables behind FoldKey
(lib/zip/zip_names.cc), the key under which two bundle entry names, or an entry
name and a storage path, name the same file on a case-insensitive, normalising
file system (NTFS, APFS, HFS+, exFAT).

Read from the Unicode Character Database files (Debian package unicode-data):
  CaseFolding.txt   status C and F: full case folding (the Unicode default);
  UnicodeData.txt   field 5: canonical decompositions (NFD, applied recursively;
                    Hangul syllables are decomposed algorithmically in C++),
                    field 3: canonical combining classes (for canonical ordering),
                    field 12: simple uppercase (NTFS compares names through its
                    $UpCase table, a simple uppercase map).
The key of a string is NFD(fold(NFD(s))) with canonical ordering, where
fold(c) = full case fold of c's simple uppercase. The generator checks that the
key merges every pair that full case folding merges and every pair that simple
uppercasing merges (so it is at least as coarse as each file system's view) and
refuses to write a table otherwise.

Usage: gen_name_fold.py [--ucd DIR] [--check] --output lib/zip/name_fold_table.inc
Python 3 standard library only. Deterministic: the same UCD files give the same bytes.
"""

import argparse
import os
import sys

HANGUL_S_BASE, HANGUL_S_COUNT = 0xAC00, 11172


def read_ucd(ucd):
    decomp, ccc, upper = {}, {}, {}
    ranges = []
    with open(os.path.join(ucd, "UnicodeData.txt"), encoding="utf-8") as f:
        for line in f:
            fields = line.rstrip("\n").split(";")
            cp = int(fields[0], 16)
            if int(fields[3]):
                ccc[cp] = int(fields[3])
            d = fields[5]
            if d and not d.startswith("<"):
                decomp[cp] = [int(x, 16) for x in d.split()]
            if fields[12]:
                upper[cp] = int(fields[12], 16)
    fold = {}
    with open(os.path.join(ucd, "CaseFolding.txt"), encoding="utf-8") as f:
        for line in f:
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            code, status, mapping = [x.strip() for x in line.split(";")[:3]]
            if status in ("C", "F"):
                fold[int(code, 16)] = [int(x, 16) for x in mapping.split()]
    version = "unknown"
    with open(os.path.join(ucd, "CaseFolding.txt"), encoding="utf-8") as f:
        first = f.readline()
        if first.startswith("# CaseFolding-"):
            version = first[len("# CaseFolding-"):].strip().removesuffix(".txt")
    return decomp, ccc, upper, fold, version


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ucd", default="/usr/share/unicode")
    ap.add_argument("--output", required=True)
    ap.add_argument("--check", action="store_true", help="fail when OUTPUT differs from what would be written")
    args = ap.parse_args()
    decomp, ccc, upper, fold, version = read_ucd(args.ucd)

    def nfd_cp(cp):
        if HANGUL_S_BASE <= cp < HANGUL_S_BASE + HANGUL_S_COUNT:
            return [cp]  # algorithmic in C++; kept whole here
        if cp in decomp:
            out = []
            for c in decomp[cp]:
                out += nfd_cp(c)
            return out
        return [cp]

    def order(seq):
        out = list(seq)
        i = 0
        while i < len(out):  # stable sort of each run of non-starters by class
            if ccc.get(out[i], 0) == 0:
                i += 1
                continue
            j = i
            while j < len(out) and ccc.get(out[j], 0) != 0:
                j += 1
            out[i:j] = sorted(out[i:j], key=lambda c: ccc[c])
            i = j
        return out

    def key_of_cp(cp):
        seq = []
        for c in nfd_cp(cp):
            u = upper.get(c, c)
            for f in fold.get(u, [u]):
                seq += nfd_cp(f)
        # Folding may expose new decompositions or reorder marks; iterate to a fixed point.
        while True:
            nxt = []
            for c in seq:
                for f in fold.get(upper.get(c, c), [upper.get(c, c)]):
                    nxt += nfd_cp(f)
            nxt = order(nxt)
            if nxt == seq:
                return seq
            seq = nxt

    table = {}
    for cp in range(0x110000):
        if 0xD800 <= cp <= 0xDFFF:
            continue
        k = key_of_cp(cp)
        if k != [cp]:
            table[cp] = k

    def key_str(s):
        out = []
        for c in s:
            out += table.get(c, [c]) if not (HANGUL_S_BASE <= c < HANGUL_S_BASE + HANGUL_S_COUNT) else hangul(c)
        return tuple(order(out))

    def hangul(c):
        s = c - HANGUL_S_BASE
        l, v, t = 0x1100 + s // 588, 0x1161 + (s % 588) // 28, 0x11A7 + s % 28
        return [l, v] + ([t] if t != 0x11A7 else [])

    # Closure checks: the key must merge what each file system's view merges.
    bad = []
    by_fold, by_upper = {}, {}
    for cp in range(0x110000):
        if 0xD800 <= cp <= 0xDFFF:
            continue
        if cp in fold:
            by_fold.setdefault(tuple(fold[cp]), []).append(cp)
        if cp in upper:
            by_upper.setdefault(upper[cp], []).append(cp)
    for target, members in list(by_fold.items()) + [((k,), v) for k, v in by_upper.items()]:
        keys = {key_str([m]) for m in members} | {key_str(list(target))}
        if len(keys) != 1:
            bad.append((target, members))
    if bad:
        sys.exit(f"gen_name_fold.py: the key does not merge {len(bad)} groups, first {bad[:3]}")

    longest = max(len(v) for v in table.values())
    lines = [
        "// Generated by tools/gen_name_fold.py from the Unicode Character Database",
        f"// (CaseFolding-{version}, UnicodeData.txt); do not edit, re-run it.",
        "// Per code point: NFD of the full case fold of its simple uppercase, canonically",
        "// ordered (0-terminated when shorter). Hangul syllables are decomposed in code.",
        f"constexpr size_t kNameFoldMaxOut = {longest};",
        "struct NameFold {",
        "  uint32_t cp;",
        f"  uint32_t out[{longest}];",
        "};",
        "constexpr NameFold kNameFold[] = {",
    ]
    for cp in sorted(table):
        out = table[cp] + [0] * (longest - len(table[cp]))
        lines.append("    {0x%04X, {%s}}," % (cp, ", ".join("0x%04X" % o for o in out)))
    lines.append("};")
    lines.append("// Canonical combining classes of the code points whose class is not 0.")
    lines.append("struct CombiningClass {")
    lines.append("  uint32_t cp;")
    lines.append("  uint8_t ccc;")
    lines.append("};")
    lines.append("constexpr CombiningClass kCombiningClass[] = {")
    for cp in sorted(ccc):
        lines.append("    {0x%04X, %d}," % (cp, ccc[cp]))
    lines.append("};")
    text = "\n".join(lines) + "\n"
    if args.check:
        with open(args.output, encoding="utf-8") as f:
            if f.read() != text:
                sys.exit(f"{args.output} is stale: re-run tools/gen_name_fold.py")
        print(f"{args.output}: current")
        return
    with open(args.output, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)
    print(f"{args.output}: {len(table)} folds, {len(ccc)} combining classes, CaseFolding {version}")


if __name__ == "__main__":
    main()
