package dev.kobj.reloc.oracle;

import dev.kobj.elf.ElfFormatException;
import dev.kobj.elf.Relocation;
import dev.kobj.elf.RelocationTable;
import dev.kobj.elf.RelocationTypes;
import dev.kobj.elf.Arch;
import dev.kobj.reloc.Fixup;
import dev.kobj.reloc.RelocationEngine;
import dev.kobj.reloc.RelocationException;
import dev.kobj.reloc.StubNeeds;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * kobj's side of the oracle: the placed sections relocated by the engine under test, with a
 * GOT (and PLT/veneer area) laid out after the sections from the engine's pre-scan.
 */
final class KobjLink {

    /** One relocation as the harness saw it, with the fixup given to the engine. */
    record Reloc(Placement.Placed section, Relocation raw, String typeName, Fixup fixup) {
        long place() {
            return fixup.place();
        }
    }

    /** The outcome for one relocated section. */
    record SectionResult(Placement.Placed section, byte[] bytes, List<Reloc> relocs, RelocationException error,
            String note) {
    }

    final Placement placement;
    final RelocationEngine engine;
    final ByteOrder order;
    final int machine;
    final StubNeeds needs;
    final long gotBase;
    final byte[] got;
    final Map<StubNeeds.Target, Long> gotSlots = new HashMap<>();
    final long pltBase;
    final byte[] plt;
    final Map<StubNeeds.Target, Long> stubs = new HashMap<>();
    final List<String> stubErrors = new ArrayList<>();
    /** Relocated sections, by section index; sections without relocations are absent. */
    final Map<Integer, SectionResult> results = new LinkedHashMap<>();
    /** Relocations whose target section is not loaded (debug info and such): not applied. */
    int skippedNonAlloc;

    KobjLink(Placement pl, RelocationEngine engine) throws ElfFormatException {
        this.placement = pl;
        this.engine = engine;
        this.order = pl.elf.header().order();
        this.machine = pl.elf.header().machine();
        List<RelocationTable> tables = new ArrayList<>();
        List<RelocationEngine.RawRelocation> raws = new ArrayList<>();
        for (RelocationTable t : pl.elf.relocationTables()) {
            if (t.target() == null || pl.section(t.target().index()) == null) {
                skippedNonAlloc += (int) t.size();
                continue;
            }
            tables.add(t);
            for (long i = 0; i < t.size(); i++) {
                Relocation r = t.get(i);
                raws.add(new RelocationEngine.RawRelocation((int) r.type(), r.symbol(), r.addend()));
            }
        }
        // Pre-scan, then GOT and PLT after the last section.
        this.needs = engine.scan(raws);
        this.gotBase = Placement.alignUp(pl.end, 16);
        pl.gotBase = gotBase;
        this.got = new byte[(int) needs.gotSize()];
        long at = gotBase;
        for (StubNeeds.Target t : needs.gotEntries()) {
            gotSlots.put(t, at);
            engine.writeGotEntry(MemorySegment.ofArray(got), at - gotBase, order, gotValue(t));
            at += needs.gotEntrySize();
        }
        this.pltBase = Placement.alignUp(gotBase + got.length, 16);
        this.plt = new byte[(int) needs.pltSize()];
        at = pltBase;
        for (StubNeeds.Target t : needs.pltEntries()) {
            stubs.put(t, at);
            long target = stubTarget(t);
            Long slot = gotSlots.get(t);
            try {
                engine.writeStub(MemorySegment.ofArray(plt), at - pltBase, order, at, target, slot == null ? 0 : slot);
            } catch (RelocationException e) {
                stubErrors.add(String.format("stub for %s at 0x%x: %s", pl.symbolName(t.symbolIndex()), at, e.getMessage()));
            }
            at += needs.pltEntrySize();
        }
        // Fixups per section, then one applyAll each on a copy of the bytes.
        for (RelocationTable t : tables) {
            Placement.Placed sec = pl.section(t.target().index());
            List<Reloc> relocs = new ArrayList<>();
            for (long i = 0; i < t.size(); i++) {
                Relocation r = t.get(i);
                relocs.add(new Reloc(sec, r, RelocationTypes.nameOrUnrecognized(machine, r.type()), fixup(sec, r)));
            }
            byte[] bytes = sec.section().isNobits() ? new byte[(int) sec.section().size()]
                    : pl.elf.contents(sec.section()).toArray(ValueLayout.JAVA_BYTE);
            byte[] original = bytes.clone();
            RelocationException error = null;
            String note = null;
            try {
                engine.applyAll(MemorySegment.ofArray(bytes), order, relocs.stream().map(Reloc::fixup).toList());
            } catch (RelocationException e) {
                error = e;
                if (isRiscvAlign(e.type())) {
                    // A loader cannot delete the NOPs R_RISCV_ALIGN stands for, so refusing it is
                    // a fair answer; compare the rest (ld was given NONE for it, see LdInput).
                    note = "kobj refuses R_RISCV_ALIGN (" + e.reason() + ": " + e.getMessage()
                            + "); compared with the ALIGN fixups left out";
                    bytes = original.clone();
                    error = null;
                    try {
                        engine.applyAll(MemorySegment.ofArray(bytes), order, relocs.stream().map(Reloc::fixup)
                                .filter(f -> !isRiscvAlign(f.type())).toList());
                    } catch (RelocationException e2) {
                        error = e2;
                    }
                }
            }
            SectionResult prev = results.get(sec.section().index());
            if (prev != null) {
                throw new IllegalStateException(pl.elf.name() + ": two relocation tables for " + sec.section().name());
            }
            results.put(sec.section().index(), new SectionResult(sec, bytes, relocs, error, note));
        }
    }

