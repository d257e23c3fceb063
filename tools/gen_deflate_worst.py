#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Writes a bundle whose one crafted entry is a raw deflate stream that costs
a decoder the most per compressed byte (issue 13, docs/bench/worst-case.md):

  empty-blocks       empty dynamic blocks, ~12 bytes each: a Huffman table
                     build per block and no output (refused past
                     max_deflate_blocks_per_mib)
  literal-blocks     dynamic blocks of 4,000 one-bit literals (~512 bytes):
                     the most blocks the budget allows, each with output
  shortest-matches   one dynamic block of length-3 matches at distance 1,
                     two bits each: one decode per 3 output bytes, ratio 12

  tools/gen_deflate_worst.py KIND OUT.mrb [MB] [--as-scene] [--scene=FILE]

MB is the size of the stream (default 100). The entry is Scene/Data/x.raw,
which no node references (only measured, MeasureDeflate), or with --as-scene
a second scene, Scene/Other.mrml, which zlib inflates (empty-blocks only: it
produces nothing, an empty scene). Sizes and CRC in both headers are the
stream's true ones, so every declared budget passes. With --scene=FILE the
main scene is FILE, deflated (a large scene beside the crafted stream: the
two costliest things one bundle can ask for). Deterministic.
"""

import importlib.util
import os
import sys
import zlib

# RFC 1951 3.2.7: the order in which code-length code lengths are sent.
ORDER = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]


class Bits:
    """Fields least significant bit first; Huffman codes most significant first."""

    def __init__(self):
        self.acc, self.n, self.out = 0, 0, bytearray()

    def put(self, value, n):
        self.acc |= value << self.n
        self.n += n
        while self.n >= 8:
            self.out.append(self.acc & 0xFF)
            self.acc >>= 8
            self.n -= 8

    def code(self, code, length):
        self.put(int(format(code, "0%db" % length)[::-1], 2), length)

    def done(self):
        if self.n:
            self.out.append(self.acc & 0xFF)
            self.acc, self.n = 0, 0
        return bytes(self.out)


def canonical(lengths):
    """{symbol: (code, length)} for {symbol: length} (RFC 1951 3.2.2)."""
    codes, code, prev = {}, 0, 0
    for sym, length in sorted(lengths.items(), key=lambda kv: (kv[1], kv[0])):
        code <<= length - prev
        codes[sym] = (code, length)
        code += 1
        prev = length
    return codes


def dynamic_block(w, last, lit, dist):
    """A dynamic block header for literal/length lengths `lit` and distance
    lengths `dist` ({symbol: length}); zero runs as code 18. Returns the two
    codes."""
    hlit = max(257, max(lit) + 1)
    hdist = max(1, max(dist) + 1)
    seq = [lit.get(i, 0) for i in range(hlit)] + [dist.get(i, 0) for i in range(hdist)]
    items, i = [], 0
    while i < len(seq):
        run = 0
        while i + run < len(seq) and seq[i + run] == 0 and run < 138:
            run += 1
        if run >= 11:
            items.append((18, run - 11))
            i += run
        else:
            items.append((seq[i], None))
            i += 1
    used = sorted({s for s, _ in items})
    # A complete code-length code over the used symbols: 1, 2, ..., n-1, n-1 bits.
    cl = {s: min(k + 1, len(used) - 1) for k, s in enumerate(used)} if len(used) > 1 else {used[0]: 1, 19: 1}
    cl.pop(19, None)
    hclen = max(4, max(ORDER.index(s) for s in cl) + 1)
    w.put(1 if last else 0, 1)
    w.put(2, 2)
    w.put(hlit - 257, 5)
    w.put(hdist - 1, 5)
    w.put(hclen - 4, 4)
    for k in range(hclen):
        w.put(cl.get(ORDER[k], 0), 3)
    codes = canonical(cl)
    for sym, extra in items:
        w.code(*codes[sym])
        if sym == 18:
            w.put(extra, 7)
    return canonical({s: n for s, n in lit.items() if n}), canonical({s: n for s, n in dist.items() if n})


def zeros_crc(n):
    """CRC-32 of n zero bytes (every stream here produces only zeros)."""
    crc, zeros = 0, bytes(1 << 24)
    while n:
        step = min(n, len(zeros))
        crc = zlib.crc32(zeros[:step], crc)
        n -= step
    return crc


def literal_blocks(size, literals=4000):
    """Dynamic blocks of `literals` one-bit literals each (about 512 bytes a
    block, the most blocks max_deflate_blocks_per_mib allows): every block
    pays its header, a table build and the first symbols one by one."""
    unit = Bits()
    for _ in range(8):  # eight blocks end on a byte boundary whatever their bit length
        lit, _ = dynamic_block(unit, False, {0: 1, 256: 1}, {0: 0})
        for _ in range(literals):
            unit.code(*lit[0])
        unit.code(*lit[256])
    assert unit.n == 0
    count = max(0, (size - 16) // len(unit.out))
    tail = Bits()
    lit, _ = dynamic_block(tail, True, {0: 1, 256: 1}, {0: 0})
    tail.code(*lit[256])
    produced = 8 * literals * count
    return bytes(unit.out) * count + tail.done(), produced, zeros_crc(produced)


def empty_blocks(size):
    """Empty dynamic blocks (only the end-of-block code, one bit) up to `size` bytes."""
    return literal_blocks(size, literals=0)


def shortest_matches(size):
    """One literal 0, then length-3 matches at distance 1 (1 + 1 bits), up to `size` bytes."""
    w = Bits()
    lit, dist = dynamic_block(w, True, {257: 1, 1: 2, 0: 3, 256: 3}, {0: 1})
    produced = 0
    for _ in range(2 - w.n % 2):  # one or two 3-bit literals leave an even bit count
        w.code(*lit[0])
        produced += 1
    while w.n:
        w.code(*lit[257]); w.code(*dist[0]); produced += 3
    four = Bits()
    for _ in range(4):
        four.code(*lit[257]); four.code(*dist[0])
    count = max(0, size - len(w.out) - 1)
    w.out += four.done() * count
    produced += 12 * count
    w.code(*lit[256])
    return w.done(), produced, zeros_crc(produced)


def deflated(name, data, level=6):
    """A deflated entry of `data` as write() lists its items."""
    packer = zlib.compressobj(level, zlib.DEFLATED, -15)
    packed = packer.compress(data) + packer.flush()
    return (name, 8, zlib.crc32(data), packed, len(data), 0o100644)


def write(kind, out, mb=100, as_scene=False, scene=None, extra=()):
    """`extra`: more entries, (name, data) pairs, deflated at level 9."""
    spec = importlib.util.spec_from_file_location("gen_zip_bomb", os.path.join(os.path.dirname(__file__), "gen_zip_bomb.py"))
    bomb = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bomb)
    stream, usize, crc = {"empty-blocks": empty_blocks, "literal-blocks": literal_blocks,
                         "shortest-matches": shortest_matches}[kind](mb * 1000 * 1000)
    if scene is None:
        scene = b'<?xml version="1.0" encoding="UTF-8"?>\n<MRML version="Slicer 5.8.1 33241" userTags="">\n</MRML>\n'
        scene_item = (b"Scene/Scene.mrml", 0, zlib.crc32(scene), scene, len(scene), 0o100644)
    else:  # a given scene, deflated as Slicer's writer would
        scene_item = deflated(b"Scene/Scene.mrml", scene)
    name = b"Scene/Other.mrml" if as_scene else b"Scene/Data/x.raw"
    items = [(b"Scene/", 0, 0, b"", 0, 0o040755), scene_item]
    items += [deflated(n.encode(), d, 9) for n, d in extra]
    items.append((name, 8, crc & 0xFFFFFFFF, stream, usize, 0o100644))
    central, pos = [], 0
    with open(out, "wb") as f:
        for ename, method, ecrc, payload, esize, mode in items:
            lfh = bomb.local_header(ename, method, ecrc, len(payload), esize)
            central.append(bomb.central_header(ename, method, ecrc, len(payload), esize, pos, mode))
            f.write(lfh)
            f.write(payload)
            pos += len(lfh) + len(payload)
        cd = b"".join(central)
        f.write(cd)
        f.write(bomb.struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(items), len(items), len(cd), pos, 0))
    return "%s: %s, %d compressed bytes inflating to %d" % (out, kind, len(stream), usize)


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    if len(args) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    scene = None
    for a in sys.argv[1:]:
        if a.startswith("--scene="):
            with open(a[len("--scene="):], "rb") as f:
                scene = f.read()
    print(write(args[0], args[1], int(args[2]) if len(args) > 2 else 100, "--as-scene" in sys.argv, scene))
    return 0


if __name__ == "__main__":
    sys.exit(main())
