package dev.kobj.link;

import dev.kobj.elf.ElfFile;
import dev.kobj.elf.ElfFormatException;
import dev.kobj.elf.RelocationTable;
import dev.kobj.reloc.RelocationEngine;
import dev.kobj.symtab.ImageReader;
import dev.kobj.symtab.KernelSymbol;
import dev.kobj.symtab.KsymtabReader;
import dev.kobj.symtab.SymtabFormatException;
import java.util.ArrayList;
import java.util.List;

/**
 * The module's exports, read with symtab's {@link KsymtabReader} from the relocated
 * {@code __ksymtab} and {@code __ksymtab_gpl} (with {@code __kcrctab}/{@code __kcrctab_gpl}),
 * as the kernel does once a module is relocated. The entry layout is told from the
 * relocations of the table: PC-relative ones (formula with "- P": R_X86_64_PC32,
 * R_AARCH64_PREL32, R_RISCV_32_PCREL) or label differences (RISC-V ADD32/SUB32 pairs) mean
 * CONFIG_HAVE_ARCH_PREL32_RELOCATIONS' PREL32 entries; only absolute ones mean pointers.
 */
final class Exports {
    private Exports() {
    }

    static List<KernelSymbol> read(ElfFile elf, LoadedImage image, RelocationEngine engine, String module)
            throws LinkException, ElfFormatException {
        List<KernelSymbol> out = new ArrayList<>();
        for (String table : List.of("__ksymtab", "__ksymtab_gpl")) {
            var sec = image.section(table);
            if (sec.isEmpty() || sec.get().size() == 0) {
                continue;
            }
            String crcName = table.equals("__ksymtab") ? "__kcrctab" : "__kcrctab_gpl";
            long crc = image.section(crcName).map(LoadedImage.PlacedSection::address).orElse(0L);
            KsymtabReader.Layout layout = layout(elf, sec.get().index(), engine);
            try {
                out.addAll(new KsymtabReader(reader(elf, image), layout, module).read(sec.get().address(),
                        sec.get().size(), table.endsWith("_gpl"), crc));
            } catch (SymtabFormatException e) {
                throw new LinkException(LinkException.Kind.FORMAT, elf.name(), elf.name() + ": " + e.getMessage(), e);
            }
        }
        return out;
    }

    private static KsymtabReader.Layout layout(ElfFile elf, int index, RelocationEngine engine)
            throws ElfFormatException {
        for (RelocationTable t : elf.relocationTables()) {
            if (t.target() == null || t.target().index() != index || t.size() == 0) {
                continue;
            }
            for (long i = 0; i < t.size(); i++) {
                var k = engine.kind((int) t.type(i));
                if (k.isPresent() && (k.get().formula().contains("- P")
                        || k.get().category() == dev.kobj.reloc.RelocationKind.Category.ARITHMETIC)) {
                    return KsymtabReader.Layout.PREL32;
                }
            }
            return KsymtabReader.Layout.ABSOLUTE;
        }
        return KsymtabReader.Layout.PREL32;
    }

    private static ImageReader reader(ElfFile elf, LoadedImage image) {
        boolean le = elf.header().littleEndian();
        int ps = elf.header().is64() ? 8 : 4;
        return new ImageReader() {
            @Override
            public byte[] read(long address, int length) {
                try {
                    return image.read(address, length);
                } catch (IllegalArgumentException e) {
                    throw new IndexOutOfBoundsException(e.getMessage());
                }
            }

            @Override
            public boolean readInto(long address, byte[] dst, int offset, int length) {
                return image instanceof LinkedImage l ? l.readInto(address, dst, offset, length)
                        : ImageReader.super.readInto(address, dst, offset, length);
            }

            @Override
            public boolean littleEndian() {
                return le;
            }

            @Override
            public int pointerSize() {
                return ps;
            }
        };
    }
}
