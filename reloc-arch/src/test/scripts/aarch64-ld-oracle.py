#!/usr/bin/env python3
"""Builds the GNU ld oracle for the AArch64 engine's fixture test.

For each AArch64 fixture object, links it alone with aarch64-linux-gnu-ld at fixed
addresses (undefined symbols --defsym'd near .text, kobj_abs_small = 0x40),
keeping the relocations (--emit-relocs), and writes one TSV line per relocation
of an allocated section:

    section  offset  type  P  S  A  G  GOT  expected-bytes

section/offset name the place in the *input* object; P, S, A are ld's; G is the
address of the .got entry holding S+A (GOT relocations only); GOT is
_GLOBAL_OFFSET_TABLE_; expected-bytes are the place's bytes in ld's output, in
file order. The test feeds the same quantities to the engine and compares bytes.

Run from the repository root:  python3 reloc-arch/src/test/scripts/aarch64-ld-oracle.py
Needs binutils-aarch64-linux-gnu; the tests only read the TSV files.
"""
import os
import re
import subprocess
import sys
import tempfile

# (object, extra ld options, address of the first external symbol, output suffix): the
# "below" links put the externals under .text so that PC-relative MOVW groups go negative (MOVN).
FIXTURES = [
    ("obj/aarch64-tiny/aarch64.o", [], 0x40200000, ""),
    ("obj/aarch64-tiny/aarch64.o", [], 0x3FE00000, "-below"),
    ("special/be64-aarch64.o", ["-EB"], 0x3FE00000, "-below"),
    ("obj/aarch64-small/aarch64.o", [], 0x40200000, ""),
    ("obj/aarch64-large/aarch64.o", [], 0x40200000, ""),
    ("obj/aarch64-pic/aarch64.o", [], 0x40200000, ""),
    ("obj/aarch64-small/module.o", [], 0x40200000, ""),
    ("obj/aarch64-large/module.o", [], 0x40200000, ""),
    ("obj/aarch64-pic/module.o", [], 0x40200000, ""),
    ("special/be64-aarch64.o", ["-EB"], 0x40200000, ""),
]
TEXT = 0x40000000
DATA_WIDTH = {"ABS64": 8, "PREL64": 8, "GOTREL64": 8, "ABS32": 4, "PREL32": 4, "PLT32": 4, "GOTREL32": 4,
              "ABS16": 2, "PREL16": 2}


def run(*cmd):
    return subprocess.run(cmd, check=True, capture_output=True, text=True).stdout


def undefined_symbols(obj):
    names = []
    for line in run("aarch64-linux-gnu-readelf", "-sW", obj).splitlines():
        f = line.split()
        if len(f) >= 8 and f[6] == "UND" and f[0].rstrip(":").isdigit() and f[0] != "0:":
            names.append(f[7])
    return sorted(set(names))


def sections(elf):
    out = {}
    for line in run("aarch64-linux-gnu-readelf", "-SW", elf).splitlines():
        m = re.match(r"\s*\[\s*(\d+)\]\s+(\S+)\s+\S+\s+([0-9a-f]+)\s+([0-9a-f]+)\s+([0-9a-f]+)", line)
        if m:
            out[m.group(2)] = (int(m.group(3), 16), int(m.group(4), 16), int(m.group(5), 16))
    return out


def input_sections(map_text, obj):
    """(name, address, size) of each input section of obj placed by ld, from the map file."""
    result = []
    lines = map_text.splitlines()
    i = 0
    while i < len(lines):
        m = re.match(r"^ (\.\S+)\s*$", lines[i])
        rest = None
        if m and i + 1 < len(lines):
            rest, name = lines[i + 1], m.group(1)
            i += 1
        else:
            m = re.match(r"^ (\.\S+)\s+(0x.*)$", lines[i])
            if m:
                rest, name = m.group(2), m.group(1)
        if rest is not None:
            f = rest.split()
            if len(f) >= 3 and f[0].startswith("0x") and f[2].endswith(os.path.basename(obj)):
                result.append((name, int(f[0], 16), int(f[1], 16)))
        i += 1
    return result


def main():
    root = os.getcwd()
    testdata = os.path.join(root, "testdata")
    outdir = os.path.join(root, "reloc-arch/src/test/resources/aarch64-ld")
    os.makedirs(outdir, exist_ok=True)
    for rel, extra, external, suffix in FIXTURES:
        obj = os.path.join(testdata, rel)
        with tempfile.TemporaryDirectory() as tmp:
            out, mapf = os.path.join(tmp, "out.elf"), os.path.join(tmp, "map.txt")
            defsyms = []
            for k, name in enumerate(undefined_symbols(obj)):
                value = 0x40 if name == "kobj_abs_small" else external + 0x1000 * k + 0x10
                defsyms += ["--defsym", "%s=0x%x" % (name, value)]
            cmd = ["aarch64-linux-gnu-ld"] + extra + ["-o", out, "--emit-relocs", "-e", "0", "-Ttext=0x%x" % TEXT,
                                                      "-Map", mapf] + defsyms + [obj]
            subprocess.run(cmd, check=True, capture_output=True)
            secs = sections(out)
            data = open(out, "rb").read()
            order = "big" if data[5] == 2 else "little"
            got_base = secs[".got"][0] if ".got" in secs else 0
            got = {}
            if ".got" in secs:
                addr, off, size = secs[".got"]
                for k in range(0, size, 8):
                    got.setdefault(int.from_bytes(data[off + k:off + k + 8], order), addr + k)
            placed = input_sections(open(mapf).read(), obj)
            rows = []
            for line in run("aarch64-linux-gnu-readelf", "-rW", out).splitlines():
                m = re.match(r"^([0-9a-f]{16})\s+[0-9a-f]+\s+R_AARCH64_(\S+)\s+([0-9a-f]+)\s+(.*?)\s*([+-])\s*([0-9a-f]+)$",
                             line)
                if not m:
                    continue
                p, tname, s = int(m.group(1), 16), m.group(2), int(m.group(3), 16)
                a = int(m.group(6), 16) * (-1 if m.group(5) == "-" else 1)
                if tname == "NONE":
                    continue
                home = [x for x in placed if x[1] <= p < x[1] + x[2]]
                if len(home) != 1:
                    sys.exit("%s: no unique input section for 0x%x" % (rel, p))
                name, base, _ = home[0]
                out_sec = [v for v in secs.values() if v[0] <= p < v[0] + max(v[2], 1) and v[0] != 0]
                width = DATA_WIDTH.get(tname, 4)
                foff = p - out_sec[0][0] + out_sec[0][1]
                g = got.get((s + a) & 0xFFFFFFFFFFFFFFFF, 0) if "GOT" in tname and "GOTREL" not in tname else 0
                rows.append("%s\t%x\tR_AARCH64_%s\t%x\t%x\t%d\t%x\t%x\t%s" % (
                    name, p - base, tname, p, s, a, g, got_base, data[foff:foff + width].hex()))
            dest = os.path.join(outdir, rel.replace("/", "_").replace(".o", suffix + ".tsv"))
            with open(dest, "w") as f:
                f.write("# GNU ld oracle for testdata/%s (%s)\n" % (rel, run("aarch64-linux-gnu-ld", "--version")
                                                                   .splitlines()[0]))
                f.write("# " + " ".join(os.path.basename(c) if c.startswith("/") else c for c in cmd) + "\n")
                f.write("# section\toffset\ttype\tP\tS\tA\tG\tGOT\texpected\n")
                f.write("\n".join(rows) + "\n")
            print("%s: %d relocations" % (dest, len(rows)))


if __name__ == "__main__":
    main()
