#!/usr/bin/env bash
# Regenerates the kobj test fixtures: testdata/obj/, testdata/special/,
# testdata/golden/ and testdata/objects.tsv from the sources in testdata/src/.
# Tests never run this script; they only read what it produced.
#
# Debian 12 (bookworm) packages needed to regenerate:
#   gcc clang binutils
#   gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu libc6-dev-arm64-cross (static kload)
#   gcc-riscv64-linux-gnu binutils-riscv64-linux-gnu
#   xz-utils zstd gzip openssl coreutils gawk (or mawk)
#
# Usage: testdata/build.sh          (from any directory)
set -euo pipefail

TD="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$TD"

export LC_ALL=C
export TZ=UTC
export SOURCE_DATE_EPOCH=1700000000
umask 022

die() { echo "build.sh: error: $*" >&2; exit 1; }

need() { # need COMMAND DEBIAN-PACKAGE
	command -v "$1" >/dev/null 2>&1 ||
		die "required tool '$1' not found (install the Debian package '$2')"
}

need gcc gcc
need clang clang
need as binutils
need ld binutils
need readelf binutils
need objcopy binutils
need aarch64-linux-gnu-gcc gcc-aarch64-linux-gnu
need aarch64-linux-gnu-ld binutils-aarch64-linux-gnu
need aarch64-linux-gnu-readelf binutils-aarch64-linux-gnu
need riscv64-linux-gnu-gcc gcc-riscv64-linux-gnu
need riscv64-linux-gnu-ld binutils-riscv64-linux-gnu
need riscv64-linux-gnu-readelf binutils-riscv64-linux-gnu
need xz xz-utils
need zstd zstd
need gzip gzip
need openssl openssl
need awk gawk

TMP="$(mktemp -d "${TMPDIR:-/tmp}/kobj-testdata.XXXXXX")"
trap 'rm -rf "$TMP"' EXIT

# Flags shared by every C compilation: freestanding, kernel-like, reproducible.
COMMON_CFLAGS=(-O2 -ffreestanding -fno-builtin -nostdinc -fno-common
	-fno-stack-protector -Wall -ffile-prefix-map="$TD"=. -Isrc)

# Start from a clean slate (the signing key and certificate are kept so that
# the signed module stays byte-identical across regenerations).
rm -rf obj golden objects.tsv run
mkdir -p obj golden special
find special -mindepth 1 ! -name signing-key.pem ! -name signing-cert.pem -delete

TSV_ROWS=()

# golden REL-PATH READELF ARCH DESCRIPTION
# Writes golden/REL-PATH.readelf (-SsrW) and golden/REL-PATH.groups (-gW)
# and adds a line to objects.tsv.
golden() {
	local rel=$1 re=$2 arch=$3 desc=$4
	mkdir -p "golden/$(dirname "$rel")"
	"$re" -SsrW "$rel" >"golden/$rel.readelf"
	"$re" -gW "$rel" >"golden/$rel.groups"
	TSV_ROWS+=("$rel	$re	$arch	$desc")
}

# check_rel FILE READELF: the object must be ET_REL.
check_rel() {
	grep -q 'Type:[[:space:]]*REL (Relocatable file)' <<<"$("$2" -h "$1")" ||
		die "$1 is not a relocatable object"
}

# check_comdat FILE READELF: at least one COMDAT group.
check_comdat() {
	grep -q '^COMDAT group section' <<<"$("$2" -gW "$1")" ||
		die "$1 has no COMDAT group"
}

describe() { # describe OBJECT-BASENAME
	case "$1" in
	module) echo "complete module: local/external calls, jump table, fn-pointer tables and ops struct, strings, data/bss, weak undefined, init/exit sections, large/negative addends, .modinfo, __versions, this_module, COMDAT" ;;
	exporter) echo "module exporting kobj_shared_counter/kobj_shared_add (__ksymtab, __ksymtab_gpl, __ksymtab_strings, __kcrctab), COMDAT" ;;
	importer) echo "module importing kobj_shared_counter/kobj_shared_add from exporter, COMDAT" ;;
	x86_64) echo "hand-written x86-64 relocations (GOT/PLT/SIZE/PC64/16/8/NONE...), COMDAT" ;;
	x86_64-tls) echo "x86-64 TLS relocations (to be rejected)" ;;
	aarch64) echo "hand-written AArch64 relocations (MOVW groups, TSTBR14, CONDBR19, LD_PREL_LO19, ADR_PREL_LO21, ABS16/PREL16, GOT...), COMDAT" ;;
	aarch64-tls) echo "AArch64 TLS relocations (to be rejected)" ;;
	riscv) echo "hand-written RISC-V relocations (ADD/SUB/SET, RVC, PCREL/HI/LO, GOT, CALL, ALIGN, 32_PCREL...), COMDAT" ;;
	riscv-tls) echo "RISC-V TLS relocations (to be rejected)" ;;
	*) echo "$1" ;;
	esac
}

