package dev.kobj.link;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kobj.elf.ElfConstants;
import dev.kobj.elf.ElfFile;
import dev.kobj.elf.ElfSymbol;
import dev.kobj.elf.Relocation;
import dev.kobj.elf.RelocationTable;
import dev.kobj.link.LoadedImage.StubKind;
import dev.kobj.link.LoadedImage.StubSection;
import dev.kobj.testkit.Tools;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * AArch64 objects linked where Linux 6.1 puts arm64 modules: 64 MiB below kernel text
 * (0xffff8000_0400_0000, kernel text at 0xffff8000_0800_0000). There a weak undefined callee
 * (S = 0) is beyond every branch and ADRP, and a kernel symbol beyond an ADR's ±1 MiB, so the
 * PLT's literal veneers and the Cortex-A53 erratum 843419 ADRP veneers are used. Instructions
 * are decoded here, apart from the engine's encoders.
 */
class Arm64KernelBaseTest {
    static final long MODULES = 0xffff_8000_0400_0000L;
    static final long KERNEL = 0xffff_8000_0800_0000L;

    private static int insn(LoadedImage img, long address) {
        return ByteBuffer.wrap(img.read(address, 4)).order(ByteOrder.LITTLE_ENDIAN).getInt();
    }

    private static long sext(long v, int bits) {
        return v << (64 - bits) >> (64 - bits);
    }

    private static long branch26(int insn) {
        return sext(insn & 0x3FFFFFFL, 26) << 2;
    }

    private static long adrpPages(int insn) {
        return sext(((insn >>> 5) & 0x7FFFFL) << 2 | ((insn >>> 29) & 3), 21) << 12;
    }

    private static StubSection stub(LoadedImage img, StubKind kind) {
        return img.stubs().stream().filter(s -> s.kind() == kind).findFirst().orElseThrow();
    }

    @Test
    void aWeakUndefinedCalleeIsReachedThroughAPltEntryThatGoesToZero() throws Exception {
        try (ElfFile elf = TestObjects.open("obj/aarch64-small/module.o")) {
            Map<String, Long> kernel = new LinkedHashMap<>();
            TestObjects.plan(elf).forEach((n, a) -> kernel.put(n, KERNEL + a));
            LinkRequest req = LinkRequest.builder(new HeapMemory(MODULES)).symbols(TestObjects.kernel(kernel))
                    .base(MODULES).policy(LoadPolicy.defaults()).build();
            try (LoadedImage img = Linker.link(elf, req)) {
                StubSection plt = stub(img, StubKind.PLT);
                int weakCalls = 0;
                for (RelocationTable t : elf.relocationTables()) {
                    var sec = t.target() == null ? null : img.section(t.target().index()).orElse(null);
                    if (sec == null) {
                        continue;
                    }
                    for (long i = 0; i < t.size(); i++) {
                        Relocation r = t.get(i);
                        ElfSymbol s = elf.symbolTable().orElseThrow().get((int) r.symbol());
                        if (r.type() != 283 || !s.isUndefined() || s.bind() != ElfConstants.STB_WEAK) {
                            continue;
                        }
                        weakCalls++;
                        long place = sec.address() + r.offset();
                        int bl = insn(img, place);
                        assertThat(bl & 0xFC000000).as("BL").isEqualTo(0x94000000);
                        long entry = place + branch26(bl);
                        assertThat(entry).as(s.name() + " through the PLT")
                                .isBetween(plt.address(), plt.address() + plt.size() - 16);
                        int ldr = insn(img, entry);
                        assertThat(ldr).as("LDR x16, #8").isEqualTo(0x58000050);
                        assertThat(insn(img, entry + 4)).as("BR x16").isEqualTo(0xD61F0200);
                        assertThat(ByteBuffer.wrap(img.read(entry + 8, 8)).order(ByteOrder.LITTLE_ENDIAN).getLong())
                                .as("S = 0").isZero();
                    }
                }
                assertThat(weakCalls).as("optional_hook, optional_notify").isEqualTo(2);
                assertThat(img.symbol("optional_hook")).isEmpty();
            }
        }
    }

    @Test
    void aFarAdrpAtPageOffset0xff8GoesThroughAnAdrpVeneer(@TempDir Path dir) throws Exception {
        Path src = dir.resolve("adrp.s");
        Files.writeString(src, """
                .text
                .skip 0xff8
                adrp x3, far_sym            // .text+0xff8: bits [11:3] all ones, a veneer
                ldr  x3, [x3, :lo12:far_sym]
                adrp x4, far_sym            // .text+0x1000: alignment 16
                ret
                .section .text.b, "ax"
                .skip 0x7f8
                adrp x5, far_sym            // .text.b+0x7f8: alignment 4096 keeps it at 0x7f8
                ret
                """);
        Path obj = dir.resolve("adrp.o");
        Tools.run("aarch64-linux-gnu-as", "-o", obj.toString(), src.toString());
        long far = KERNEL + 0x12340;
        try (ElfFile elf = ElfFile.open(obj)) {
            LinkRequest req = LinkRequest.builder(new HeapMemory(MODULES))
                    .symbols(TestObjects.kernel(Map.of("far_sym", far))).base(MODULES)
                    .policy(LoadPolicy.permissive()).build();
            try (LoadedImage img = Linker.link(elf, req)) {
                var text = img.section(".text").orElseThrow();
                var textB = img.section(".text.b").orElseThrow();
                assertThat(textB.address() & 0xFFF).as(".text.b aligned to 4096 as Linux raises it").isZero();
                assertThat(text.address() & 0xF).isZero();
                StubSection veneers = stub(img, StubKind.VENEER);
                assertThat(veneers.size()).as("one ADRP veneer counted").isEqualTo(16);
                assertThat(veneers.region().part()).isEqualTo(LoadedImage.Part.TEXT);

                long place = text.address() + 0xff8;
                assertThat(place & 0xFFF).isEqualTo(0xFF8);
                int b = insn(img, place);
                assertThat(b & 0xFC000000).as("B at the place").isEqualTo(0x14000000);
                long v = place + branch26(b);
                assertThat(v).isEqualTo(veneers.address());
                int adrp = insn(img, v);
                assertThat(adrp & 0x9F00001F).as("ADRP x3").isEqualTo(0x90000003);
                assertThat((v & -4096L) + adrpPages(adrp)).as("Page(far_sym)").isEqualTo(far & -4096L);
                int back = insn(img, v + 4);
                assertThat(back & 0xFC000000).as("B").isEqualTo(0x14000000);
                assertThat(v + 4 + branch26(back)).as("back to the LDR").isEqualTo(place + 4);

                int next = insn(img, text.address() + 0x1000);
                assertThat(next & 0x9F00001F).as("an ADRP elsewhere stays an ADRP").isEqualTo(0x90000004);
                int inB = insn(img, textB.address() + 0x7f8);
                assertThat(inB & 0x9F00001F).isEqualTo(0x90000005);
                assertThat(((textB.address() + 0x7f8) & -4096L) + adrpPages(inB)).isEqualTo(far & -4096L);
            }
        }
    }
}
