package dev.kobj.link;

import static dev.kobj.elf.ElfConstants.EM_RISCV;

import dev.kobj.link.LinkException.Kind;
import dev.kobj.link.LinkException.Problem;
import java.util.List;

/**
 * The errno Linux's {@code init_module}/{@code finit_module} returns for a refused module,
 * read as facts from kernel/module/main.c and the architectures' module.c:
 * <ul>
 * <li>ENOENT: an unknown symbol ({@code simplify_symbols}: "Unknown symbol X (err -2)"), and a
 *     GPL-only export asked for by a module that is not GPL-compatible (it is not found);</li>
 * <li>EINVAL: a CRC that differs ({@code check_version} false: "disagrees about version of
 *     symbol X"), a namespace not imported ({@code verify_namespace_is_imported}); a relocation
 *     riscv's {@code apply_relocate_add} refuses or cannot encode;</li>
 * <li>ENOEXEC: everything found before the symbols are resolved (ELF validity, no or a wrongly
 *     sized {@code .gnu.linkonce.this_module}, vermagic, module_layout version or no
 *     {@code __versions} without CONFIG_MODULE_FORCE_LOAD, W+X sections), SHN_COMMON symbols,
 *     and a relocation x86-64 or arm64 refuses or cannot encode;</li>
 * <li>ENOMEM: the memory could not be had.</li>
 * </ul>
 * When several problems are found, the kernel answers with the first stage that fails:
 * the file checks, then the symbols (where {@code simplify_symbols} keeps the error of the last
 * bad symbol), then the relocations; {@link #verdict} follows that order.
 */
public enum LoadErrno {
    /** No such file or directory (2): an unknown symbol, or a GPL-only one refused. */
    ENOENT(2),
    /** Exec format error (8): a check before symbol resolution fails, or an x86-64/arm64 relocation is refused. */
    ENOEXEC(8),
    /** Out of memory (12). */
    ENOMEM(12),
    /** Invalid argument (22): a CRC mismatch, a namespace not imported, or a riscv relocation refused. */
    EINVAL(22);

    private final int number;

    LoadErrno(int number) {
        this.number = number;
    }

    /** {@return the Linux (asm-generic) number} */
    public int number() {
        return number;
    }

    /**
     * {@return the errno of one problem of kind {@code kind} for a module of ELF machine {@code machine}}
     * @param kind the kind of problem
     * @param machine the ELF {@code e_machine} of the module (some errnos are per architecture)
     */
    public static LoadErrno of(Kind kind, int machine) {
        return switch (kind) {
            case UNRESOLVED, GPL_ONLY -> ENOENT;
            case CRC_MISMATCH, NAMESPACE_NOT_IMPORTED -> EINVAL;
            case RELOCATION -> machine == EM_RISCV ? EINVAL : ENOEXEC;
            case MEMORY -> ENOMEM;
            case UNSUPPORTED_MACHINE, ABI_MISMATCH, MISSING_VERSIONS, VERMAGIC_MISMATCH, COMMON_SYMBOL, NOT_A_MODULE,
                    WRITABLE_EXECUTABLE, FORMAT -> ENOEXEC;
        };
    }

    /**
     * {@return the errno the kernel returns for a module with {@code problems} (none: null)}
     * @param problems every problem the checks and the link found
     * @param machine the ELF {@code e_machine} of the module (some errnos are per architecture)
     */
    public static LoadErrno verdict(List<Problem> problems, int machine) {
        LoadErrno symbols = null;
        LoadErrno relocations = null;
        LoadErrno memory = null;
        for (Problem p : problems) {
            if (p.kind() == Kind.CRC_MISMATCH && p.symbol().equals("module_layout")) {
                return ENOEXEC; // check_modstruct_version, before anything else is resolved
            }
            switch (p.kind()) {
                case UNRESOLVED, GPL_ONLY, CRC_MISMATCH, NAMESPACE_NOT_IMPORTED, COMMON_SYMBOL ->
                        symbols = of(p.kind(), machine);
                case RELOCATION -> relocations = relocations != null ? relocations : of(p.kind(), machine);
                case MEMORY -> memory = ENOMEM;
                default -> {
                    return ENOEXEC; // a file check: the kernel stops there
                }
            }
        }
        return symbols != null ? symbols : relocations != null ? relocations : memory;
    }
}