# ---------------------------------------------------------------------------
# Per-variant objects: obj/<variant>/<name>.o
# Fields: variant | arch | asm file stem | readelf | compiler | flags
VARIANTS=(
	"x86_64-gcc-kernel|x86_64|x86_64|readelf|gcc|-mcmodel=kernel -fno-pie -mno-red-zone -fno-asynchronous-unwind-tables"
	"x86_64-gcc-pic|x86_64|x86_64|readelf|gcc|-fpic"
	"x86_64-clang-kernel|x86_64|x86_64|readelf|clang --target=x86_64-linux-gnu|-mcmodel=kernel -fno-pie -mno-red-zone"
	"x86_64-clang-pic|x86_64|x86_64|readelf|clang --target=x86_64-linux-gnu|-fpic"
	"aarch64-small|aarch64|aarch64|aarch64-linux-gnu-readelf|aarch64-linux-gnu-gcc|-mcmodel=small -fno-pie"
	"aarch64-large|aarch64|aarch64|aarch64-linux-gnu-readelf|aarch64-linux-gnu-gcc|-mcmodel=large -fno-pie"
	"aarch64-tiny|aarch64|aarch64|aarch64-linux-gnu-readelf|aarch64-linux-gnu-gcc|-mcmodel=tiny -fno-pie"
	"aarch64-pic|aarch64|aarch64|aarch64-linux-gnu-readelf|aarch64-linux-gnu-gcc|-mcmodel=small -fpic"
	"riscv64-medlow|riscv64|riscv|riscv64-linux-gnu-readelf|riscv64-linux-gnu-gcc|-march=rv64gc -mabi=lp64d -mcmodel=medlow -fno-pie"
	"riscv64-medlow-norelax|riscv64|riscv|riscv64-linux-gnu-readelf|riscv64-linux-gnu-gcc|-march=rv64gc -mabi=lp64d -mcmodel=medlow -fno-pie -mno-relax"
	"riscv64-medany|riscv64|riscv|riscv64-linux-gnu-readelf|riscv64-linux-gnu-gcc|-march=rv64gc -mabi=lp64d -mcmodel=medany -fno-pie"
	"riscv64-medany-norelax|riscv64|riscv|riscv64-linux-gnu-readelf|riscv64-linux-gnu-gcc|-march=rv64gc -mabi=lp64d -mcmodel=medany -fno-pie -mno-relax"
	"riscv64-pic|riscv64|riscv|riscv64-linux-gnu-readelf|riscv64-linux-gnu-gcc|-march=rv64gc -mabi=lp64d -mcmodel=medany -fpic"
	"riscv32|riscv32|riscv|riscv64-linux-gnu-readelf|riscv64-linux-gnu-gcc|-march=rv32imac -mabi=ilp32 -mcmodel=medlow -fno-pie"
)

C_SOURCES=(module exporter importer)

for spec in "${VARIANTS[@]}"; do
	IFS='|' read -r variant arch asm re cc flags <<<"$spec"
	read -r -a ccv <<<"$cc"
	read -r -a flagv <<<"$flags"
	out="obj/$variant"
	mkdir -p "$out"
	echo "== $variant"
	for src in "${C_SOURCES[@]}"; do
		"${ccv[@]}" "${COMMON_CFLAGS[@]}" "${flagv[@]}" -frandom-seed="$src" \
			-c "src/$src.c" -o "$out/$src.o"
	done
	for src in "$asm" "$asm-tls"; do
		"${ccv[@]}" "${flagv[@]}" -ffile-prefix-map="$TD"=. \
			-c "src/$src.S" -o "$out/$src.o"
	done
	for o in "${C_SOURCES[@]}" "$asm" "$asm-tls"; do
		check_rel "$out/$o.o" "$re"
		case "$o" in *-tls) ;; *) check_comdat "$out/$o.o" "$re" ;; esac
		golden "$out/$o.o" "$re" "$arch" "$variant ($flags): $(describe "$o")"
	done
