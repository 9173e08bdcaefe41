package dev.kobj.reloc.aarch64;

import dev.kobj.elf.ElfConstants;
import dev.kobj.elf.RelocationTypes;
import dev.kobj.reloc.RelocationKind;
import dev.kobj.reloc.RelocationKind.Category;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The AArch64 relocation types kobj knows but will not apply, each with its reason: every type
 * readelf names that is not an {@link AArch64Kind}. They fall in three families:
 * <ul>
 *   <li>dynamic relocations (1024..1032: COPY, GLOB_DAT, JUMP_SLOT, RELATIVE, TLS_DTPMOD64,
 *       TLS_DTPREL64, TLS_TPREL64, TLSDESC, IRELATIVE): a static link of a module resolves
 *       everything; these are for a dynamic linker and never occur in a relocatable object;</li>
 *   <li>static thread-local storage (512..573: TLSGD_*, TLSLD_*, TLSIE_*, TLSLE_*, TLSDESC_*):
 *       a kernel module has no TLS block, and the Linux loader refuses them as well;</li>
 *   <li>ILP32 numbers (1..255: R_AARCH64_P32_*): kobj links LP64 objects only.</li>
 * </ul>
 * A type number no table names is {@code UNKNOWN_TYPE}, not one of these.
 */
final class Refusals {
    private Refusals() {
    }

    /** A refused type with the sentence that says why. */
    record Refusal(RelocationKind kind, String reason) {
    }

    private static final List<Refusal> ALL;
    private static final Map<Integer, Refusal> BY_TYPE = new HashMap<>();

    static {
        List<Refusal> all = new ArrayList<>();
        for (int type = 0; type < 2048; type++) {
            if (AArch64Kind.of(type).isPresent()) {
                continue;
            }
            Optional<String> name = RelocationTypes.name(ElfConstants.EM_AARCH64, type);
            if (name.isPresent()) {
                all.add(refusal(type, name.get()));
            }
        }
        ALL = Collections.unmodifiableList(all);
        for (Refusal r : all) {
            BY_TYPE.put(r.kind().type(), r);
        }
    }

    private static Refusal refusal(int type, String name) {
        if (type >= 1 && type < 256) {
            return new Refusal(kind(type, name, name.contains("TLS") ? Category.TLS : type >= 180
                    ? Category.DYNAMIC : Category.INSTRUCTION, "ILP32 only"),
                    "ILP32 (P32) relocations are not supported: kobj links LP64 objects only");
        }
        if (type >= 1024) {
            return new Refusal(kind(type, name, Category.DYNAMIC, "dynamic"),
                    "it is a dynamic relocation, for a dynamic linker, not for a module loader");
        }
        if (name.contains("TLS")) {
            return new Refusal(kind(type, name, Category.TLS, "thread-local storage"),
                    "thread-local storage relocations cannot be applied to a module");
        }
        return new Refusal(kind(type, name, Category.INSTRUCTION, "not supported"),
                "kobj does not implement this relocation");
    }

    private static RelocationKind kind(int type, String name, Category category, String formula) {
        return new RelocationKind(type, name, "refused: " + formula, category, 0, 0, 0, 1);
    }

    /** {@return the refusal for {@code type}, if it is a known but refused type} */
    static Optional<Refusal> of(int type) {
        return Optional.ofNullable(BY_TYPE.get(type));
    }

    /** {@return every refused type, by number} */
    static List<Refusal> all() {
        return ALL;
    }
}
