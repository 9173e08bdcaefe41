#!/bin/sh
# Regenerates reloc-arch/src/test/resources/riscv-ld-golden/: the bytes GNU ld (--no-relax)
# writes for every SHF_ALLOC section of the RISC-V fixtures, laid out as RiscvLdGoldenTest
# lays them out. GNU ld is the independent oracle; kobj's code is not used here.
#
# Layout: SHF_ALLOC sections in header order from BASE, each at the next 4 KiB page
# (BASE = 0xffffffff81000000 for RV64, 0xc1000000 for RV32); the undefined symbol of symbol
# index i at END + 64*i, END being the page after the last section.
#
# Left out: riscv.o (its R_RISCV_ALIGN makes ld delete bytes, which kobj refuses to do),
# riscv-tls.o (TLS), the -pic variant (ld's GOT is not kobj's), and the __ksymtab* sections
# (their PREL32 offsets point into SHF_MERGE strings, which ld merges).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
testdata=$here/../../../../testdata
out=$here/../resources/riscv-ld-golden
rm -rf "$out"
for v in riscv32 riscv64-medany riscv64-medany-norelax riscv64-medlow riscv64-medlow-norelax; do
  for o in module exporter importer; do
    obj=$testdata/obj/$v/$o.o
    d=$out/$v-$o
    mkdir -p "$d"
    if [ "$v" = riscv32 ]; then base=$((0xc1000000)); em=elf32lriscv; else base=-2130706432; em=elf64lriscv; fi
    tmp=$(mktemp -d)
    # [Nr] Name Type Address Off Size ES Flg ...: keep index, name, size for SHF_ALLOC (A in Flg)
    LC_ALL=C riscv64-linux-gnu-readelf -SW "$obj" | sed -n 's/^ *\[ *\([0-9]*\)\] \(.*\)$/\1 \2/p' |
      awk '$1 > 0 && $8 ~ /A/ { print $1, $2, $6 }' > "$tmp/alloc"
    next=$base
    echo "SECTIONS {" > "$tmp/script.ld"
    while read -r idx name size; do
      printf '  .s%s 0x%x : { *(%s) }\n' "$idx" "$next" "$name" >> "$tmp/script.ld"
      echo "$idx $name" >> "$tmp/names"
      next=$((next + ((0x$size + 0xfff) & ~0xfff)))
    done < "$tmp/alloc"
    echo "  /DISCARD/ : { *(.riscv.attributes) *(.comment) *(.note.GNU-stack) } }" >> "$tmp/script.ld"
    LC_ALL=C riscv64-linux-gnu-readelf -sW "$obj" | awk '$7 == "UND" && $8 != "" { sub(":", "", $1); print $1, $8 }' |
      while read -r i sym; do printf -- '--defsym=%s=0x%x\n' "$sym" "$((next + 64 * i))"; done |
      sort -u -t= -k2,2 > "$tmp/defsyms"
    riscv64-linux-gnu-ld -m $em --no-relax -T "$tmp/script.ld" $(cat "$tmp/defsyms") "$obj" -o "$tmp/linked"
    while read -r idx name; do
      case "$name" in __ksymtab*) continue ;; esac
      LC_ALL=C riscv64-linux-gnu-readelf -SW "$obj" | grep -q "\.rela$name " || continue
      riscv64-linux-gnu-objcopy -O binary --only-section=".s$idx" "$tmp/linked" "$d/$idx$name.bin"
    done < "$tmp/names"
    rm -rf "$tmp"
  done
done
