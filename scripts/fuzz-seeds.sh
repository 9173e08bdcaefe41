#!/usr/bin/env bash
# Copies the seeds of the fuzz targets (small real objects of testdata, a few per
# architecture) into their Jazzer input directories, where regression mode runs them in every
# build and fuzzing mode starts from them. Run it again after testdata/build.sh changes them.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
T=testdata
R=kobj-fuzz/src/test/resources/dev/kobj/fuzz

seed() { # DIR FILE...
    local dir=$R/$1; shift
    mkdir -p "$dir"
    for f in "$@"; do
        cp "$T/$f" "$dir/seed-$(echo "$f" | sed 's|^obj/||; s|^special/||; s|/|-|g')"
    done
}

# The ELF parser: every architecture and class, LE and BE, modules with modinfo/__versions/
# this_module, a signed module, compressed sections and whole compressed files.
seed ElfFuzzTestInputs/parse \
    obj/x86_64-gcc-kernel/x86_64.o obj/x86_64-gcc-kernel/importer.o obj/x86_64-clang-kernel/exporter.o \
    obj/aarch64-tiny/aarch64.o obj/aarch64-tiny/importer.o obj/riscv64-medany/riscv.o obj/riscv32/importer.o \
    special/be32.o special/be64-aarch64.o special/module-signed.ko special/debug-zlib.o special/debug-zstd.o \
    special/module.ko.xz special/module.ko.zst special/module.ko.gz
# The linker, per architecture.
seed LinkFuzzTestInputs/x86_64 obj/x86_64-gcc-kernel/x86_64.o obj/x86_64-gcc-kernel/importer.o \
    obj/x86_64-gcc-pic/exporter.o obj/x86_64-clang-kernel/importer.o
seed LinkFuzzTestInputs/aarch64 obj/aarch64-tiny/aarch64.o obj/aarch64-tiny/importer.o obj/aarch64-small/exporter.o
seed LinkFuzzTestInputs/riscv obj/riscv64-medany/riscv.o obj/riscv64-medany/importer.o obj/riscv32/exporter.o \
    obj/riscv64-medlow-norelax/riscv.o
# Symbol tables: symtab's samples, and a Module.symvers of testdata's exporter (what modpost
# writes for it: CRC, name, module, export type, namespace).
mkdir -p $R/SymtabFuzzTestInputs/systemMap $R/SymtabFuzzTestInputs/kallsyms $R/SymtabFuzzTestInputs/symvers
cp symtab/src/test/resources/dev/kobj/symtab/System.map $R/SymtabFuzzTestInputs/systemMap/seed-System.map
cp symtab/src/test/resources/dev/kobj/symtab/kallsyms $R/SymtabFuzzTestInputs/kallsyms/seed-kallsyms
cp symtab/src/test/resources/dev/kobj/symtab/kallsyms-restricted $R/SymtabFuzzTestInputs/kallsyms/seed-kallsyms-restricted
printf '0x8d1e7a0c\tkobj_shared_counter\tkobj/kobj_exporter\tEXPORT_SYMBOL\t\n0x2f4cf3a6\tkobj_shared_add\tkobj/kobj_exporter\tEXPORT_SYMBOL_GPL\tKOBJ_NS\n0x5a2c1e8b\tprintk\tvmlinux\tEXPORT_SYMBOL\t\n' \
    > $R/SymtabFuzzTestInputs/symvers/seed-Module.symvers
# Descriptors: importers (.modinfo with depends), and descriptor files as DescriptorTest writes them.
seed DescriptorFuzzTestInputs/modinfo obj/x86_64-gcc-kernel/importer.o obj/aarch64-tiny/importer.o \
    obj/riscv32/importer.o run/kernel/x86_64-gcc-pic/syscall_module.o
mkdir -p $R/DescriptorFuzzTestInputs/properties $R/DescriptorFuzzTestInputs/plist
printf 'name=kobj_exporter\nclass=VFS\nversion=2\nrequires = kobj_base:1:2:3, kobj_other\nnoautoload=true\ngreeting=hello\n' \
    > $R/DescriptorFuzzTestInputs/properties/seed-range.properties
cat > $R/DescriptorFuzzTestInputs/plist/seed-descriptor.plist <<'PLIST'
<?xml version="1.0" encoding="UTF-8"?>
<plist version="1.0">
<dict>
  <key>name</key><string>kobj_exporter</string>
  <key>version</key><integer>3</integer>
  <key>noautoload</key><true/>
  <key>requires</key><array><string>kobj_base:1:2:3</string><string>kobj_other</string></array>
</dict>
</plist>
PLIST
# Signatures: the signed module and its certificate.
seed SignatureFuzzTestInputs/verify special/module-signed.ko
seed SignatureFuzzTestInputs/certificates special/signing-cert.pem
# depmod: an exporter and an importer.
seed DepmodFuzzTestInputs/graph obj/x86_64-gcc-kernel/exporter.o obj/x86_64-gcc-kernel/importer.o obj/aarch64-tiny/importer.o
