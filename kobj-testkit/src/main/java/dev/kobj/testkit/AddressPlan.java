package dev.kobj.testkit;

import dev.kobj.elf.ElfConstants;
import dev.kobj.elf.ElfFile;
import dev.kobj.elf.ElfFormatException;
import dev.kobj.elf.ElfSymbol;
import dev.kobj.elf.SymbolTable;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Where one placement puts an object: the base of its first section and the addresses of
 * its undefined symbols. Both kobj and GNU ld are given the same plan.
 *
 * @param name     short name for reports ("low", "high")
 * @param base     address of the first SHF_ALLOC section
 * @param fixed    undefined symbols with a fixed address (testdata/README.md, "Undefined symbols")
 * @param nextFree first address handed to an undefined symbol the table does not name
 *                 (then +0x100 per distinct name, in order of first appearance)
 */
public record AddressPlan(String name, long base, Map<String, Long> fixed, long nextFree) {

    /**
     * The addresses testdata/README.md says let GNU ld link every non-TLS object without
     * overflow (tiny model, RVC and JAL ranges keep them close together), with the first
     * section at 0x100000 as in the README's {@code -Ttext=0x100000}.
     */
    public static AddressPlan low() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("kobj_ext_data", 0x200000L);
        m.put("kobj_ext_fn", 0x181000L);
        m.put("printk", 0x182000L);
        m.put("kobj_abs_small", 0x40L);
        m.put("kobj_ext_array", 0x180000L);
        m.put("kobj_ext_value", 0x181000L);
        m.put("kmalloc", 0x182100L);
        m.put("kfree", 0x182200L);
        m.put("memcpy", 0x182300L);
        m.put("memset", 0x182400L);
        m.put("kobj_shared_counter", 0x183000L);
        m.put("kobj_shared_add", 0x183100L);
        return new AddressPlan("low", 0x100000L, Map.copyOf(m), 0x190000L);
    }

    /**
     * Where Linux puts x86-64 modules: the top 2 GiB, so that R_X86_64_32S sign-extends
     * and R_X86_64_32 cannot reach. Undefined symbols follow at base + 0x100000 + 0x100*k;
     * kobj_abs_small stays small (0x40) as the README asks.
     */
    public static AddressPlan x86High() {
        long base = 0xffffffffc0000000L;
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("kobj_abs_small", 0x40L);
        String[] names = {"printk", "kmalloc", "kfree", "memcpy", "memset", "kobj_ext_array", "kobj_ext_value",
            "kobj_ext_data", "kobj_ext_fn", "kobj_shared_counter", "kobj_shared_add"};
        for (int k = 0; k < names.length; k++) {
            m.put(names[k], base + 0x100000L + 0x100L * k);
        }
        return new AddressPlan("high", base, Map.copyOf(m), base + 0x100000L + 0x100L * names.length);
    }

    /**
     * {@return the address of every non-weak undefined symbol of {@code elf}} under this plan,
     * in order of first appearance: the {@link #fixed} one, else {@link #nextFree} + 0x100 per
     * name not fixed. Weak ones resolve to 0 and {@code _GLOBAL_OFFSET_TABLE_} to the GOT: not here.
     */
    public Map<String, Long> addresses(ElfFile elf) throws ElfFormatException {
        Map<String, Long> out = new LinkedHashMap<>();
        Optional<SymbolTable> st = elf.symbolTable();
        if (st.isEmpty()) {
            return out;
        }
        long next = nextFree;
        for (int i = 1; i < st.get().size(); i++) {
            ElfSymbol sym = st.get().get(i);
            if (!sym.isUndefined() || sym.bind() == ElfConstants.STB_WEAK || sym.name().isEmpty()
                    || sym.name().equals("_GLOBAL_OFFSET_TABLE_") || out.containsKey(sym.name())) {
                continue;
            }
            Long a = fixed.get(sym.name());
            if (a == null) {
                a = next;
                next += 0x100;
            }
            out.put(sym.name(), a);
        }
        return out;
    }
}
