package dev.kobj.link;

import static dev.kobj.elf.ElfConstants.EM_AARCH64;
import static dev.kobj.elf.ElfConstants.EM_RISCV;
import static dev.kobj.elf.ElfConstants.EM_X86_64;

import dev.kobj.elf.ElfFile;
import dev.kobj.elf.ElfFormatException;
import dev.kobj.elf.SectionHeader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What a check needs to know about the kernel that will load a module, learnt from that
 * kernel's own files: its release and architecture (a module's vermagic and e_machine) and
 * {@code sizeof(struct module)} (the size of any of its modules' {@code .gnu.linkonce.this_module},
 * which Linux compares from 6.4 on: "section size must match the kernel's built struct module
 * size", ENOEXEC; {@link #checksThisModuleSize}). The relocation types its {@code apply_relocate_add} accepts follow from the release
 * and architecture ({@link #acceptsRelocation}).
 *
 * @param release        the kernel release ("6.1.0-57-amd64")
 * @param machine        its ELF e_machine
 * @param thisModuleSize sizeof(struct module), or 0 when unknown (then not checked)
 */
public record KernelTarget(String release, int machine, long thisModuleSize) {

    private static final Pattern MAJOR_MINOR = Pattern.compile("^(\\d{1,4})\\.(\\d{1,4})");

    /** {@return the target that built {@code module}: its vermagic release, e_machine and this_module size} */
    public static KernelTarget of(ElfFile module) throws ElfFormatException {
        List<String> vm = module.modinfo("vermagic");
        String release = vm.isEmpty() ? "" : vm.getFirst().split(" ", 2)[0];
        long size = module.section(".gnu.linkonce.this_module").map(SectionHeader::size).orElse(0L);
        return new KernelTarget(release, module.header().machine(), size);
    }

    /**
     * {@return the target of a module tree}: {@code path} is a module, or a directory under which
     * the first module found (in name order) speaks for the whole tree
     */
    public static Optional<KernelTarget> from(Path path) throws IOException, ElfFormatException {
        Path module = path;
        if (Files.isDirectory(path)) {
            try (Stream<Path> s = Files.walk(path)) {
                module = s.filter(f -> f.getFileName().toString().matches(".*\\.ko(\\.(xz|zst|gz))?"))
                        .sorted().findFirst().orElse(null);
            }
            if (module == null) {
                return Optional.empty();
            }
        }
        try (ElfFile f = ElfFile.open(module)) {
            return Optional.of(of(f));
        }
    }

    /** {@return MAJOR * 1000 + MINOR of the release, or 0 when it starts with no MAJOR.MINOR} */
    public int version() {
        Matcher m = MAJOR_MINOR.matcher(release);
        return m.find() ? Integer.parseInt(m.group(1)) * 1000 + Integer.parseInt(m.group(2)) : 0;
    }

    /**
     * {@return whether this kernel refuses a module whose {@code .gnu.linkonce.this_module} is not
     * sizeof(struct module) long} The check ("module: add sanity check for ELF module section",
     * kernel/module/main.c) came with the modules pull of v6.4-rc1; 6.1 copies the section as it
     * is (Debian's 6.1.192 loads a module whose this_module is 64 bytes short, 6.12 refuses it
     * with ENOEXEC: KernelVerdictTest). A release kobj cannot read is checked.
     */
    public boolean checksThisModuleSize() {
        int v = version();
        return v == 0 || v >= 6004;
    }

    /** {@return the layout of this kernel} */
    public LayoutStrategy layout() {
        return LayoutStrategy.forRelease(release).orElse(LayoutStrategy.LINUX_6_1);
    }

    /**
     * {@return whether this kernel's {@code apply_relocate_add} applies relocation {@code type}}
     * (arch/x86/kernel/module.c, arch/arm64/kernel/module.c, arch/riscv/kernel/module.c, read as
     * facts): x86-64 NONE, 64, PC32, PLT32, 32, 32S, PC64; arm64 NONE (0 and 256), the data
     * relocations ABS64/32/16 and PREL64/32/16, the MOVW groups, LD_PREL_LO19, ADR_PREL_LO21,
     * ADR_PREL_PG_HI21(_NC), ADD_ABS_LO12_NC, LDST8/16/32/64/128_ABS_LO12_NC, TSTBR14, CONDBR19,
     * JUMP26, CALL26; riscv 32, 64, BRANCH, JAL, CALL, CALL_PLT, GOT_HI20, PCREL_HI20,
     * PCREL_LO12_I/S, HI20, LO12_I/S, RVC_BRANCH, RVC_JUMP, RELAX, ADD32/64, SUB32/64, and from 6.8
     * ("riscv: Add remaining module relocations") NONE, ADD8/16, SUB6/8/16, SET6/8/16/32,
     * 32_PCREL, PLT32, SET_ULEB128, SUB_ULEB128. R_RISCV_ALIGN is refused ("The unexpected
     * relocation type 'R_RISCV_ALIGN'"). Other machines: every type.
     */
    public boolean acceptsRelocation(int type) {
        return switch (machine) {
            case EM_X86_64 -> X86_64.contains(type);
            case EM_AARCH64 -> AARCH64.contains(type) || MOVW.contains(type);
            case EM_RISCV -> RISCV.contains(type) || (version() >= 6008 && RISCV_68.contains(type));
            default -> true;
        };
    }

    private static final Set<Integer> X86_64 = Set.of(0, 1, 2, 4, 10, 11, 24);
    private static final Set<Integer> AARCH64 = Set.of(0, 256, 257, 258, 259, 260, 261, 262, 273, 274, 275, 276,
            277, 278, 279, 280, 282, 283, 284, 285, 286, 299);
    /** MOVW_UABS_G0..G3 (263-269), MOVW_SABS_G0..G2 (270-272), MOVW_PREL_G0..G3 (287-293). */
    private static final Set<Integer> MOVW = Set.of(263, 264, 265, 266, 267, 268, 269, 270, 271, 272, 287, 288, 289,
            290, 291, 292, 293);
    private static final Set<Integer> RISCV = Set.of(1, 2, 16, 17, 18, 19, 20, 23, 24, 25, 26, 27, 28, 35, 36, 39, 40,
            44, 45, 51);
    private static final Set<Integer> RISCV_68 = Set.of(0, 33, 34, 37, 38, 52, 53, 54, 55, 56, 57, 59, 60, 61);
}