done

# ---------------------------------------------------------------------------
# Multi-object modules: obj/multi/<arch>/kobj_multi.o = ld -r of exporter.o,
# importer.o (both with -DKOBJ_MULTI_PART: no module metadata of their own)
# and multi_meta.o (metadata of the combined module).  Both parts carry the
# same COMDAT group; ld -r keeps one copy.
MULTI=(
	"x86_64|ld|readelf|gcc|-mcmodel=kernel -fno-pie -mno-red-zone -fno-asynchronous-unwind-tables"
	"aarch64|aarch64-linux-gnu-ld|aarch64-linux-gnu-readelf|aarch64-linux-gnu-gcc|-mcmodel=small -fno-pie"
	"riscv64|riscv64-linux-gnu-ld|riscv64-linux-gnu-readelf|riscv64-linux-gnu-gcc|-march=rv64gc -mabi=lp64d -mcmodel=medany -fno-pie"
)
for spec in "${MULTI[@]}"; do
	IFS='|' read -r arch ld re cc flags <<<"$spec"
	read -r -a flagv <<<"$flags"
	echo "== multi/$arch"
	parts="$TMP/multi-$arch"
	mkdir -p "$parts" "obj/multi/$arch"
	for src in exporter importer multi_meta; do
		"$cc" "${COMMON_CFLAGS[@]}" "${flagv[@]}" -DKOBJ_MULTI_PART -frandom-seed="$src" \
			-c "src/$src.c" -o "$parts/$src.o"
	done
	rel="obj/multi/$arch/kobj_multi.o"
	"$ld" -r -o "$rel" "$parts/exporter.o" "$parts/importer.o" "$parts/multi_meta.o"
	check_rel "$rel" "$re"
	check_comdat "$rel" "$re"
	golden "$rel" "$re" "$arch" "multi-object module kobj_multi: ld -r of exporter+importer+multi_meta ($flags)"
done

# ---------------------------------------------------------------------------
# Modules that run (not in objects.tsv: they are for the execution tests).
# run/<variant>/run_module.o: src/run_module.c with the common flags; x86_64
# is position-independent so that it runs wherever mmap puts it in a process
# (the kernel code model needs the top 2 GiB); AArch64 and RISC-V are run
# under qemu-user at 0x40000000, inside run/<arch>/kobj-host.
# run/<arch>/kobj-host: src/run_host.c, a static program whose .symtab is the
# "kernel" the module links against (functions kapi_<name>).
RUN_VARIANTS=(
	"x86_64-gcc-pic|gcc|-fpic"
	"x86_64-clang-pic|clang --target=x86_64-linux-gnu|-fpic"
	"x86_64-gcc-kernel|gcc|-mcmodel=kernel -fno-pie -mno-red-zone"
	"aarch64-small|aarch64-linux-gnu-gcc|-mcmodel=small -fno-pie"
	"aarch64-large|aarch64-linux-gnu-gcc|-mcmodel=large -fno-pie"
	"riscv64-medany-norelax|riscv64-linux-gnu-gcc|-march=rv64gc -mabi=lp64d -mcmodel=medany -fno-pie -mno-relax"
)
for spec in "${RUN_VARIANTS[@]}"; do
	IFS='|' read -r variant cc flags <<<"$spec"
	read -r -a ccv <<<"$cc"
	read -r -a flagv <<<"$flags"
	echo "== run/$variant"
	mkdir -p "run/$variant"
	"${ccv[@]}" "${COMMON_CFLAGS[@]}" "${flagv[@]}" -frandom-seed=run_module \
		-c src/run_module.c -o "run/$variant/run_module.o"
	check_rel "run/$variant/run_module.o" readelf
	# src/emu_shim.c: kobj_report for kobj-emu, loaded before run_module.o
	"${ccv[@]}" "${COMMON_CFLAGS[@]}" "${flagv[@]}" -frandom-seed=emu_shim \
		-c src/emu_shim.c -o "run/$variant/emu_shim.o"
	check_rel "run/$variant/emu_shim.o" readelf
	# src/emu_faults.c: one function per way a run can end badly (kobj-emu's fault tests);
	# the kernel-model build has Linux's stack protector (the canary at %gs:40)
	protector=()
	if [ "$variant" = x86_64-gcc-kernel ]; then
		protector=(-fstack-protector-strong)
	fi
	"${ccv[@]}" "${COMMON_CFLAGS[@]}" "${flagv[@]}" "${protector[@]}" -frandom-seed=emu_faults \
		-c src/emu_faults.c -o "run/$variant/emu_faults.o"
	check_rel "run/$variant/emu_faults.o" readelf
	# src/emu_printk.c: printk formats (standard ones checked against C's vprintf in kobj-host)
	"${ccv[@]}" "${COMMON_CFLAGS[@]}" "${flagv[@]}" -Wno-format -frandom-seed=emu_printk \
		-c src/emu_printk.c -o "run/$variant/emu_printk.o"
	check_rel "run/$variant/emu_printk.o" readelf
	# src/emu_vsnprintf.c: varargs wrappers over vsnprintf and vprintk (kobj-emu's va_list handlers)
	"${ccv[@]}" "${COMMON_CFLAGS[@]}" "${flagv[@]}" -frandom-seed=emu_vsnprintf \
		-c src/emu_vsnprintf.c -o "run/$variant/emu_vsnprintf.o"
	check_rel "run/$variant/emu_vsnprintf.o" readelf
