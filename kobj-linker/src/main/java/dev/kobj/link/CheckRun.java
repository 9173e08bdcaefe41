package dev.kobj.link;

import static dev.kobj.elf.ElfConstants.ET_REL;
import static dev.kobj.elf.ElfConstants.SHF_EXECINSTR;
import static dev.kobj.elf.ElfConstants.SHF_WRITE;
import static dev.kobj.elf.ElfConstants.SHT_REL;

import dev.kobj.elf.ElfFile;
import dev.kobj.elf.ElfFormatException;
import dev.kobj.elf.SectionHeader;
import dev.kobj.link.LinkException.Kind;
import dev.kobj.link.LinkException.Problem;
import dev.kobj.reloc.RelocationEngine;
import dev.kobj.reloc.RelocationEngines;
import dev.kobj.symtab.KernelSymbol;
import dev.kobj.symtab.SymbolLookup;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * One run of the load checks over one object. The rules are Linux 6.1's (kernel/module/main.c,
 * version.c, include/linux/license.h), read as facts:
 * <ul>
 * <li>no {@code .gnu.linkonce.this_module}: "No module found in object" (ENOEXEC);</li>
 * <li>vermagic: "version magic 'X' should be 'Y'"; with modversions only the text after the
 *     first space is compared ({@code same_magic}); a missing vermagic is refused too;</li>
 * <li>SHF_WRITE|SHF_EXECINSTR: "section %s is W+X" (CONFIG_STRICT_MODULE_RWX);</li>
 * <li>SHN_COMMON: "please compile with -fno-common";</li>
 * <li>undefined, not weak, found nowhere: "Unknown symbol X";</li>
 * <li>{@code check_version}: the __versions CRC of a resolved symbol must equal the exporter's,
 *     compared as 32 bits ("disagrees about version of symbol X"); no CRC on the exporter's side,
 *     or no entry for that symbol in __versions, lets it through (the kernel warns "no symbol
 *     version"); a module with no __versions at all needs a forced load; {@code module_layout}
 *     is checked as well when both sides list it ({@code check_modstruct_version});</li>
 * <li>GPL-only exports are not found for a module whose licence is not one of "GPL",
 *     "GPL v2", "GPL and additional rights", "Dual BSD/GPL", "Dual MIT/GPL", "Dual MPL/GPL"
 *     ({@code license_is_gpl_compatible}); a missing licence counts as not compatible;</li>
 * <li>a symbol exported in namespace N needs {@code import_ns=N} in .modinfo: "module X uses
 *     symbol Y from namespace N, but does not import it" ({@code verify_namespace_is_imported}).</li>
 * </ul>
 * Symbols from the bindings are not checked for CRC, licence or namespace: they are not exports.
 */
final class CheckRun {

    /** Linux 6.1 include/linux/license.h, license_is_gpl_compatible. */
    static final Set<String> GPL_COMPATIBLE = Set.of("GPL", "GPL v2", "GPL and additional rights", "Dual BSD/GPL",
            "Dual MIT/GPL", "Dual MPL/GPL");

    private final ElfFile elf;
    private final LoadPolicy policy;
    private final SymbolLookup lookup;
    private final Map<String, Long> bindings;
    private final Consumer<String> warnings;
    final List<Problem> problems = new ArrayList<>();
    RelocationEngine engine;
    Resolution resolution;

    CheckRun(ElfFile elf, LoadPolicy policy, SymbolLookup lookup, Map<String, Long> bindings) {
        this(elf, policy, lookup, bindings, w -> { });
    }

    CheckRun(ElfFile elf, LoadPolicy policy, SymbolLookup lookup, Map<String, Long> bindings, Consumer<String> warnings) {
        this.elf = elf;
        this.policy = policy;
        this.lookup = lookup;
        this.bindings = bindings;
        this.warnings = warnings;
    }

    private void add(Kind kind, String symbol, String message) {
        problems.add(new Problem(kind, symbol, elf.name() + ": " + message));
    }

    List<Problem> run() {
        try {
            fileChecks();
            if (engine == null && !problems.isEmpty()) {
                return problems;
            }
            symbolChecks();
        } catch (ElfFormatException e) {
            problems.add(new Problem(Kind.FORMAT, "", e.getMessage()));
        }
        return problems;
    }

    /** {@return whether {@code name} is a module's file name: .ko, plain or compressed} */
    private static boolean koName(String name) {
        return name.endsWith(".ko") || name.endsWith(".ko.xz") || name.endsWith(".ko.zst") || name.endsWith(".ko.gz");
    }

    private void fileChecks() throws ElfFormatException {
        var h = elf.header();
        if (h.type() != ET_REL) {
            add(Kind.ABI_MISMATCH, "", "not a relocatable object (e_type " + h.type() + ", expected ET_REL)");
        }
        engine = RelocationEngines.forMachine(h.machine(), h.bits()).orElse(null);
        if (engine == null) {
            add(Kind.UNSUPPORTED_MACHINE, "", "no relocation engine for e_machine " + h.machine() + " ELFCLASS"
                    + h.bits());
        }
        boolean ko = koName(elf.name());
        boolean needModule = switch (policy.thisModule()) {
            case ALWAYS -> true;
            case NEVER -> false;
            case KO_FILES -> ko;
        };
        if (needModule && elf.thisModule().isEmpty()) {
            add(Kind.NOT_A_MODULE, "", "not a kernel module: no .gnu.linkonce.this_module section");
        }
        if (!policy.vermagic().isEmpty()) {
            List<String> vm = elf.modinfo("vermagic");
            if (vm.isEmpty()) {
                add(Kind.VERMAGIC_MISMATCH, "", "no version magic (expected '" + policy.vermagic() + "')");
            } else if (!sameMagic(vm.getFirst(), policy.vermagic(), policy.modversions() && hasVersions())) {
                add(Kind.VERMAGIC_MISMATCH, "", "version magic '" + vm.getFirst() + "' should be '"
                        + policy.vermagic() + "'");
            }
        }
        for (SectionHeader s : elf.sections()) {
            if (!Link.loaded(s)) {
                continue;
            }
            if (policy.writableExecutable() && (s.flags() & SHF_WRITE) != 0 && (s.flags() & SHF_EXECINSTR) != 0) {
                add(Kind.WRITABLE_EXECUTABLE, "", "section " + s.name() + " is W+X");
            }
        }
        targetChecks();
        for (var t : elf.relocationTables()) {
            if (t.section().type() == SHT_REL && t.target() != null && Link.loaded(t.target()) && t.size() > 0) {
                add(Kind.ABI_MISMATCH, "", t.section().name() + ": REL relocation unsupported (the kernel applies "
                        + "only RELA on x86-64, AArch64 and RISC-V)");
            }
        }
    }

    /**
     * The checks that need the target kernel ({@link LoadPolicy#target}): from Linux 6.4 on
     * ({@link KernelTarget#checksThisModuleSize}) "module %s: .gnu.linkonce.this_module section
     * size must match the kernel's built struct module size at run time" (ENOEXEC), and each relocation type its apply_relocate_add does not
     * know ("Unknown rela relocation: %u" on x86-64, "unsupported RELA relocation: %llu" on arm64,
     * "Unknown relocation type %u" on riscv), named once per type.
     */
    private void targetChecks() throws ElfFormatException {
        KernelTarget t = policy.target();
        if (t == null) {
            return;
        }
        var mod = elf.section(".gnu.linkonce.this_module");
        if (t.thisModuleSize() > 0 && t.checksThisModuleSize() && mod.isPresent() && mod.get().size() != t.thisModuleSize()) {
            add(Kind.NOT_A_MODULE, "", ".gnu.linkonce.this_module section size must match the kernel's built struct "
                    + "module size at run time (" + mod.get().size() + " bytes, " + t.release() + " has "
                    + t.thisModuleSize() + ")");
        }
        java.util.Set<Long> named = new java.util.TreeSet<>();
        for (var r : elf.relocationTables()) {
            if (r.target() == null || !Link.loaded(r.target())) {
                continue;
            }
            for (long i = 0; i < r.size(); i++) {
                long type = r.type(i);
                if (!t.acceptsRelocation((int) type) && named.add(type)) {
                    add(Kind.RELOCATION, "", r.section().name() + "[" + i + "]: relocation type " + type + " ("
                            + dev.kobj.elf.RelocationTypes.nameOrUnrecognized(elf.header().machine(), type)
                            + ") is not one the " + t.release() + " kernel's apply_relocate_add knows");
                }
            }
        }
    }

    private boolean hasVersions() throws ElfFormatException {
        return elf.section("__versions").isPresent();
    }

    /** Linux's same_magic: with CRCs the release (up to the first space) is not compared. */
    static boolean sameMagic(String a, String b, boolean hasCrcs) {
        if (hasCrcs) {
            a = a.substring(indexOrEnd(a));
            b = b.substring(indexOrEnd(b));
        }
        return a.equals(b);
    }

    private static int indexOrEnd(String s) {
        int i = s.indexOf(' ');
        return i < 0 ? s.length() : i;
    }

    private void symbolChecks() throws ElfFormatException {
        var table = elf.symbolTable();
        resolution = new Resolution(table.orElse(null), lookup, bindings);
        for (String s : resolution.common) {
            add(Kind.COMMON_SYMBOL, s, "symbol " + s + " is SHN_COMMON: please compile with -fno-common");
        }
        for (String s : resolution.unresolved) {
            add(Kind.UNRESOLVED, s, "Unknown symbol " + s);
        }
        VersionTable versions = VersionTable.of(elf);
        boolean hasVersions = hasVersions();
        List<String> licences = elf.modinfo("license");
        String licence = licences.isEmpty() ? "unspecified" : licences.getFirst();
        boolean gplOk = GPL_COMPATIBLE.contains(licence);
        Set<String> imports = new HashSet<>(elf.modinfo("import_ns"));
        String module = moduleName(elf);
        if (policy.modversions() && hasVersions) {
            Long mine = versions.crc("module_layout");
            Optional<KernelSymbol> k = lookup.lookup("module_layout");
            if (mine != null && k.isPresent() && k.get().crc() != -1 && (int) (long) mine != (int) k.get().crc()) {
                add(Kind.CRC_MISMATCH, "module_layout", "disagrees about version of symbol module_layout");
            }
        }
        for (int u = 0; u < resolution.count; u++) {
            KernelSymbol k = resolution.provider[u];
            int slot = k == null ? -1 : versions.checkFirst(k.name());
            if (slot < 0) {
                continue; // each name once (an object may list a name twice)
            }
            String name = k.name();
            if (policy.gplOnly() && k.gplOnly() && !gplOk) {
                add(Kind.GPL_ONLY, name, "GPL-only symbol " + name + " (exported by " + k.owner()
                        + ") used by a module with license '" + licence + "'");
            }
            if (policy.modversions() && k.crc() != -1) {
                if (!hasVersions) {
                    if (policy.requireVersions()) {
                        add(Kind.MISSING_VERSIONS, name, "no versions for imported symbol " + name
                                + " (the kernel would need a forced load)");
                    }
                } else {
                    if (!versions.listed(slot)) {
                        warnings.accept(elf.name() + ": no symbol version for " + name);
                    } else if ((int) versions.crcAt(slot) != (int) k.crc()) {
                        long mine = versions.crcAt(slot);
                        add(Kind.CRC_MISMATCH, name, "disagrees about version of symbol " + name + " (module 0x"
                                + Long.toHexString(mine & 0xffffffffL) + ", " + k.owner() + " 0x"
                                + Long.toHexString(k.crc() & 0xffffffffL) + ")");
                    }
                }
            }
            if (policy.namespaces() && !k.namespace().isEmpty() && !imports.contains(k.namespace())) {
                add(Kind.NAMESPACE_NOT_IMPORTED, name, "module " + module + " uses symbol " + name + " from namespace "
                        + k.namespace() + ", but does not import it");
            }
        }
    }

    /** {@return the module's name: this_module's, .modinfo name=, or the file name without extensions} */
    static String moduleName(ElfFile elf) throws ElfFormatException {
        var tm = elf.thisModule();
        if (tm.isPresent() && !tm.get().name().isEmpty()) {
            return tm.get().name();
        }
        List<String> n = elf.modinfo("name");
        if (!n.isEmpty() && !n.getFirst().isEmpty()) {
            return n.getFirst();
        }
        String f = elf.name();
        int slash = Math.max(f.lastIndexOf('/'), f.lastIndexOf('\\'));
        f = f.substring(slash + 1);
        int dot = f.indexOf('.');
        return dot > 0 ? f.substring(0, dot) : f;
    }
}
