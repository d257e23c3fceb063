#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Writes the crafted bundle of issue 13: N deflated entries, each declaring
SIZE bytes and really inflating to them, with a compression ratio under
max_compression_ratio (so no single entry is refused on its own) but a
declared total above max_total_uncompressed_bytes.

  tools/gen_zip_bomb.py OUT.mrb [ENTRIES] [MIB_PER_ENTRY] [--referenced]

Defaults: 24 entries of 1024 MiB (24 GiB declared, 16 GiB is the default
budget). Each MiB of an entry is 2 KiB of fixed pseudo-random bytes then
zeros, so it deflates about 350:1; one entry is compressed once and its
bytes are reused for every entry. The layout is what the audit accepts: a
top-level folder, Unix host, sizes and CRC in both headers, no extra fields.
With --referenced the scene names every entry in a storage node.
tools/bench_zip_bomb.sh and tools/bench_worst_case.py drive it; the output is
deterministic.
"""

import hashlib
import struct
import sys
import zlib


def block() -> bytes:
    noise = b"".join(hashlib.sha256(b"mrmlguard-bomb-%d" % i).digest() for i in range(64))  # 2 KiB
    return noise + bytes((1 << 20) - len(noise))


def deflate_entry(mib: int):
    one = block()
    comp = zlib.compressobj(6, zlib.DEFLATED, -15)
    parts = []
    crc = 0
    for _ in range(mib):
        parts.append(comp.compress(one))
        crc = zlib.crc32(one, crc)
    parts.append(comp.flush())
    return b"".join(parts), crc & 0xFFFFFFFF, mib << 20


def local_header(name: bytes, method: int, crc: int, csize: int, usize: int) -> bytes:
    # APPNOTE 4.3.7: signature, version needed, flags, method, time, date,
    # CRC-32, sizes, name length, extra length.
    return struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, method, 0, 0x5A21, crc, csize, usize, len(name), 0) + name


def central_header(name: bytes, method: int, crc: int, csize: int, usize: int, offset: int, mode: int) -> bytes:
    # APPNOTE 4.3.12; made by 0x0314 (Unix, 2.0), Unix mode in the high half
    # of the external attributes (MS-DOS directory bit for folders).
    external = (mode << 16) | (0x10 if mode & 0o040000 else 0)
    return struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 0x0314, 20, 0, method, 0, 0x5A21, crc, csize, usize,
                       len(name), 0, 0, 0, 0, external, offset) + name


def write_bundle(out: str, entries: int, mib: int, referenced: bool = False) -> str:
    """Writes the bundle; with `referenced`, the scene names every entry in a
    storage node (so the data checks read each entry's header). Returns a
    one-line summary."""
    data, crc, usize = deflate_entry(mib)
    nodes = b""
    if referenced:
        for i in range(entries):
            nodes += (b' <Volume id="vtkMRMLScalarVolumeNode%d" name="v%d" storageNodeRef="vtkMRMLVolumeArchetypeStorageNode%d">'
                      b'</Volume>\n <VolumeArchetypeStorage id="vtkMRMLVolumeArchetypeStorageNode%d" name="s%d" '
                      b'fileName="Data/part%02d.raw"></VolumeArchetypeStorage>\n' % (i, i, i, i, i, i))
    scene = b'<MRML version="Slicer4.4.0">\n' + nodes + b'</MRML>\n'
    items = [(b"Bomb/", 0, 0, b"", 0, 0o040755), (b"Bomb/Bomb.mrml", 0, zlib.crc32(scene), scene, len(scene), 0o100644)]
    for i in range(entries):
        items.append((b"Bomb/Data/part%02d.raw" % i, 8, crc, data, usize, 0o100644))
    central = []
    pos = 0
    with open(out, "wb") as f:
        for name, method, ecrc, payload, size, mode in items:
            lfh = local_header(name, method, ecrc, len(payload), size)
            central.append(central_header(name, method, ecrc, len(payload), size, pos, mode))
            f.write(lfh)
            f.write(payload)
            pos += len(lfh) + len(payload)
        cd = b"".join(central)
        f.write(cd)
        f.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(items), len(items), len(cd), pos, 0))
    return "%s: %d entries of %d bytes (%d compressed, ratio %.0f), %d bytes declared" % (
        out, entries, usize, len(data), usize / len(data), entries * usize)


def main() -> int:
    if len(sys.argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    out = sys.argv[1]
    entries = int(sys.argv[2]) if len(sys.argv) > 2 else 24
    mib = int(sys.argv[3]) if len(sys.argv) > 3 else 1024
    print(write_bundle(out, entries, mib, referenced="--referenced" in sys.argv[4:]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
