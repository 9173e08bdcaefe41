package dev.kobj.registry.sign;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Objects;

/**
 * A private key and the X.509 certificate of its public half: what {@code sign-file} takes as
 * its key and x509 arguments.
 *
 * @param privateKey  the key that signs
 * @param certificate its certificate, whose issuer and serial number name the signer
 */
public record SigningKey(PrivateKey privateKey, X509Certificate certificate) {
    /** Checks that both are there. */
    public SigningKey {
        Objects.requireNonNull(privateKey, "privateKey");
        Objects.requireNonNull(certificate, "certificate");
    }
}
