package dev.kobj.elf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Features of the parser on real objects. Expected values come from the fixtures' C sources
 * (testdata/src), from the tools that built them (objcopy, xz, zstd, gzip, openssl) or from
 * readelf's golden output; never from kobj itself.
 */
class ElfFileTest {

    static byte[] bytes(MemorySegment s) {
        return s.toArray(ValueLayout.JAVA_BYTE);
    }

    @Test
    void readsTheModuleMetadataTheSourceDeclares() throws Exception {
        try (ElfFile f = ElfFile.open(Fixtures.path("obj/x86_64-gcc-kernel/module.o"))) {
            // testdata/src/module.c: its KOBJ_MODINFO(...) lines (gcc emits them in reverse order).
            assertThat(f.modinfo()).extracting(e -> e.key() + "=" + e.value()).containsExactlyInAnyOrder(
                    "license=GPL", "author=kobj", "description=kobj demo module fixture", "alias=kobj-demo",
                    "alias=devname:kobj_demo", "parm=debug:Enable debug messages", "parmtype=debug:int", "depends=",
                    "import_ns=KOBJ_NS", "name=kobj_demo", "vermagic=6.1.0 SMP mod_unload modversions ");
            assertThat(f.modinfo("alias")).containsExactlyInAnyOrder("kobj-demo", "devname:kobj_demo");
            // KOBJ_VERSIONS in module.c.
            assertThat(f.modversions()).contains(new ModVersion(0x4f6b5c3aL, "module_layout"),
                    new ModVersion(0x92997ed8L, "printk"), new ModVersion(0x5e6f7081L, "kobj_ext_value"));
            assertThat(f.modversions()).hasSize(8);
            assertThat(f.thisModule()).get().extracting(ThisModule::name).isEqualTo("kobj_demo");
            assertThat(f.signature()).isEmpty();
            assertThat(f.compression()).isEqualTo(Compression.NONE);
        }
    }

    @Test
    void readsThe32BitModuleLayoutToo() throws Exception {
        try (ElfFile f = ElfFile.open(Fixtures.path("obj/riscv32/module.o"))) {
            assertThat(f.header().is64()).isFalse();
            assertThat(f.modversions()).contains(new ModVersion(0x92997ed8L, "printk"));
            assertThat(f.thisModule()).get().extracting(ThisModule::name).isEqualTo("kobj_demo");
        }
    }

    @Test
    void compressedModulesOpenToTheSameBytes() throws Exception {
        byte[] plain = Files.readAllBytes(Fixtures.path("special/module.ko"));
        for (var e : List.of(new Object[] {"module.ko.xz", Compression.XZ}, new Object[] {"module.ko.zst", Compression.ZSTD},
                new Object[] {"module.ko.gz", Compression.GZIP})) {
            try (ElfFile f = ElfFile.open(Fixtures.path("special/" + e[0]))) {
                assertThat(f.compression()).isEqualTo(e[1]);
                assertThat(bytes(f.bytes())).as((String) e[0]).isEqualTo(plain);
                assertThat(f.thisModule()).get().extracting(ThisModule::name).isEqualTo("kobj_demo");
            }
        }
    }

    @Test
    void findsTheAppendedSignature() throws Exception {
        byte[] plain = Files.readAllBytes(Fixtures.path("special/module.ko"));
        byte[] signed = Files.readAllBytes(Fixtures.path("special/module-signed.ko"));
        long siglen = Long.parseLong(Files.readString(Fixtures.path("special/module-signed.siglen")).trim());
        try (ElfFile f = ElfFile.open(Fixtures.path("special/module-signed.ko"))) {
            ModuleSignature s = f.signature().orElseThrow();
            assertThat(s.idType()).isEqualTo(ModuleSignature.PKEY_ID_PKCS7);
            assertThat(s.signatureLength()).isEqualTo(siglen);
            assertThat(s.signedLength()).isEqualTo(plain.length);
            assertThat(bytes(f.bytes())).isEqualTo(plain);
            // build.sh appended openssl's DER blob right after the module: it must come back intact.
            byte[] sig = bytes(s.signature());
            byte[] expected = java.util.Arrays.copyOfRange(signed, plain.length, plain.length + (int) siglen);
            assertThat(sig).isEqualTo(expected);
            assertThat(sig[0] & 0xff).as("DER SEQUENCE").isEqualTo(0x30);
            assertThat(f.sections()).hasSameSizeAs(ElfFile.open(Fixtures.path("special/module.ko")).sections());
        }
    }

    @Test
    void signatureLongerThanTheFileIsAFormatError(@TempDir Path tmp) throws Exception {
        byte[] signed = Files.readAllBytes(Fixtures.path("special/module-signed.ko"));
        int lenAt = signed.length - 28 - 4; // the big-endian sig_len of struct module_signature
        signed[lenAt] = 0x7f;
        Path p = tmp.resolve("bad-signed.ko");
        Files.write(p, signed);
        assertThatThrownBy(() -> ElfFile.open(p)).isInstanceOf(ElfFormatException.class)
                .hasMessageContaining("bad-signed.ko").hasMessageContaining("sig_len");
    }

