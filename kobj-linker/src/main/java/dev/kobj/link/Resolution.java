package dev.kobj.link;

import static dev.kobj.elf.ElfConstants.SHN_COMMON;
import static dev.kobj.elf.ElfConstants.STB_WEAK;

import dev.kobj.elf.ElfFormatException;
import dev.kobj.elf.ElfSymbol;
import dev.kobj.elf.SymbolTable;
import dev.kobj.symtab.KernelSymbol;
import dev.kobj.symtab.SymbolLookup;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Resolution of an object's undefined symbols: the lookup (loaded modules, then the kernel, as
 * the caller chained them), then the bindings; weak undefined symbols nobody provides are 0.
 * Definitions are the object's own ("locals first"): only SHN_UNDEF entries are looked up.
 * Each symbol table index holds the outcome; addresses of defined symbols are filled in by
 * the layout ({@link Link}).
 */
final class Resolution {

    /** The outcome for one undefined symbol. */
    record Undefined(ElfSymbol symbol, long address, LoadedImage.Source source, KernelSymbol provider) {
    }

    /** GOT-relative symbol that resolves to kobj's own GOT (x86-64 GOTPC32 and friends). */
    static final String GOT_SYMBOL = "_GLOBAL_OFFSET_TABLE_";

    final List<ElfSymbol> symbols;
    /** Per index: the outcome for undefined symbols, null for defined ones or unresolved. */
    final Undefined[] undefined;
    final List<ElfSymbol> unresolved = new ArrayList<>();
    final List<ElfSymbol> common = new ArrayList<>();

    Resolution(SymbolTable table, SymbolLookup lookup, Map<String, Long> bindings) throws ElfFormatException {
        this.symbols = table == null ? List.of() : table.all();
        this.undefined = new Undefined[symbols.size()];
        for (int i = 1; i < symbols.size(); i++) {
            ElfSymbol s = symbols.get(i);
            if (isCommon(s)) {
                common.add(s);
                continue;
            }
            if (!s.isUndefined() || s.name().isEmpty() || s.name().equals(GOT_SYMBOL)) {
                continue;
            }
            var k = lookup.lookup(s.name());
            if (k.isPresent()) {
                undefined[i] = new Undefined(s, k.get().address(), LoadedImage.Source.LOOKUP, k.get());
                continue;
            }
            Long b = bindings.get(s.name());
            if (b != null) {
                undefined[i] = new Undefined(s, b, LoadedImage.Source.BINDING, null);
            } else if (s.bind() == STB_WEAK) {
                undefined[i] = new Undefined(s, 0, LoadedImage.Source.WEAK_UNDEFINED, null);
            } else {
                unresolved.add(s);
            }
        }
    }

    /** {@return true for SHN_COMMON (the kernel's simplify_symbols refuses those)} */
    static boolean isCommon(ElfSymbol s) {
        return s.rawShndx() == SHN_COMMON;
    }
}
