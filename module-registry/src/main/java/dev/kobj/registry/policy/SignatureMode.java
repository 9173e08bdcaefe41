package dev.kobj.registry.policy;

/**
 * How module signatures are enforced, as Linux's {@code CONFIG_MODULE_SIG} and
 * {@code module.sig_enforce} set it.
 */
public enum SignatureMode {
    /** No checking ({@code CONFIG_MODULE_SIG=n}). */
    OFF,
    /**
     * Checked; an unsigned module, one signed by an unknown key or with crypto the kernel lacks
     * (ENODATA, ENOKEY, ENOPKG) is reported and loads, tainting the kernel; a malformed or
     * non-verifying signature is refused all the same, as Linux refuses it "even if signatures
     * aren't required" ({@code CONFIG_MODULE_SIG=y}, {@code sig_enforce} off).
     */
    WARN,
    /** Every module must carry a signature that a trusted key verifies ({@code module.sig_enforce=1}). */
    ENFORCE
}
