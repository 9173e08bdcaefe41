package dev.kobj.registry.sign;

import java.util.Locale;
import java.util.Optional;

/**
 * The digests kobj signs with: the ones {@code CONFIG_MODULE_SIG_HASH} offers in Linux 6.1
 * besides SHA-1 and SHA-224 (which the kernel still verifies, and so does kobj).
 */
public enum SignatureHash {
    /** SHA-256 (OID 2.16.840.1.101.3.4.2.1), CONFIG_MODULE_SIG_SHA256. */
    SHA256("sha256", "SHA-256", "2.16.840.1.101.3.4.2.1"),
    /** SHA-384 (OID 2.16.840.1.101.3.4.2.2), CONFIG_MODULE_SIG_SHA384. */
    SHA384("sha384", "SHA-384", "2.16.840.1.101.3.4.2.2"),
    /** SHA-512 (OID 2.16.840.1.101.3.4.2.3), CONFIG_MODULE_SIG_SHA512. */
    SHA512("sha512", "SHA-512", "2.16.840.1.101.3.4.2.3");

    private final String kernelName;
    private final String jcaName;
    private final String oid;

    SignatureHash(String kernelName, String jcaName, String oid) {
        this.kernelName = kernelName;
        this.jcaName = jcaName;
        this.oid = oid;
    }

    /** {@return the name the kernel and sign-file use: sha256, sha384, sha512} */
    public String kernelName() {
        return kernelName;
    }

    /** {@return the JCA digest name, e.g. SHA-256} */
    public String jcaName() {
        return jcaName;
    }

    /** {@return the digest algorithm's OID} */
    public String oid() {
        return oid;
    }

    /**
     * {@return the hash with this kernel name (case-insensitive, "sha-256" accepted too), if any}
     * @param name a digest name as the kernel spells it ({@code sha256})
     */
    public static Optional<SignatureHash> byName(String name) {
        String n = name.toLowerCase(Locale.ROOT).replace("-", "");
        for (SignatureHash h : values()) {
            if (h.kernelName.equals(n)) {
                return Optional.of(h);
            }
        }
        return Optional.empty();
    }

    /** {@return the JCA signature algorithm name for a key of this JCA algorithm ("RSA" or "EC")} */
    String signatureAlgorithm(String keyAlgorithm) {
        String digest = jcaName.replace("-", "");
        return digest + ("EC".equals(keyAlgorithm) || "ECDSA".equals(keyAlgorithm) ? "withECDSA" : "withRSA");
    }
}
