package dev.kobj.registry;

import dev.kobj.elf.ElfConstants;
import dev.kobj.elf.ElfFile;
import dev.kobj.elf.ElfSymbol;
import dev.kobj.elf.SymbolTable;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which loadable module exports a symbol, as depmod computes it from the objects alone: a
 * module exports {@code NAME} when its symbol table has a {@code __ksymtab_NAME} symbol (Linux
 * 6.1 EXPORT_SYMBOL emits one per export). Built lazily from the locator's candidates on the
 * first look-up after the search path changed; guarded by the registry's lock.
 */
final class ExportIndex {
    private static final String PREFIX = "__ksymtab_";

    private final ModuleLocator locator;
    private List<Path> builtFor;
    private Map<String, String> owners = Map.of();

    ExportIndex(ModuleLocator locator) {
        this.locator = locator;
    }

    /** {@return the module (name) exporting {@code symbol} among the files of {@code searchPath}} */
    Optional<String> owner(String symbol, List<Path> searchPath) {
        if (!searchPath.equals(builtFor)) {
            owners = build(searchPath);
            builtFor = List.copyOf(searchPath);
        }
        return Optional.ofNullable(owners.get(symbol));
    }

    void invalidate() {
        builtFor = null;
    }

    private Map<String, String> build(List<Path> searchPath) {
        Map<String, String> out = new HashMap<>();
        for (Path p : locator.candidates(searchPath)) {
            try (ElfFile elf = ElfFile.open(p)) {
                List<String> exported = exports(elf);
                if (exported.isEmpty()) {
                    continue;
                }
                String module = Metadata.read(elf, Optional.of(p), true).metadata().name();
                for (String s : exported) {
                    out.putIfAbsent(s, module); // the first file on the path wins, as the path's order says
                }
            } catch (Exception e) {
                // a file that cannot be read exports nothing (depmod warns and goes on)
            }
        }
        return out;
    }

    /** {@return the names {@code elf} exports, from its {@code __ksymtab_NAME} symbols} */
    static List<String> exports(ElfFile elf) throws dev.kobj.elf.ElfFormatException {
        Optional<SymbolTable> t = elf.symbolTable();
        if (t.isEmpty()) {
            return List.of();
        }
        java.util.ArrayList<String> out = new java.util.ArrayList<>();
        for (ElfSymbol s : t.get().all()) {
            String n = s.name();
            if (n.startsWith(PREFIX) && n.length() > PREFIX.length() && s.type() != ElfConstants.STT_SECTION
                    && !s.isUndefined()) {
                String name = n.substring(PREFIX.length());
                if (!name.equals("strings") && !name.equals("gpl")) {
                    out.add(name);
                }
            }
        }
        return out;
    }
}
