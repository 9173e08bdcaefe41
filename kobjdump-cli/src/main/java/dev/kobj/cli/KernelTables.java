package dev.kobj.cli;

import dev.kobj.elf.Arch;
import dev.kobj.elf.ElfHeader;
import dev.kobj.link.LinkRequest;
import dev.kobj.symtab.KernelSymbolTable;
import dev.kobj.symtab.SymbolLookup;
import dev.kobj.symtab.SymtabFormatException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The kernel symbol table of {@code --kernel} options. A System.map or kallsyms file is read
 * as it is; a Module.symvers (no addresses) is synthesized for the object's architecture
 * ({@link KernelSymbolTable#synthesize} with every owner's exports, so that modules that
 * depend on other modules of the tree resolve too). Several files merge by name, the files
 * with addresses first, so a System.map gives the addresses and a Module.symvers the CRCs,
 * owners, GPL flags and namespaces. With only Module.symvers files, the merged table is
 * synthesized once per architecture.
 */
final class KernelTables {
    private final KernelSymbolTable merged;
    private final boolean synthesize;
    private final Map<Arch, KernelSymbolTable> byArch = new EnumMap<>(Arch.class);

    /** CONFIG_KALLSYMS_ALL as a /proc/kallsyms file tells it, or null. */
    private Boolean kallsymsAll;

    private KernelTables(KernelSymbolTable merged, boolean synthesize) {
        this.merged = merged;
        this.synthesize = synthesize;
    }

    /**
     * {@return whether the kernel has CONFIG_KALLSYMS_ALL, as a --kernel file whose name contains
     * "kallsyms" (a copy of /proc/kallsyms) shows it: vmlinux data or bss symbols are listed only
     * with it}; null when no such file was given (System.map lists them whatever the configuration)
     */
    Boolean kallsymsAll() {
        return kallsymsAll;
    }

    /** {@return the tables of {@code files}} (none: a table without symbols) */
    static KernelTables load(List<Path> files) throws IOException, SymtabFormatException {
        if (files == null || files.isEmpty()) {
            return new KernelTables(null, false);
        }
        List<KernelSymbolTable> withAddresses = new ArrayList<>();
        List<KernelSymbolTable> without = new ArrayList<>();
        Boolean dataListed = null;
        for (Path p : files) {
            KernelSymbolTable t = KernelSymbolTable.read(p);
            (t.hasAddresses() ? withAddresses : without).add(t);
            Path fn = p.getFileName();
            if (t.hasAddresses() && fn != null && fn.toString().contains("kallsyms")) {
                dataListed = Boolean.TRUE.equals(dataListed) || listsData(t);
            }
        }
        List<KernelSymbolTable> all = new ArrayList<>(withAddresses);
        all.addAll(without);
        KernelSymbolTable merged = all.size() == 1 ? all.getFirst()
                : KernelSymbolTable.merge(all.toArray(KernelSymbolTable[]::new));
        KernelTables tables = new KernelTables(merged, withAddresses.isEmpty());
        tables.kallsymsAll = dataListed;
        return tables;
    }

    private static boolean listsData(KernelSymbolTable t) {
        for (var s : t.symbols()) {
            if ("vmlinux".equals(s.owner()) || s.owner() == null || s.owner().isEmpty()) {
                char c = t.nmType(s.name());
                if ("dDbBrRgGsS".indexOf(c) >= 0) {
                    return true;
                }
            }
        }
        return false;
    }

    /** {@return the lookup for an object with header {@code h}} */
    SymbolLookup forObject(ElfHeader h) throws SymtabFormatException {
        return forArch(h.machine(), h.bits());
    }

    /**
     * Makes, ahead of the first {@link #forObject}, the table for the architecture of the module in
     * {@code file} when its ELF header says it plainly (an uncompressed ELF file: e_ident, then
     * e_machine at offset 18); anything else (a compressed module, an unreadable file, a table that
     * cannot be synthesized) is left for {@link #forObject} to meet and report as before.
     *
     * @param file a module of the tree to check
     */
    void prepare(Path file) {
        if (merged == null || !synthesize) {
            return;
        }
        byte[] h = new byte[20];
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.wrap(h);
            while (b.hasRemaining() && ch.read(b, b.position()) >= 0) {
                // the first 20 bytes, or fewer at the end of the file
            }
            if (b.hasRemaining() || h[0] != 0x7f || h[1] != 'E' || h[2] != 'L' || h[3] != 'F'
                    || (h[4] != 1 && h[4] != 2) || (h[5] != 1 && h[5] != 2)) {
                return;
            }
            int machine = h[5] == 1 ? (h[18] & 0xff) | (h[19] & 0xff) << 8 : (h[19] & 0xff) | (h[18] & 0xff) << 8;
            forArch(machine, h[4] == 2 ? 64 : 32);
        } catch (IOException | SymtabFormatException | RuntimeException e) {
            // forObject meets it again for the module that needs it, and reports it there
        }
    }

    private synchronized SymbolLookup forArch(int machine, int bits) throws SymtabFormatException {
        if (merged == null) {
            return LinkRequest.NO_SYMBOLS;
        }
        if (!synthesize) {
            return merged;
        }
        Arch arch = Arch.of(machine, bits);
        if (arch == null) {
            return merged; // the linker refuses the machine anyway
        }
        KernelSymbolTable t = byArch.get(arch);
        if (t == null) {
            t = KernelSymbolTable.synthesize(merged, arch, true);
            byArch.put(arch, t);
        }
        return t;
    }

    /** {@return true when addresses are synthesized from Module.symvers} */
    boolean synthesized() {
        return synthesize;
    }

    /**
     * {@return where modules go when no --base is given}: where Linux 6.1 puts them without
     * KASLR, within branch range of the kernel text: x86_64 MODULES_VADDR (0xffffffffc0000000,
     * PC32 reaches the kernel image); arm64 64 MiB below the kernel text (its modules area is
     * the 128 MiB below {@code _etext}, reachable by B/BL); riscv64 1 GiB below the kernel
     * (modules live in the 2 GiB below {@code _end}, reachable by AUIPC+JALR); riscv32 16 MiB
     * below PAGE_OFFSET. Others: 0, the memory chooses.
     */
    static long defaultBase(ElfHeader h) {
        Arch arch = Arch.of(h.machine(), h.bits());
        if (arch == null) {
            return 0;
        }
        return switch (arch) {
            case X86_64 -> 0xffff_ffff_c000_0000L;
            case AARCH64 -> arch.textBase() - 0x400_0000L;
            case RISCV64 -> arch.textBase() - 0x4000_0000L;
            case RISCV32 -> arch.textBase() - 0x100_0000L;
        };
    }
}
