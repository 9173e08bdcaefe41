package dev.kobj.link;

import java.util.Objects;

/**
 * Which of the kernel's load checks a link runs ({@link Checks}). The defaults are Linux
 * 6.1's with CONFIG_MODVERSIONS, CONFIG_MODULE_UNLOAD and without
 * CONFIG_MODULE_FORCE_LOAD / CONFIG_MODULE_ALLOW_MISSING_NAMESPACE_IMPORTS: every check on,
 * except vermagic, which is checked only when an expected string is given.
 *
 * <p>Unknown symbols and SHN_COMMON symbols are always refused: no image can be made of them.
 *
 * @param vermagic        the expected {@code .modinfo} vermagic; "" for no check. With
 *                        modversions the kernel compares only what follows the first space
 *                        (the release is covered by the CRCs), and so does kobj
 * @param modversions     compare {@code __versions} CRCs with the table's (32 bits)
 * @param requireVersions refuse a module with no {@code __versions} that imports symbols
 *                        which have CRCs (Linux without CONFIG_MODULE_FORCE_LOAD); off by
 *                        default because plain test objects have none
 * @param gplOnly         refuse GPL-only exports to a module whose licence is not GPL-compatible
 * @param namespaces      refuse a symbol from a namespace the module does not import
 * @param thisModule      when a missing {@code .gnu.linkonce.this_module} is refused
 * @param writableExecutable refuse SHF_WRITE|SHF_EXECINSTR sections (CONFIG_STRICT_MODULE_RWX)
 * @param target          the kernel that will load the module, learnt from its files, or null: when
 *                        given, {@code .gnu.linkonce.this_module} must have its sizeof(struct module)
 *                        and every relocation must be of a type its {@code apply_relocate_add} accepts
 */
public record LoadPolicy(String vermagic, boolean modversions, boolean requireVersions, boolean gplOnly,
        boolean namespaces, ThisModuleRule thisModule, boolean writableExecutable, KernelTarget target) {

    /** When an object must have {@code .gnu.linkonce.this_module}. */
    public enum ThisModuleRule {
        /** When its name ends in .ko, .ko.xz, .ko.zst or .ko.gz (plain .o test objects need not). */
        KO_FILES,
        /** Always: only kernel modules are linked. */
        ALWAYS,
        /** Never. */
        NEVER
    }

    /** Checks that vermagic and thisModule are there. */
    public LoadPolicy {
        Objects.requireNonNull(vermagic);
        Objects.requireNonNull(thisModule);
    }

    /** {@return the default policy (see the class comment)} */
    public static LoadPolicy defaults() {
        return builder().build();
    }

    /** {@return a policy that checks nothing it may skip (unknown and COMMON symbols are still refused)} */
    public static LoadPolicy permissive() {
        return new LoadPolicy("", false, false, false, false, ThisModuleRule.NEVER, false, null);
    }

    /** {@return a builder starting from the defaults} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return a builder starting from this policy} */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.vermagic = vermagic;
        b.modversions = modversions;
        b.requireVersions = requireVersions;
        b.gplOnly = gplOnly;
        b.namespaces = namespaces;
        b.thisModule = thisModule;
        b.writableExecutable = writableExecutable;
        b.target = target;
        return b;
    }

    /** Builds a {@link LoadPolicy}; starts from the defaults. */
    public static final class Builder {
        private String vermagic = "";
        private boolean modversions = true;
        private boolean requireVersions = false;
        private boolean gplOnly = true;
        private boolean namespaces = true;
        private ThisModuleRule thisModule = ThisModuleRule.KO_FILES;
        private boolean writableExecutable = true;
        private KernelTarget target;

        private Builder() {
        }

        /**
         * The vermagic a module must have ({@code .modinfo} vermagic, compared as Linux's {@code same_magic}); empty: not checked.
         * @param expected the kernel's vermagic
         * @return this builder
         */
        public Builder vermagic(String expected) {
            this.vermagic = Objects.requireNonNull(expected);
            return this;
        }

        /**
         * Whether {@code __versions} CRCs are compared with the kernel's (CONFIG_MODVERSIONS: {@code check_version}).
         * @param on true to compare
         * @return this builder
         */
        public Builder modversions(boolean on) {
            this.modversions = on;
            return this;
        }

        /**
         * Whether a module without {@code __versions} is refused (a kernel without CONFIG_MODULE_FORCE_LOAD refuses it).
         * @param on true to refuse
         * @return this builder
         */
        public Builder requireVersions(boolean on) {
            this.requireVersions = on;
            return this;
        }

        /**
         * Whether EXPORT_SYMBOL_GPL symbols are refused to modules whose licence is not GPL-compatible.
         * @param on true to refuse
         * @return this builder
         */
        public Builder gplOnly(boolean on) {
            this.gplOnly = on;
            return this;
        }

        /**
         * Whether a namespaced symbol is refused unless the module imports its namespace ({@code .modinfo} import_ns).
         * @param on true to refuse
         * @return this builder
         */
        public Builder namespaces(boolean on) {
            this.namespaces = on;
            return this;
        }

        /**
         * When {@code .gnu.linkonce.this_module} is required.
         * @param rule the rule
         * @return this builder
         */
        public Builder thisModule(ThisModuleRule rule) {
            this.thisModule = Objects.requireNonNull(rule);
            return this;
        }

        /**
         * Whether a section both writable and executable is allowed (Linux 6.1 refuses it: {@code module_enforce_rwx_sections}).
         * @param on true to allow
         * @return this builder
         */
        public Builder writableExecutable(boolean on) {
            this.writableExecutable = on;
            return this;
        }

        /**
         * The kernel that will load the module (null: none, the checks that need it are skipped).
         * @param kernel the kernel that would load the module
         * @return this builder
         */
        public Builder target(KernelTarget kernel) {
            this.target = kernel;
            return this;
        }

        /** {@return the policy} */
        public LoadPolicy build() {
            return new LoadPolicy(vermagic, modversions, requireVersions, gplOnly, namespaces, thisModule,
                    writableExecutable, target);
        }
    }
}
