package dev.kobj.symtab;

/**
 * One symbol the kernel (or a loaded module) provides, as Module.symvers and System.map
 * describe it.
 *
 * @param name       the symbol name
 * @param address    its address (synthesized when the table comes from Module.symvers alone)
 * @param crc        its modversions CRC, or -1 when unknown
 * @param owner      the module that exports it ("vmlinux" for the kernel itself)
 * @param exportType EXPORT_SYMBOL or EXPORT_SYMBOL_GPL
 * @param namespace  its symbol namespace, empty for none
 */
public record KernelSymbol(String name, long address, long crc, String owner, String exportType,
        String namespace) {

    /** {@return true for a GPL-only export} */
    public boolean gplOnly() {
        return exportType.endsWith("_GPL");
    }
}
