/**
 * An emulated machine for kernel modules: Unicorn 2 bound through java.lang.foreign, a
 * {@code HostMemory} that is guest memory, kernel functions answered by Java handlers.
 */
module dev.kobj.emu {
    requires transitive dev.kobj.link;
    requires transitive dev.kobj.registry;
    exports dev.kobj.emu;
}
