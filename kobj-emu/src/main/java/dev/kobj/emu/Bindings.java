package dev.kobj.emu;

import dev.kobj.elf.ElfFile;
import dev.kobj.elf.ElfFormatException;
import dev.kobj.elf.ElfSymbol;
import dev.kobj.elf.RelocationTable;
import dev.kobj.symtab.SymbolLookup;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Where an object's undefined symbols go in the guest when neither the object nor a loaded image
 * defines them: a kernel function stub when a handler answers the name or the object calls it
 * (a call relocation: x86-64 R_X86_64_PLT32, AArch64 R_AARCH64_CALL26/JUMP26, RISC-V
 * R_RISCV_CALL/CALL_PLT/JAL), else a data slot. A weak undefined symbol that has no handler and
 * that the kernel table (if any) does not name stays unbound: it resolves to 0, as in Linux.
 */
final class Bindings {
    private Bindings() {
    }

    static final int STB_WEAK = 2;

    static Map<String, Long> of(ElfFile object, Cpu cpu, Kernel kernel, SymbolLookup loaded)
            throws ElfFormatException, EmuException {
        Set<Long> called = calledSymbols(object, cpu);
        Map<String, Long> out = new LinkedHashMap<>();
        var table = object.symbolTable();
        if (table.isEmpty()) {
            return out;
        }
        for (ElfSymbol s : table.get().all()) {
            if (!s.isUndefined() || s.name().isEmpty() || s.index() == 0 || out.containsKey(s.name())
                    || s.bind() == 0 || loaded.lookup(s.name()).isPresent()) {
                continue;
            }
            boolean handled = kernel.handlers().get(s.name()).isPresent();
            boolean known = kernel.table() != null && kernel.table().lookup(s.name()).isPresent();
            if (s.bind() == STB_WEAK && !handled && !known) {
                continue;
            }
            boolean function = handled || cpu.thunk(s.name()) != null || called.contains((long) s.index());
            out.put(s.name(), function ? kernel.function(s.name()) : kernel.data(s.name()));
        }
        return out;
    }

    private static Set<Long> calledSymbols(ElfFile object, Cpu cpu) throws ElfFormatException {
        Set<Long> out = new HashSet<>();
        for (RelocationTable t : object.relocationTables()) {
            for (long i = 0; i < t.size(); i++) {
                long type = t.type(i);
                boolean call = switch (cpu) {
                    case X86_64 -> type == 4; // R_X86_64_PLT32
                    case AARCH64 -> type == 282 || type == 283; // JUMP26, CALL26
                    case RISCV64 -> type == 17 || type == 18 || type == 19; // JAL, CALL, CALL_PLT
                };
                if (call) {
                    out.add(t.symbol(i));
                }
            }
        }
        return out;
    }
}
