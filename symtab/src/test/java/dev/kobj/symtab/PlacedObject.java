package dev.kobj.symtab;

import static dev.kobj.elf.ElfConstants.SHN_ABS;
import static dev.kobj.elf.ElfConstants.SHN_LORESERVE;
import static dev.kobj.elf.ElfConstants.STB_WEAK;

import dev.kobj.elf.ElfFile;
import dev.kobj.elf.ElfSymbol;
import dev.kobj.elf.Relocation;
import dev.kobj.elf.RelocationTable;
import dev.kobj.elf.SectionHeader;
import dev.kobj.elf.SymbolTable;
import dev.kobj.reloc.Fixup;
import dev.kobj.reloc.RelocationEngine;
import dev.kobj.reloc.RelocationEngines;
import dev.kobj.testkit.Placement;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A test-scope stand-in for the linker: every SHF_ALLOC section (groups skipped) of one object
 * laid out back to back from {@code base} by the test kit's {@link Placement#fileOrder}, in one
 * byte array; undefined symbols at made-up addresses
 * 0x100 apart after the image; then the relocations of the export sections ({@code __ksymtab*},
 * {@code __kcrctab*}) applied with the architecture's engine. Code sections stay unrelocated:
 * the tests do not read them, and the PIC variants' code would need a GOT.
 */
final class PlacedObject {
    final ElfFile elf;
    final long base;
    final byte[] image;
    final Map<Integer, Long> sectionAddress = new LinkedHashMap<>();
    final Map<String, SectionHeader> byName = new HashMap<>();
    private final SymbolTable symtab;
    private final Map<String, Long> undefined = new HashMap<>();

    PlacedObject(ElfFile elf, long base) throws Exception {
        this.elf = elf;
        this.base = base;
        this.symtab = elf.symbolTable().orElseThrow();
        Placement.FileOrder layout = Placement.fileOrder(elf, base);
        sectionAddress.putAll(layout.addresses());
        for (SectionHeader s : elf.sections()) {
            if (sectionAddress.containsKey(s.index())) {
                byName.putIfAbsent(s.name(), s);
            }
        }
        long cursor = layout.end();
        image = new byte[(int) (cursor - base)];
        for (SectionHeader s : elf.sections()) {
            Long at = sectionAddress.get(s.index());
            if (at != null && !s.isNobits()) {
                byte[] b = elf.contents(s).toArray(ValueLayout.JAVA_BYTE);
                System.arraycopy(b, 0, image, (int) (at - base), b.length);
            }
        }
        long next = (cursor + 0xfff) & -0x1000L;
        for (int i = 1; i < symtab.size(); i++) {
            ElfSymbol sym = symtab.get(i);
            if (sym.isUndefined() && sym.bind() != STB_WEAK && !undefined.containsKey(sym.name())) {
                undefined.put(sym.name(), next);
                next += 0x100;
            }
        }
        relocate();
    }

    private void relocate() throws Exception {
        RelocationEngine engine = RelocationEngines.forMachine(elf.header().machine(), elf.header().bits()).orElseThrow();
        ByteOrder order = elf.header().order();
        for (RelocationTable t : elf.relocationTables()) {
            Long at = t.target() == null ? null : sectionAddress.get(t.target().index());
            if (at == null || !t.target().name().startsWith("__k")) {
                continue; // only the export tables are read here; code may need a GOT this harness does not make
            }
            List<Fixup> fixups = new ArrayList<>();
            for (long i = 0; i < t.size(); i++) {
                Relocation r = t.get(i);
                String where = elf.name() + ": " + t.target().name() + "+0x" + Long.toHexString(r.offset());
                fixups.add(Fixup.of((int) r.type(), r.offset(), at + r.offset(), symbolValue((int) r.symbol()), r.addend(),
                        "", where));
            }
            MemorySegment section = MemorySegment.ofArray(image).asSlice(at - base, t.target().size());
            engine.applyAll(section, order, fixups);
        }
    }

    /** {@return S: where symbol {@code index} is in the placed image} */
    long symbolValue(int index) throws Exception {
        if (index == 0) {
            return 0;
        }
        ElfSymbol sym = symtab.get(index);
        if (sym.isUndefined()) {
            return sym.bind() == STB_WEAK ? 0 : undefined.get(sym.name());
        }
        if (sym.shndx() == SHN_ABS) {
            return sym.value();
        }
        if (sym.shndx() >= SHN_LORESERVE) {
            throw new IllegalStateException(elf.name() + ": symbol " + sym.name() + " in section " + sym.shndx());
        }
        return sectionAddress.get((int) sym.shndx()) + sym.value();
    }

    /** {@return where the (first) global or local symbol named {@code name} is} */
    long symbol(String name) throws Exception {
        for (int i = 1; i < symtab.size(); i++) {
            if (symtab.get(i).name().equals(name) && !symtab.get(i).isUndefined()) {
                return symbolValue(i);
            }
        }
        throw new IllegalArgumentException(elf.name() + ": no symbol " + name);
    }

    long address(String section) {
        return sectionAddress.get(byName.get(section).index());
    }

    long size(String section) {
        return byName.get(section).size();
    }

    boolean has(String section) {
        return byName.containsKey(section);
    }

    ImageReader reader() {
        return ImageReader.of(base, image, elf.header().order() == ByteOrder.LITTLE_ENDIAN, elf.header().is64() ? 8 : 4);
    }
}
