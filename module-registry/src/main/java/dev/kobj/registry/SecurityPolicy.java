package dev.kobj.registry;

import java.util.List;

/**
 * Consulted by the registry on every load (before anything is linked or allocated) and every
 * unload (before FINI), of every module: requested, autoloaded, dependencies, builtins.
 * Throwing refuses; the registry is left as it was. Implementations: securelevel (EPERM at
 * level &ge; 1 for both, as FreeBSD), signature verification (EKEYREJECTED), blacklist.
 * Must be thread-safe: loads of several threads consult one policy.
 */
public interface SecurityPolicy {

    /** A policy that allows everything. */
    SecurityPolicy PERMISSIVE = new SecurityPolicy() {
        @Override
        public String toString() {
            return "permissive";
        }
    };

    /**
     * Refuse the load of {@code candidate} by throwing.
     * @param candidate the module about to be loaded
     * @throws ModuleException to refuse the load (EPERM, EKEYREJECTED ...)
     */
    default void checkLoad(ModuleCandidate candidate) throws ModuleException {
    }

    /**
     * Refuse the unload (explicit, unload-all or autounload) of {@code module} by throwing.
     * @param module the module about to be unloaded
     * @throws ModuleException to refuse the unload
     */
    default void checkUnload(ModuleInfo module) throws ModuleException {
    }

    /**
     * {@return a policy that asks each of {@code policies} in order; the first refusal wins}
     * @param policies the policies, asked in order
     */
    static SecurityPolicy all(SecurityPolicy... policies) {
        List<SecurityPolicy> list = List.of(policies);
        return new SecurityPolicy() {
            @Override
            public void checkLoad(ModuleCandidate candidate) throws ModuleException {
                for (SecurityPolicy p : list) {
                    p.checkLoad(candidate);
                }
            }

            @Override
            public void checkUnload(ModuleInfo module) throws ModuleException {
                for (SecurityPolicy p : list) {
                    p.checkUnload(module);
                }
            }

            @Override
            public String toString() {
                return list.toString();
            }
        };
    }
}
