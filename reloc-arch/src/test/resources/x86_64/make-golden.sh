#!/bin/sh
# Regenerates golden.o and golden.elf from golden.s with GNU as and ld (binutils 2.40 made
# the checked-in files). The layout and the external symbols are fixed here; the test reads
# every address back from golden.elf.
set -eu
cd "$(dirname "$0")"
as --64 -o golden.o golden.s
ld -m elf_x86_64 -static -o golden.elf -Ttext=0x401000 -Tdata=0x601000 -e _start \
   --defsym ext_near=0x40a000 --defsym ext_far=0xffffffff81000000 \
   --defsym ext_s32=0xffffffff80001234 --defsym ext_abs32=0x12345678 \
   --defsym ext16=0xbeef --defsym ext_pc16=0x60f000 --defsym ext8=0xc8 --defsym ext_pc8=0x600fd0 \
   --defsym ext_neg=-0x7fff0000 --defsym ext_neg16=-40000 --defsym ext_neg8=-200 --defsym ext_pcneg16=0x5f7000 \
   golden.o
as --64 -o golden-got.o golden-got.s
ld -m elf_x86_64 -static --no-relax -o golden-got.elf -Ttext=0x401000 -Tdata=0x601000 -e _start \
   --defsym ext_near=0x40a000 --defsym ext_far=0xffffffff81000000 \
   golden-got.o
