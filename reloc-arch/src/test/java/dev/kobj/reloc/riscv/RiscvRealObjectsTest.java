package dev.kobj.reloc.riscv;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kobj.elf.ElfFile;
import dev.kobj.elf.ElfSymbol;
import dev.kobj.elf.RelocationTable;
import dev.kobj.elf.SectionHeader;
import dev.kobj.elf.SymbolTable;
import dev.kobj.reloc.Fixup;
import dev.kobj.reloc.PageLayout;
import dev.kobj.reloc.RelocationException;
import dev.kobj.reloc.RelocationException.Reason;
import dev.kobj.reloc.StubNeeds;
import dev.kobj.testkit.Testdata;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The objects gcc and gas built for RV32 and RV64 (testdata/obj/riscv*), linked as a loader
 * would: every SHF_ALLOC section at its own page, undefined symbols nearby, one GOT entry per
 * (symbol, addend) from the pre-scan. Every relocation table must apply, in the file's order,
 * except what kobj refuses by design: TLS (riscv-tls.o) and an ALIGN whose padding only
 * relaxation could fix (riscv.o, which without its ALIGN applies in full).
 */
class RiscvRealObjectsTest {

    static Stream<Path> objects() throws Exception {
        Path root = Testdata.root();
        List<Path> out = new ArrayList<>();
        try (Stream<Path> s = Files.walk(root.resolve("obj"))) {
            s.filter(f -> f.getParent().getFileName().toString().startsWith("riscv")).filter(f -> f.toString().endsWith(".o"))
                    .sorted().forEach(out::add);
        }
        try (Stream<Path> s = Files.walk(root.resolve("obj/multi"))) {
            // the path under obj/multi names the architecture (the checkout's own path may contain "riscv")
            s.filter(f -> root.resolve("obj/multi").relativize(f).toString().contains("riscv")
                    && f.toString().endsWith(".o")).forEach(out::add);
        }
        assertThat(out).isNotEmpty();
        return out.stream();
    }

    @ParameterizedTest
    @MethodSource("objects")
    void everyTableApplies(Path path) throws Exception {
        try (ElfFile elf = ElfFile.open(path)) {
            int xlen = elf.header().bits();
            RiscvEngine engine = xlen == 64 ? RiscvEngine.rv64() : RiscvEngine.rv32();
            long base = xlen == 64 ? 0xffff_ffff_8100_0000L : 0xc100_0000L;
            PageLayout layout = PageLayout.of(elf, base);
            Map<Integer, Long> sectionAddr = layout.addresses();
            long next = layout.end();
            SymbolTable symtab = elf.symbolTable().orElseThrow();
            long externs = next; // within a jal's reach of the code
            List<RelocationTable> tables = elf.relocationTables();
            List<dev.kobj.reloc.RelocationEngine.RawRelocation> raw = new ArrayList<>();
            for (RelocationTable t : tables) {
                for (long i = 0; i < t.size(); i++) {
                    raw.add(new dev.kobj.reloc.RelocationEngine.RawRelocation((int) t.type(i), t.symbol(i), t.addend(i)));
                }
            }
            StubNeeds needs = engine.scan(raw);
            Map<StubNeeds.Target, Long> gotSlots = new HashMap<>();
            long gotBase = (externs + 64L * symtab.size() + 0xfff) & ~0xfffL;
            for (StubNeeds.Target target : needs.gotEntries()) {
                gotSlots.put(target, gotBase + (long) gotSlots.size() * (xlen / 8));
            }
            boolean tls = path.getFileName().toString().contains("tls");
            int applied = 0;
            for (RelocationTable t : tables) {
                SectionHeader target = t.target();
                if (!target.isAlloc() || target.isNobits()) {
                    continue;
                }
                byte[] bytes = elf.contents(target).toArray(ValueLayout.JAVA_BYTE);
                long addr = sectionAddr.get(target.index());
                List<Fixup> fixups = new ArrayList<>();
                List<Fixup> withoutAlign = new ArrayList<>();
                for (long i = 0; i < t.size(); i++) {
                    ElfSymbol sym = symtab.get((int) t.symbol(i));
                    long s;
                    if (sym.index() == 0) {
                        s = 0;
                    } else if (sym.shndx() == 0) {
                        s = externs + 64L * sym.index();
                    } else if (sym.shndx() == 0xfff1) {
                        s = sym.value();
                    } else {
                        s = sectionAddr.getOrDefault((int) sym.shndx(), 0L) + sym.value();
                    }
                    long off = t.offset(i);
                    Long got = gotSlots.get(new StubNeeds.Target(t.symbol(i), t.addend(i)));
                    Fixup f = new Fixup((int) t.type(i), off, addr + off, s, t.addend(i), sym.size(), got == null ? 0 : got, gotBase,
                            0, sym.name(), "%s: %s+0x%x".formatted(path.getFileName(), target.name(), off));
                    fixups.add(f);
                    if (t.type(i) != RiscvKind.ALIGN.type()) {
                        withoutAlign.add(f);
                    }
                }
                byte[] before = bytes.clone();
                try {
                    engine.applyAll(MemorySegment.ofArray(bytes), elf.header().order(), fixups);
                    applied += fixups.size();
                } catch (RelocationException x) {
                    assertThat(bytes).isEqualTo(before);
                    if (tls && x.reason() == Reason.NOT_APPLICABLE) {
                        continue;
                    }
                    assertThat(x.reason()).as(x.getMessage()).isEqualTo(Reason.MISALIGNED);
                    assertThat(x.getMessage()).contains("R_RISCV_ALIGN");
                    engine.applyAll(MemorySegment.ofArray(bytes), elf.header().order(), withoutAlign);
                    applied += withoutAlign.size();
                }
            }
            if (!tls) {
                assertThat(applied).as("relocations applied").isPositive();
            }
        }
    }
}
