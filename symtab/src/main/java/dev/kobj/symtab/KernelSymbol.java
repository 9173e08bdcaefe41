package dev.kobj.symtab;

/**
 * One symbol the kernel (or a loaded module) provides, as Module.symvers and System.map
 * describe it.
 *
 * @param name       the symbol name
 * @param address    its address (synthesized when the table comes from Module.symvers alone;
 *                   0 when the source gives none, see {@link KernelSymbolTable#hasAddress})
 * @param crc        its modversions CRC (an unsigned 32-bit value), or -1 when unknown
 * @param owner      the module that exports it ("vmlinux" for the kernel itself); Module.symvers
 *                   names modules by their path in the build tree without ".ko"
 *                   ("drivers/net/tun"), kallsyms by their name ("tun")
 * @param exportType EXPORT_SYMBOL or EXPORT_SYMBOL_GPL; empty when the source does not say
 *                   (System.map, kallsyms)
 * @param namespace  its symbol namespace, empty for none
 */
public record KernelSymbol(String name, long address, long crc, String owner, String exportType,
        String namespace) {

    /** The owner of the kernel's own symbols. */
    public static final String VMLINUX = "vmlinux";

    /** {@return true for a GPL-only export} */
    public boolean gplOnly() {
        return exportType.endsWith("_GPL");
    }

    /** {@return true when the kernel itself (not a module) provides the symbol} */
    public boolean inVmlinux() {
        return owner.equals(VMLINUX);
    }

    /**
     * {@return the owner as a module name}: the last path element with '-' turned into '_',
     * as the kernel names modules ("drivers/net/wireguard/wireguard" → "wireguard",
     * "arch/x86/crypto/twofish-x86_64" → "twofish_x86_64"); "vmlinux" stays "vmlinux".
     */
    public String ownerModuleName() {
        return moduleName(owner);
    }

    /**
     * {@return the same symbol at {@code newAddress}}
     * @param newAddress the address
     */
    public KernelSymbol withAddress(long newAddress) {
        return new KernelSymbol(name, newAddress, crc, owner, exportType, namespace);
    }

    /**
     * {@return the same symbol owned by {@code newOwner}}
     * @param newOwner the owner, as Module.symvers names it (vmlinux or a module path)
     */
    public KernelSymbol withOwner(String newOwner) {
        return new KernelSymbol(name, address, crc, newOwner, exportType, namespace);
    }

    /**
     * {@return {@code owner}'s module name; see {@link #ownerModuleName()}}
     * @param owner an owner as Module.symvers names it, e.g. {@code drivers/net/tun} or {@code vmlinux}
     */
    public static String moduleName(String owner) {
        String base = owner.substring(owner.lastIndexOf('/') + 1);
        if (base.endsWith(".ko")) {
            base = base.substring(0, base.length() - 3);
        }
        return base.replace('-', '_');
    }
}
