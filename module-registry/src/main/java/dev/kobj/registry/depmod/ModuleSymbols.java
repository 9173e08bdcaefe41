package dev.kobj.registry.depmod;

import dev.kobj.elf.ElfConstants;
import dev.kobj.elf.ElfFile;
import dev.kobj.elf.ElfFormatException;
import dev.kobj.elf.ModVersion;
import dev.kobj.elf.SymbolTable;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What one module offers and needs, as depmod reads it: the symbols it exports and the
 * symbols it imports, each list in the order of the module's symbol table.
 *
 * <p><b>Exports.</b> In Linux 6.1 each {@code EXPORT_SYMBOL*(foo)} leaves a symbol
 * {@code __ksymtab_foo} defined in {@code __ksymtab} or {@code __ksymtab_gpl} (the
 * {@code struct kernel_symbol} entry; include/linux/export.h), so the exports are the defined
 * symbols named {@code __ksymtab_*} with the prefix removed. (kmod reads the {@code __crc_*}
 * symbols of CONFIG_MODVERSIONS builds and falls back to the strings of
 * {@code __ksymtab_strings}; on Debian's 6.1 trees all three give the same names, which the
 * corpus oracle checks.)
 *
 * <p><b>Imports.</b> Every named SHN_UNDEF symbol of {@code .symtab} from index 1 up, weak ones
 * included (depmod makes a weak reference a dependency too), followed by the
 * {@code __versions} entries that name no undefined symbol (such as {@code module_layout}),
 * as kmod lists a module's dependency symbols.
 *
 * @param exports the exported names, in symbol-table order
 * @param imports the imported names, in the order above
 */
public record ModuleSymbols(List<String> exports, List<String> imports) {
    /** The prefix of the symbol each exported name leaves in a Linux 6.1 module. */
    public static final String KSYMTAB_PREFIX = "__ksymtab_";

    /** Copies the lists (lists of names that {@link SymbolReader} made are immutable and kept). */
    public ModuleSymbols {
        exports = exports instanceof NameList ? exports : List.copyOf(exports);
        imports = imports instanceof NameList ? imports : List.copyOf(imports);
    }

    /**
     * {@return the exports and imports of {@code file}}
     *
     * @throws ElfFormatException when the symbol table or {@code __versions} is malformed
     * @param file the module
     */
    public static ModuleSymbols read(ElfFile file) throws ElfFormatException {
        Objects.requireNonNull(file, "file");
        SymbolTable symtab = file.symbolTable().orElse(null);
        List<String> exports = new ArrayList<>();
        List<String> imports = new ArrayList<>();
        Set<String> undefined = new HashSet<>();
        if (symtab != null) {
            // Names are decoded only for undefined symbols and __ksymtab_* ones: the prefix is
            // compared in the string table's bytes first (most of a module's symbols are neither).
            MemorySegment strings = file.contents(symtab.strings().section());
            for (int i = 1; i < symtab.size(); i++) {
                if (symtab.rawShndx(i) == ElfConstants.SHN_UNDEF) {
                    String name = symtab.name(i);
                    if (!name.isEmpty()) {
                        imports.add(name);
                        undefined.add(name);
                    }
                } else if (hasKsymtabPrefix(strings, symtab.nameOffset(i))) {
                    String name = symtab.name(i);
                    if (name.startsWith(KSYMTAB_PREFIX) && name.length() > KSYMTAB_PREFIX.length()) {
                        exports.add(name.substring(KSYMTAB_PREFIX.length()));
                    }
                }
            }
        }
        for (ModVersion v : file.modversions()) {
            if (!v.name().isEmpty() && !undefined.contains(v.name())) {
                imports.add(v.name());
            }
        }
        return new ModuleSymbols(exports, imports);
    }

    private static final byte[] PREFIX = KSYMTAB_PREFIX.getBytes(StandardCharsets.ISO_8859_1);

    private static boolean hasKsymtabPrefix(MemorySegment strings, long offset) {
        if (offset <= 0 || offset > strings.byteSize() - PREFIX.length) {
            return false;
        }
        for (int k = 0; k < PREFIX.length; k++) {
            if (strings.get(ValueLayout.JAVA_BYTE, offset + k) != PREFIX[k]) {
                return false;
            }
        }
        return true;
    }
}