    @Test
    void compressedSectionsDecompressToWhatObjcopyCompressed() throws Exception {
        // build.sh made debug-zlib.o and debug-zstd.o from debug-plain.o with objcopy --compress-debug-sections.
        try (ElfFile plain = ElfFile.open(Fixtures.path("special/debug-plain.o"))) {
            for (String name : List.of("special/debug-zlib.o", "special/debug-zstd.o")) {
                try (ElfFile z = ElfFile.open(Fixtures.path(name))) {
                    int compressed = 0;
                    for (SectionHeader s : z.sections()) {
                        if (!s.isCompressed()) {
                            continue;
                        }
                        compressed++;
                        ElfFile.CompressionHeader ch = z.compressionHeader(s);
                        assertThat(ch.type()).isEqualTo(name.contains("zstd") ? ElfConstants.ELFCOMPRESS_ZSTD
                                : ElfConstants.ELFCOMPRESS_ZLIB);
                        SectionHeader p = plain.section(s.name()).orElseThrow();
                        assertThat(bytes(z.contents(s))).as(name + " " + s.name()).isEqualTo(bytes(plain.rawData(p)));
                    }
                    assertThat(compressed).as("compressed sections in " + name).isGreaterThan(2);
                }
            }
        }
    }

    @Test
    void compressedSectionClaimingAHugeSizeIsRefusedBeforeAllocating(@TempDir Path tmp) throws Exception {
        byte[] b = Files.readAllBytes(Fixtures.path("special/debug-zlib.o"));
        SectionHeader target;
        try (ElfFile z = ElfFile.of("probe", b.clone())) {
            target = z.sections().stream().filter(SectionHeader::isCompressed).findFirst().orElseThrow();
        }
        // Elf64_Chdr.ch_size is at +8: claim 1 TiB.
        java.nio.ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putLong((int) target.offset() + 8, 1L << 40);
        Path p = tmp.resolve("bomb.o");
        Files.write(p, b);
        try (ElfFile z = ElfFile.open(p)) {
            SectionHeader s = z.section(target.index());
            assertThatThrownBy(() -> z.contents(s)).isInstanceOf(ElfFormatException.class)
                    .hasMessageContaining("bomb.o").hasMessageContaining("ch_size");
        }
    }

    @Test
    void wholeFileDecompressionBombIsRefused() throws Exception {
        // 256 MiB of zeros compress to a few KiB with zstd: far beyond the bound of 4096x.
        byte[] zeros = new byte[256 << 20];
        byte[] bomb = com.github.luben.zstd.Zstd.compress(zeros, 19);
        zeros = null;
        assertThat(bomb.length).isLessThan(64 * 1024);
        byte[] finalBomb = bomb;
        assertThatThrownBy(() -> ElfFile.of("bomb.ko.zst", finalBomb)).isInstanceOf(ElfFormatException.class)
                .hasMessageContaining("bomb.ko.zst").hasMessageContaining("decompresses to more than");
    }

    @Test
    void extendedSectionNumbering(@TempDir Path tmp) throws Exception {
        // many-sections.o.xz: > 65280 sections, so e_shnum = 0 and e_shstrndx = SHN_XINDEX (build.sh).
        Path p = tmp.resolve("many-sections.o");
        Files.write(p, Fixtures.unxz(Fixtures.path("special/many-sections.o.xz")));
        String golden = new String(Fixtures.unxz(Fixtures.path("golden/special/many-sections.o.readelf.xz")),
                StandardCharsets.ISO_8859_1);
        // readelf: "There are N section headers, starting at offset 0x...:"
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("There are (\\d+) section headers").matcher(golden);
        assertThat(m.find()).isTrue();
        int expected = Integer.parseInt(m.group(1));
        try (ElfFile f = ElfFile.open(p)) {
            assertThat(f.header().rawShnum()).isZero();
            assertThat(f.header().rawShstrndx()).isEqualTo(ElfConstants.SHN_XINDEX);
            assertThat(f.header().shnum()).isEqualTo(expected).isGreaterThan(0xff00);
            assertThat(f.sections()).hasSize(expected);
            assertThat(f.sections().get((int) f.header().shstrndx()).name()).isEqualTo(".shstrtab");
            SymbolTable st = f.symbolTable().orElseThrow();
            int xindex = 0;
            for (int i = 0; i < st.size(); i++) {
                if (st.rawShndx(i) == ElfConstants.SHN_XINDEX) {
                    xindex++;
                    long shndx = st.shndx(i);
                    assertThat(shndx).isGreaterThanOrEqualTo(0xff00).isLessThan(expected);
                }
            }
            assertThat(xindex).as("symbols with SHN_XINDEX").isGreaterThan(100);
            assertThat(f.sections()).anyMatch(s -> s.type() == ElfConstants.SHT_SYMTAB_SHNDX);
        }
    }

