package dev.kobj.elf;

import java.lang.foreign.MemorySegment;

/**
 * One entry of an SHT_NOTE section.
 *
 * @param owner      the name field without its terminating NUL (e.g. "GNU", "Linux")
 * @param type       n_type
 * @param descriptor a view of the descriptor bytes (no copy)
 * @param fileOffset the file offset of the entry's header
 */
public record Note(String owner, long type, MemorySegment descriptor, long fileOffset) {
}