done
# x86_64 too: kobj-emu's tests run it natively (the x86_64 "native execution" oracle)
for arch in x86_64 aarch64 riscv64; do
	echo "== run/$arch/kobj-host"
	mkdir -p "run/$arch"
	"$arch-linux-gnu-gcc" -O2 -Wall -static -ffile-prefix-map="$TD"=. -frandom-seed=run_host \
		-o "run/$arch/kobj-host" src/run_host.c
done

# ---------------------------------------------------------------------------
# Modules of each class for the simulated kernel (module-registry,
# dev.kobj.registry.kernel): run in process on x86_64, position-independent,
# calling the kobj_* kernel services that the tests bind to Java upcalls.
# run/kernel/x86_64-gcc-pic/<name>.o
KERNEL_MODULES=(syscall_module driver_module secmodel_module)
echo "== run/kernel/x86_64-gcc-pic"
mkdir -p run/kernel/x86_64-gcc-pic
for src in "${KERNEL_MODULES[@]}"; do
	gcc "${COMMON_CFLAGS[@]}" -fpic -frandom-seed="$src" \
		-c "src/$src.c" -o "run/kernel/x86_64-gcc-pic/$src.o"
	check_rel "run/kernel/x86_64-gcc-pic/$src.o" readelf
done

# ---------------------------------------------------------------------------
# Special fixtures.
echo "== special"

# Extended section numbering: 66000 one-byte sections, each with a local
# symbol, plus relocations against some of them.  Committed only xz'd.
awk 'BEGIN {
	n = 66000
	for (i = 0; i < n; i++)
		printf ".section .s%d,\"a\",@progbits\ns%d:\n\t.byte %d\n", i, i, i % 256
	print "\t.data\n\t.globl kobj_many_refs\nkobj_many_refs:"
	for (i = 0; i < n; i += 6599)
		printf "\t.quad s%d\n\t.long s%d - .\n", i, i
	printf "\t.quad s%d + 1\n", n - 1
	printf "\t.section .s%d\n\t.globl kobj_many_last\nkobj_many_last:\n\t.byte 1\n", n - 1
	print "\t.section .note.GNU-stack,\"\",@progbits"
}' >"$TMP/many-sections.s"
as -o "$TMP/many-sections.o" "$TMP/many-sections.s"
mkdir -p "$TMP/special"
cp "$TMP/many-sections.o" "$TMP/special/many-sections.o"
check_rel "$TMP/special/many-sections.o" readelf
# readelf does not print the file name for a single file, so run it on the
# temporary copy and store the (large) listing xz-compressed.
mkdir -p golden/special
(cd "$TMP" && readelf -SsrW special/many-sections.o) >"$TMP/many-sections.o.readelf"
xz -9 --check=crc32 -T1 -c "$TMP/many-sections.o.readelf" >golden/special/many-sections.o.readelf.xz
(cd "$TMP" && readelf -gW special/many-sections.o) >golden/special/many-sections.o.groups
xz -9 --check=crc32 -T1 -c "$TMP/many-sections.o" >special/many-sections.o.xz
TSV_ROWS+=("special/many-sections.o.xz	readelf	x86_64	xz-compressed; >65280 sections: e_shnum=0, e_shstrndx=SHN_XINDEX, .symtab_shndx, symbols with SHN_XINDEX; golden is golden/special/many-sections.o.readelf.xz")

