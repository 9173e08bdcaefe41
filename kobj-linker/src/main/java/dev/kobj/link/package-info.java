/**
 * The link: an {@link dev.kobj.elf.ElfFile} becomes a {@link dev.kobj.link.LoadedImage} in a
 * {@link dev.kobj.link.HostMemory}, as passes over one model (ARCHITECTURE.md, "The link"):
 * parse, arch pre-scan of stubs, layout (core/init x text/rodata/ro_after_init/data/bss),
 * allocate, resolve (locals, loaded modules' exports, the kernel table; weak undefined = 0;
 * every unknown symbol reported at once), relocate through reloc-arch, finalize (W^X) or
 * abandon and free everything.
 */
package dev.kobj.link;