    private boolean isRiscvAlign(int type) {
        return (arch() == Arch.RISCV64 || arch() == Arch.RISCV32) && type == 43;
    }

    Arch arch() {
        return engine.arch();
    }

    /**
     * What a GOT entry holds and where a stub jumps: S + key.addend(), the key being the
     * engine's {@link RelocationEngine#stubTarget} (S+A by default; S on x86-64, whose formulas
     * add A outside the entry). {@link GotFollow} checks the result against the psABI.
     */
    long gotValue(StubNeeds.Target t) throws ElfFormatException {
        return placement.symbolValue(t.symbolIndex()) + t.addend();
    }

    long stubTarget(StubNeeds.Target t) throws ElfFormatException {
        return placement.symbolValue(t.symbolIndex()) + t.addend();
    }

    private StubNeeds.Target key(Relocation r) {
        return engine.stubTarget(new RelocationEngine.RawRelocation((int) r.type(), r.symbol(), r.addend()));
    }

    private Fixup fixup(Placement.Placed sec, Relocation r) throws ElfFormatException {
        String name = placement.symbolName(r.symbol());
        String where = String.format("%s: %s+0x%x", placement.elf.name(), sec.section().name(), r.offset());
        Fixup f = Fixup.of((int) r.type(), r.offset(), sec.address() + r.offset(), placement.symbolValue(r.symbol()),
                r.addend(), name, where).withSymbolSize(placement.symbolSize(r.symbol()));
        Long slot = gotSlots.get(key(r));
        f = f.withGot(slot == null ? 0 : slot, gotBase);
        Long stub = stubs.get(key(r));
        if (stub != null) {
            f = f.withStub(stub);
        }
        return f;
    }

    /** {@return the bytes at address {@code addr} in the GOT or PLT images, or null when outside both} */
    MemorySegment stubMemory(long addr, int len) {
        if (addr >= gotBase && addr + len <= gotBase + got.length) {
            return MemorySegment.ofArray(got).asSlice(addr - gotBase, len);
        }
        if (addr >= pltBase && addr + len <= pltBase + plt.length) {
            return MemorySegment.ofArray(plt).asSlice(addr - pltBase, len);
        }
        return null;
    }
}