# Compressed debug sections (same object before/after compression).
KFLAGS=(-mcmodel=kernel -fno-pie -mno-red-zone -fno-asynchronous-unwind-tables)
gcc "${COMMON_CFLAGS[@]}" "${KFLAGS[@]}" -g -gno-record-gcc-switches -frandom-seed=module \
	-c src/module.c -o special/debug-plain.o
objcopy --compress-debug-sections=zlib special/debug-plain.o special/debug-zlib.o
objcopy --compress-debug-sections=zstd special/debug-plain.o special/debug-zstd.o
for f in plain zlib zstd; do check_rel "special/debug-$f.o" readelf; done
for f in zlib zstd; do
	grep -q '\.debug_info .* C ' <<<"$(readelf -SW "special/debug-$f.o")" ||
		die "debug-$f.o: .debug_info not compressed"
done
golden special/debug-plain.o readelf x86_64 "module.c with -g (x86_64 kernel model), uncompressed debug sections"
golden special/debug-zlib.o readelf x86_64 "debug-plain.o after objcopy --compress-debug-sections=zlib (SHF_COMPRESSED, ELFCOMPRESS_ZLIB)"
golden special/debug-zstd.o readelf x86_64 "debug-plain.o after objcopy --compress-debug-sections=zstd (SHF_COMPRESSED, ELFCOMPRESS_ZSTD)"

# Big-endian and ILP32 AArch64.
A64=aarch64-linux-gnu-gcc
$A64 "${COMMON_CFLAGS[@]}" -mcmodel=small -fno-pie -mbig-endian -frandom-seed=module \
	-c src/module.c -o special/be64.o
$A64 -mbig-endian -c src/aarch64.S -o special/be64-aarch64.o
$A64 "${COMMON_CFLAGS[@]}" -mcmodel=small -fno-pie -mabi=ilp32 -mbig-endian -frandom-seed=module \
	-c src/module.c -o special/be32.o
$A64 "${COMMON_CFLAGS[@]}" -mcmodel=small -fno-pie -mabi=ilp32 -frandom-seed=module \
	-c src/module.c -o special/le32-ilp32.o
for f in be64 be64-aarch64 be32 le32-ilp32; do
	check_rel "special/$f.o" aarch64-linux-gnu-readelf
done
golden special/be64.o aarch64-linux-gnu-readelf aarch64_be "module.c for big-endian AArch64 (ELF64 MSB, -mbig-endian)"
golden special/be64-aarch64.o aarch64-linux-gnu-readelf aarch64_be "aarch64.S for big-endian AArch64 (ELF64 MSB: data big-endian, instructions little-endian)"
golden special/be32.o aarch64-linux-gnu-readelf aarch64_be_ilp32 "module.c for big-endian AArch64 ILP32 (ELF32 MSB, R_AARCH64_P32_*)"
golden special/le32-ilp32.o aarch64-linux-gnu-readelf aarch64_ilp32 "module.c for little-endian AArch64 ILP32 (ELF32 LSB, R_AARCH64_P32_*)"