    @Test
    void bothClassesAndByteOrders() throws Exception {
        record Case(String path, boolean is64, ByteOrder order, int machine) {
        }
        for (Case c : List.of(new Case("special/be64.o", true, ByteOrder.BIG_ENDIAN, ElfConstants.EM_AARCH64),
                new Case("special/be32.o", false, ByteOrder.BIG_ENDIAN, ElfConstants.EM_AARCH64),
                new Case("special/le32-ilp32.o", false, ByteOrder.LITTLE_ENDIAN, ElfConstants.EM_AARCH64),
                new Case("obj/riscv32/module.o", false, ByteOrder.LITTLE_ENDIAN, ElfConstants.EM_RISCV),
                new Case("obj/x86_64-gcc-kernel/module.o", true, ByteOrder.LITTLE_ENDIAN, ElfConstants.EM_X86_64))) {
            try (ElfFile f = ElfFile.open(Fixtures.path(c.path()))) {
                assertThat(f.header().is64()).as(c.path()).isEqualTo(c.is64());
                assertThat(f.header().order()).as(c.path()).isEqualTo(c.order());
                assertThat(f.header().machine()).as(c.path()).isEqualTo(c.machine());
                assertThat(f.header().type()).isEqualTo(ElfConstants.ET_REL);
                assertThat(f.section(".text")).isPresent();
                assertThat(f.relocationTables()).isNotEmpty();
                assertThat(ElfWalk.all(f)).isNotZero();
            }
        }
    }

    @Test
    void groupsAndNotes() throws Exception {
        try (ElfFile f = ElfFile.open(Fixtures.path("obj/x86_64-gcc-kernel/module.o"))) {
            List<SectionGroup> groups = f.groups();
            assertThat(groups).isNotEmpty().allMatch(SectionGroup::isComdat);
            for (SectionGroup g : groups) {
                for (int m : g.members()) {
                    assertThat(f.section(m).flags() & ElfConstants.SHF_GROUP).isNotZero();
                }
            }
        }
        try (ElfFile f = ElfFile.open(Fixtures.path("obj/x86_64-gcc-pic/module.o"))) {
            SectionHeader prop = f.section(".note.gnu.property").orElse(null);
            if (prop != null) {
                assertThat(f.notes(prop)).extracting(Note::owner).containsOnly("GNU");
            }
        }
    }

    @Test
    void malformedInputsGiveClearErrors(@TempDir Path tmp) throws IOException {
        byte[] good = Files.readAllBytes(Fixtures.path("obj/x86_64-gcc-kernel/module.o"));
        // Truncated in the middle of the section header table.
        Path cut = tmp.resolve("cut.o");
        Files.write(cut, java.util.Arrays.copyOf(good, good.length - 100));
        assertThatThrownBy(() -> ElfFile.open(cut)).isInstanceOf(ElfFormatException.class)
                .hasMessageContaining("cut.o").hasMessageContaining("e_shnum");
        // Not ELF at all.
        Path text = tmp.resolve("notes.txt");
        Files.writeString(text, "hello, this is not an object file");
        assertThatThrownBy(() -> ElfFile.open(text)).isInstanceOf(ElfFormatException.class)
                .hasMessageContaining("notes.txt: offset 0x0: e_ident[EI_MAG]");
        // One malformed field: e_shentsize = 12.
        byte[] b = good.clone();
        b[58] = 12;
        b[59] = 0;
        assertThatThrownBy(() -> ElfFile.of("shentsize.o", b)).isInstanceOf(ElfFormatException.class)
                .hasMessage("shentsize.o: offset 0x3a: e_shentsize = 0xc: smaller than an ELF64 section header (64)");
        // Empty file.
        Path empty = tmp.resolve("empty.o");
        Files.write(empty, new byte[0]);
        assertThatThrownBy(() -> ElfFile.open(empty)).isInstanceOf(ElfFormatException.class)
                .hasMessageContaining("empty.o").hasMessageContaining("shorter than e_ident");
    }

    @Test
    void sectionsAreViewsOfTheMappedFileNotCopies() throws Exception {
        try (ElfFile f = ElfFile.open(Fixtures.path("special/debug-plain.o"))) {
            SectionHeader text = f.section(".text").orElseThrow();
            MemorySegment data = f.rawData(text);
            assertThat(data.isNative() || data.heapBase().isPresent()).isTrue();
            // A view shares its bytes with the whole-file segment at the section's offset.
            assertThat(f.bytes().asSlice(text.offset(), text.size()).mismatch(data)).isEqualTo(-1);
        }
    }
}
