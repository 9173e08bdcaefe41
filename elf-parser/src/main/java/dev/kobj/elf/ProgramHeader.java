package dev.kobj.elf;

/**
 * One program header, widened to 64 bits (relocatable objects usually have none; linked
 * images that kobj writes have one PT_LOAD per region).
 *
 * @param index  its index in the table
 * @param type   p_type
 * @param flags  p_flags
 * @param offset p_offset
 * @param vaddr  p_vaddr
 * @param paddr  p_paddr
 * @param filesz p_filesz
 * @param memsz  p_memsz
 * @param align  p_align
 */
public record ProgramHeader(int index, int type, int flags, long offset, long vaddr, long paddr,
        long filesz, long memsz, long align) {
}
