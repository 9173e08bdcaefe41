package dev.kobj.link;

import static dev.kobj.elf.ElfConstants.*;
import static dev.kobj.link.ImageWriter.ABS;

import dev.kobj.link.ImageWriter.Section;
import dev.kobj.link.ImageWriter.Segment;
import dev.kobj.link.ImageWriter.Symbol;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a linked image becomes as an ELF executable: which sections, segments and symbols
 * {@link ImageWriter#of(LoadedImage)} hands to the writer.
 */
final class ImageContents {
    private ImageContents() {
    }

    /**
     * {@return a writer holding {@code image}}: its placed sections, each SHF_ALLOC (the kernel's
     * copies of .symtab and .strtab too, as layout_symtab flags them) (relocated bytes read back
     * from the image's memory, NOBITS for bss), its stub sections under their own names, one
     * PT_LOAD per region with the region's final permissions, and every symbol of the object
     * with its final address. Symbols that were undefined become SHN_ABS at the address they
     * resolved to (0 for an unresolved weak one); symbols of sections that are not loaded
     * (.modinfo, debug info) are kept as SHN_ABS at their st_value, so the image holds every
     * symbol of the object; each stub entry gets a local
     * symbol {@code NAME@plt} or {@code NAME@got} ({@code NAME+0xA@...} with an addend), so
     * that a disassembler names the veneer a call goes through.
     */
    static ImageWriter of(LoadedImage image) {
        dev.kobj.elf.ElfHeader h = image.object().header();
        ImageWriter w = new ImageWriter(h.is64(), h.order(), h.machine(), h.flags(), h.osabi());
        Map<Integer, Integer> byInput = new HashMap<>();
        for (LoadedImage.PlacedSection p : image.sections()) {
            var sh = p.header();
            MemorySegment bytes = p.nobits() ? null : MemorySegment.ofArray(image.read(p.address(), (int) p.size()));
            // Every placed section is allocated memory: the kernel's copies of .symtab and .strtab
            // (layout_symtab, kernel/module/kallsyms.c) get SHF_ALLOC on its copy, as here.
            byInput.put(p.index(), w.section(new Section(p.name(), sh.type(), sh.flags() | SHF_ALLOC, p.address(),
                    sh.addralign(), sh.entsize(), p.size(), bytes)));
        }
        List<Symbol> stubSymbols = new ArrayList<>();
        List<LoadedImage.LinkedSymbol> symbols = image.symbols();
        for (LoadedImage.StubSection st : image.stubs()) {
            long flags = SHF_ALLOC | (st.kind() != LoadedImage.StubKind.GOT ? SHF_EXECINSTR : 0);
            int at = w.section(new Section(st.name(), SHT_PROGBITS, flags, st.address(), st.entrySize(),
                    st.entrySize(), st.size(), MemorySegment.ofArray(image.read(st.address(), (int) st.size()))));
            String suffix = st.kind() == LoadedImage.StubKind.PLT ? "@plt" : "@got";
            int type = st.kind() == LoadedImage.StubKind.PLT ? STT_FUNC : STT_OBJECT;
            st.entries().entrySet().stream()
                    .sorted(Map.Entry.comparingByValue(Long::compareUnsigned))
                    .forEach(e -> {
                        long si = e.getKey().symbolIndex();
                        String name = si > 0 && si < symbols.size() ? stubName(image, symbols.get((int) si)) : "sym" + si;
                        long addend = e.getKey().addend();
                        if (addend != 0) {
                            name += (addend < 0 ? "-0x" + Long.toHexString(-addend) : "+0x" + Long.toHexString(addend));
                        }
                        stubSymbols.add(new Symbol(name + suffix, e.getValue(), st.entrySize(),
                                STB_LOCAL << 4 | type, 0, at));
                    });
        }
        for (LoadedImage.Region r : image.regions()) {
            int flags = PF_R | (r.permissions().writable() ? PF_W : 0) | (r.permissions().executable() ? PF_X : 0);
            w.segment(new Segment(r.address(), r.size(), flags, Linker.PAGE_SIZE));
        }
        for (LoadedImage.LinkedSymbol ls : symbols) {
            dev.kobj.elf.ElfSymbol s = ls.symbol();
            switch (ls.source()) {
                case NULL -> {
                }
                case NOT_LOADED -> // .modinfo, debug info: kept, at their st_value, since they have no address
                        w.symbol(new Symbol(s.type() == STT_SECTION ? "" : s.name(), ls.address(), s.size(), s.info(),
                                s.other(), ABS));
                case DEFINED -> {
                    Integer sec = byInput.get((int) s.shndx());
                    if (sec != null) {
                        w.symbol(new Symbol(s.type() == STT_SECTION ? "" : s.name(), ls.address(), s.size(), s.info(),
                                s.other(), sec));
                    }
                }
                case ABSOLUTE, LOOKUP, BINDING, WEAK_UNDEFINED ->
                        w.symbol(new Symbol(s.name(), ls.address(), s.size(), s.info(), s.other(), ABS));
            }
        }
        stubSymbols.forEach(w::symbol);
        image.symbol("init_module").ifPresent(w::entry);
        return w;
    }

    private static String stubName(LoadedImage image, LoadedImage.LinkedSymbol s) {
        if (s.symbol().type() == STT_SECTION) {
            return image.section((int) s.symbol().shndx()).map(LoadedImage.PlacedSection::name).orElse("section");
        }
        return s.name();
    }
}
