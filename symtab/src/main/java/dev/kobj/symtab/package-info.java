/**
 * Kernel symbol tables and the export tables of loaded modules.
 *
 * <ul>
 * <li>{@link dev.kobj.symtab.KernelSymbolTable}: the kernel's symbols from System.map,
 *     /proc/kallsyms or Module.symvers, several combined by name
 *     ({@code merge(systemMap, symvers)}: addresses from the map, CRC/owner/GPL/namespace
 *     from Module.symvers), or synthesized from Module.symvers alone
 *     ({@code synthesize(symvers, dev.kobj.elf.Arch.X86_64)}: vmlinux's exports sorted by name,
 *     16 bytes apart from the architecture's kernel text base).
 * <li>{@link dev.kobj.symtab.ModuleExports}: the exports of loaded modules, added and
 *     removed as modules come and go; a duplicate export names both owners.
 * <li>{@link dev.kobj.symtab.KsymtabReader}: a module's {@code __ksymtab}/{@code __ksymtab_gpl}
 *     (PREL32 or absolute {@code struct kernel_symbol}) and {@code __kcrctab*}, read from its
 *     relocated image through an {@link dev.kobj.symtab.ImageReader}.
 * <li>{@link dev.kobj.symtab.ChainedLookup}: what the linker asks, in order: loaded modules,
 *     then the kernel.
 * </ul>
 *
 * <p>Every table answers name → symbol in O(1) and address → nearest symbol at or below in
 * O(log n), addresses compared unsigned. Trust model: the files are untrusted; a malformed
 * line or entry is a {@link dev.kobj.symtab.SymtabFormatException} naming the file, the line
 * (or section and entry) and the bad text.
 */
package dev.kobj.symtab;
