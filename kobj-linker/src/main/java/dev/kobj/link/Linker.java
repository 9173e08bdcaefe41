package dev.kobj.link;

import dev.kobj.elf.ElfFile;

/**
 * The link, as passes over one model (ARCHITECTURE.md, "The link"): load checks, arch
 * pre-scan of stubs, layout, allocation, resolution, relocation, finalization (W^X). On any
 * error every allocation made so far is closed before the {@link LinkException} leaves.
 */
public final class Linker {

    /** The page size regions are aligned to and protected by. */
    public static final long PAGE_SIZE = 4096;

    private Linker() {
    }

    /**
     * Links {@code object} as {@code request} says.
     *
     * @throws LinkException with every unresolved symbol or every failed load check at once,
     *                       or the first relocation that cannot be applied
     * @param object the module to link
     * @param request where and against what
     * @return the loaded image in the request's memory; close it to free the memory
     */
    public static LoadedImage link(ElfFile object, LinkRequest request) throws LinkException {
        return new Link(object, request).run();
    }
}