# Compressed modules (the single-object x86_64 gcc kernel-model module).
cp obj/x86_64-gcc-kernel/module.o special/module.ko
xz --check=crc32 --lzma2=dict=1MiB -T1 -c special/module.ko >special/module.ko.xz
zstd -q -19 -T1 -c special/module.ko >special/module.ko.zst
gzip -n -9 -c special/module.ko >special/module.ko.gz
golden special/module.ko readelf x86_64 "copy of obj/x86_64-gcc-kernel/module.o (unsigned, uncompressed .ko)"
TSV_ROWS+=("special/module.ko.xz	readelf	x86_64	module.ko compressed with xz --check=crc32 --lzma2=dict=1MiB (golden: golden/special/module.ko.*)")
TSV_ROWS+=("special/module.ko.zst	readelf	x86_64	module.ko compressed with zstd -19 (golden: golden/special/module.ko.*)")
TSV_ROWS+=("special/module.ko.gz	readelf	x86_64	module.ko compressed with gzip -n -9 (golden: golden/special/module.ko.*)")
# The Module.symvers of a kernel that exports what module.c imports, with the CRCs its
# __versions records (so a check finds nothing wrong): kobj_ext_array GPL-only, kobj_ext_value
# in namespace KOBJ_NS (module.c imports it). Not an object: no row in objects.tsv.
awk '/^KOBJ_VERSIONS/ {on = 1; next} on && /^};/ {exit}
	on && match($0, /0x[0-9a-f]+UL, "[A-Za-z0-9_]+"/) {
		split(substr($0, RSTART, RLENGTH), f, /UL, "|"/)
		type = f[2] == "kobj_ext_array" ? "EXPORT_SYMBOL_GPL" : "EXPORT_SYMBOL"
		ns = f[2] == "kobj_ext_value" ? "KOBJ_NS" : ""
		printf "%s\t%s\tvmlinux\t%s\t%s\n", f[1], f[2], type, ns
	}' src/module.c >special/Module.symvers
[ "$(wc -l <special/Module.symvers)" -eq 8 ] || die "special/Module.symvers: expected module.c's 8 __versions entries"

# Signed module: module.ko + PKCS#7 signature + struct module_signature +
# "~Module signature appended~\n", as the kernel's sign-file lays it out.
# The throwaway test key/certificate are created once and then reused.
if [ ! -f special/signing-key.pem ] || [ ! -f special/signing-cert.pem ]; then
	openssl req -new -x509 -newkey rsa:2048 -nodes -sha256 -days 36500 \
		-set_serial 1 -subj "/O=kobj/CN=kobj test module signing key" \
		-addext "basicConstraints=critical,CA:FALSE" \
		-addext "keyUsage=digitalSignature" \
		-addext "extendedKeyUsage=codeSigning" \
		-keyout special/signing-key.pem -out special/signing-cert.pem 2>/dev/null
fi
openssl smime -sign -nocerts -noattr -binary -in special/module.ko -outform DER \
	-signer special/signing-cert.pem -inkey special/signing-key.pem -md sha256 \
	-out "$TMP/module.p7s"
siglen=$(wc -c <"$TMP/module.p7s" | tr -d ' ')
byte() { printf "\\$(printf '%03o' "$1")"; }
{
	cat special/module.ko "$TMP/module.p7s"
	# algo=0, hash=0, id_type=2 (PKCS#7), signer_len=0, key_id_len=0, pad[3]
	printf '\000\000\002\000\000\000\000\000'
	byte $(((siglen >> 24) & 255))
	byte $(((siglen >> 16) & 255))
	byte $(((siglen >> 8) & 255))
	byte $((siglen & 255))
	printf '~Module signature appended~\n'
} >special/module-signed.ko
echo "$siglen" >special/module-signed.siglen
expected=$(($(wc -c <special/module.ko) + siglen + 12 + 28))
[ "$(wc -c <special/module-signed.ko | tr -d ' ')" -eq "$expected" ] || die "module-signed.ko has the wrong size"
openssl smime -verify -binary -inform DER -in "$TMP/module.p7s" -content special/module.ko \
	-certfile special/signing-cert.pem -nointern -noverify >/dev/null 2>&1 ||
	die "signature of module-signed.ko does not verify"
golden special/module-signed.ko readelf x86_64 "module.ko + PKCS#7 signature (sha256, RSA test key special/signing-key.pem) + module_signature + marker; length in module-signed.siglen"

# ---------------------------------------------------------------------------
# kernel/kload-<arch>: the static helper that the real-kernel oracle puts in the guest's
# initramfs (finit_module once, delete_module, /proc/kcore peek); see src/kernel/kload.c.
build_kload() { # CC ARCH
	mkdir -p kernel
	"$1" -static -O2 -Wall -s -o "kernel/kload-$2" src/kernel/kload.c
}
build_kload gcc x86_64
build_kload aarch64-linux-gnu-gcc aarch64

# ---------------------------------------------------------------------------
printf '%s\n' "${TSV_ROWS[@]}" >objects.tsv

echo "== done: $(( ${#TSV_ROWS[@]} )) objects listed in testdata/objects.tsv"
