package dev.kobj.elf;

/**
 * One entry of a Linux module's {@code __versions} section: the CRC the module was built
 * against for an imported symbol. The kernel's layout is {@code struct modversion_info
 * { unsigned long crc; char name[64 - sizeof(unsigned long)]; }}: 64 bytes per entry,
 * the CRC 8 bytes wide in ELF64 and 4 in ELF32.
 *
 * @param crc  the CRC (only its low 32 bits are meaningful)
 * @param name the symbol name
 */
public record ModVersion(long crc, String name) {
}
