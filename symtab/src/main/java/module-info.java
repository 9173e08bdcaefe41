/** Kernel symbol tables (System.map, kallsyms, Module.symvers) and module export tables. */
module dev.kobj.symtab {
    requires transitive dev.kobj.elf;
    exports dev.kobj.symtab;
}
