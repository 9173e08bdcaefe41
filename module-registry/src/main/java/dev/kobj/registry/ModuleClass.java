package dev.kobj.registry;

/**
 * What a module is for (NetBSD {@code modclass_t}, MirBSD LKM types). A load that asks for a
 * class other than {@link #ANY} is refused when the module declares another class.
 */
public enum ModuleClass {
    /** No particular class: as a request, any module matches. */
    ANY,
    /** A device driver: device nodes (LKM_DEV, MODULE_CLASS_DRIVER). */
    DRIVER,
    /** An exec interpreter (LKM_EXEC, MODULE_CLASS_EXEC). */
    EXEC,
    /** Anything else (LKM_MISC, MODULE_CLASS_MISC); the class of Linux modules. */
    MISC,
    /** A security model (MODULE_CLASS_SECMODEL). */
    SECMODEL,
    /** A file-system type (LKM_VFS, MODULE_CLASS_VFS). */
    VFS,
    /** A system call (LKM_SYSCALL); replaced calls return to their rightful place on unload. */
    SYSCALL;

    /**
     * {@return true when a module of this class satisfies a request for {@code requested}}
     * @param requested the class asked for
     */
    public boolean satisfies(ModuleClass requested) {
        return requested == ANY || requested == this;
    }

    /**
     * {@return the class named {@code s} (case-insensitive; "" is MISC)}
     * @param s a class name, as {@code toString} prints it
     */
    public static ModuleClass parse(String s) {
        String t = s.strip();
        return t.isEmpty() ? MISC : valueOf(t.toUpperCase(java.util.Locale.ROOT));
    }
}
