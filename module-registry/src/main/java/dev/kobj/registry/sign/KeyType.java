package dev.kobj.registry.sign;

import java.util.Locale;
import java.util.Optional;

/**
 * The key types the kernel verifies module signatures with ({@code CONFIG_MODULE_SIG_KEY_TYPE_RSA}
 * and {@code _ECDSA}; the ECDSA curves are the NIST P-256 and P-384 that
 * {@code crypto/ecdsa.c} implements in Linux 6.1).
 */
public enum KeyType {
    /** RSA, 2048-bit modulus (PKCS#1 v1.5 signatures, as sign-file makes by default). */
    RSA_2048("rsa2048", "RSA", 2048, null),
    /** RSA, 4096-bit modulus. */
    RSA_4096("rsa4096", "RSA", 4096, null),
    /** ECDSA on NIST P-256 (secp256r1). */
    EC_P256("p256", "EC", 256, "secp256r1"),
    /** ECDSA on NIST P-384 (secp384r1). */
    EC_P384("p384", "EC", 384, "secp384r1");

    private final String cliName;
    private final String algorithm;
    private final int bits;
    private final String curve;

    KeyType(String cliName, String algorithm, int bits, String curve) {
        this.cliName = cliName;
        this.algorithm = algorithm;
        this.bits = bits;
        this.curve = curve;
    }

    /** {@return the short name used on the command line: rsa2048, rsa4096, p256, p384} */
    public String cliName() {
        return cliName;
    }

    /** {@return the JCA key algorithm: RSA or EC} */
    public String algorithm() {
        return algorithm;
    }

    /** {@return the modulus or field size in bits} */
    public int bits() {
        return bits;
    }

    /** {@return the JCA curve name (secp256r1, secp384r1), or null for RSA} */
    String curve() {
        return curve;
    }

    /**
     * {@return the key type with this short name (case-insensitive), if any}
     * @param name a key type's name, as {@code kobjdump sign --key-type} takes it
     */
    public static Optional<KeyType> byName(String name) {
        String n = name.toLowerCase(Locale.ROOT).replace("-", "").replace("_", "");
        for (KeyType k : values()) {
            if (k.cliName.equals(n) || k.name().replace("_", "").toLowerCase(Locale.ROOT).equals(n)) {
                return Optional.of(k);
            }
        }
        return Optional.empty();
    }
}
