package dev.kobj.elf;

/**
 * The {@code .gnu.linkonce.this_module} section of a Linux module, which holds the
 * module's {@code struct module}. Its {@code name} member follows {@code int state} and a
 * {@code struct list_head}: offset 24 in 64-bit objects, 12 in 32-bit ones.
 *
 * @param section the section
 * @param name    the module name stored in the struct (empty when the bytes are zero or
 *                not terminated)
 */
public record ThisModule(SectionHeader section, String name) {
}
