package dev.kobj.registry;

/**
 * A section of the module being initialised, as {@link ModuleRegistry#findSection} gives it
 * (NetBSD {@code module_find_section}).
 *
 * @param name    the section name
 * @param address its load address
 * @param size    its size in bytes
 */
public record SectionInfo(String name, long address, long size) {
}
