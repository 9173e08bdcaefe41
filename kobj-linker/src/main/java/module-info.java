/** The link: layout, stubs, symbol resolution, relocation, load checks and host memory. */
module dev.kobj.link {
    requires transitive dev.kobj.elf;
    requires transitive dev.kobj.reloc;
    requires transitive dev.kobj.symtab;
    exports dev.kobj.link;
}
