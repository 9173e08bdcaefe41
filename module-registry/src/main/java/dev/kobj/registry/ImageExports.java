package dev.kobj.registry;

import dev.kobj.elf.ElfFile;
import dev.kobj.elf.ElfFormatException;
import dev.kobj.elf.RelocationTable;
import dev.kobj.elf.RelocationTypes;
import dev.kobj.link.LoadedImage;
import dev.kobj.symtab.ImageReader;
import dev.kobj.symtab.KernelSymbol;
import dev.kobj.symtab.KsymtabReader;
import dev.kobj.symtab.SymtabFormatException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A linked module's exports, read from its relocated {@code __ksymtab}/{@code __ksymtab_gpl}
 * (with {@code __kcrctab*}) by symtab's {@link KsymtabReader}; the linker's own
 * {@link LoadedImage#exports()} is used when it gives any.
 *
 * <p>The entry layout is PREL32 when the object relocates its {@code __ksymtab} with 32-bit
 * PC-relative relocations (CONFIG_HAVE_ARCH_PREL32_RELOCATIONS), else pointers.
 */
final class ImageExports {
    private ImageExports() {
    }

    static List<KernelSymbol> read(LoadedImage image, String module) throws ModuleException {
        List<KernelSymbol> fromLinker = image.exports();
        if (!fromLinker.isEmpty()) {
            return fromLinker;
        }
        ElfFile elf = image.object();
        List<KernelSymbol> out = new ArrayList<>();
        try {
            for (boolean gpl : new boolean[] {false, true}) {
                String name = gpl ? "__ksymtab_gpl" : "__ksymtab";
                Optional<LoadedImage.PlacedSection> s = image.section(name);
                if (s.isEmpty() || s.get().size() == 0) {
                    continue;
                }
                long crc = image.section(gpl ? "__kcrctab_gpl" : "__kcrctab").map(LoadedImage.PlacedSection::address)
                        .orElse(0L);
                KsymtabReader.Layout layout = layout(elf, s.get().index());
                ImageReader reader = new ImageReader() {
                    @Override
                    public byte[] read(long address, int length) {
                        try {
                            return image.read(address, length);
                        } catch (IllegalArgumentException e) {
                            throw new IndexOutOfBoundsException(e.getMessage());
                        }
                    }

                    @Override
                    public boolean littleEndian() {
                        return elf.header().littleEndian();
                    }

                    @Override
                    public int pointerSize() {
                        return elf.header().is64() ? 8 : 4;
                    }
                };
                out.addAll(new KsymtabReader(reader, layout, module).read(s.get().address(), s.get().size(), gpl, crc));
            }
        } catch (SymtabFormatException | ElfFormatException e) {
            throw new ModuleException(ModuleException.Errno.ENOEXEC, module + ": export table: " + e.getMessage(), e);
        }
        return out;
    }

    private static KsymtabReader.Layout layout(ElfFile elf, int sectionIndex) throws ElfFormatException {
        for (RelocationTable t : elf.relocationTables()) {
            if (t.target().index() != sectionIndex || t.size() == 0) {
                continue;
            }
            String type = RelocationTypes.nameOrUnrecognized(elf.header().machine(), t.type(0));
            return type.contains("PC32") || type.contains("PREL32") || type.contains("32_PCREL")
                    ? KsymtabReader.Layout.PREL32 : KsymtabReader.Layout.ABSOLUTE;
        }
        return KsymtabReader.Layout.PREL32;
    }
}
