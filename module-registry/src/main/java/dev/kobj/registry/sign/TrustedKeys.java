package dev.kobj.registry.sign;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The certificates whose keys may sign modules: what the kernel keeps in its builtin and
 * secondary trusted keyrings. They are trusted as given (dates and issuers are not checked, as
 * the kernel does not check them when verifying a module).
 */
public final class TrustedKeys {
    private static final List<String> CERT_SUFFIXES = List.of(".pem", ".crt", ".cer", ".der", ".x509");

    private final List<X509Certificate> certificates;

    private TrustedKeys(List<X509Certificate> certificates) {
        this.certificates = List.copyOf(certificates);
    }

    /**
     * {@return a keyring of these certificates}
     * @param certificates the trusted certificates
     */
    public static TrustedKeys of(Collection<X509Certificate> certificates) {
        return new TrustedKeys(new ArrayList<>(certificates));
    }

    /**
     * {@return a keyring of these certificates}
     * @param certificates the trusted certificates
     */
    public static TrustedKeys of(X509Certificate... certificates) {
        return new TrustedKeys(List.of(certificates));
    }

    /** {@return an empty keyring: every signed module is then signed by an unknown key} */
    public static TrustedKeys none() {
        return new TrustedKeys(List.of());
    }

    /**
     * Reads a keyring from PEM or DER files; a directory contributes its files named
     * {@code *.pem}, {@code *.crt}, {@code *.cer}, {@code *.der} or {@code *.x509}, in name order
     * (PEM files there without a certificate, such as a private key, are skipped).
     *
     * @param paths PEM or DER certificate files
     * @return the keys of every certificate in the files
     * @throws SignatureException when a file cannot be read or parsed
     */
    public static TrustedKeys load(Collection<Path> paths) throws SignatureException {
        List<X509Certificate> certs = new ArrayList<>();
        for (Path p : paths) {
            if (Files.isDirectory(p)) {
                List<Path> files;
                try (Stream<Path> s = Files.list(p)) {
                    files = s.filter(Files::isRegularFile).filter(TrustedKeys::isCertName).sorted().toList();
                } catch (IOException e) {
                    throw new SignatureException(p + ": cannot list the keyring directory: " + e.getMessage(), e);
                }
                for (Path f : files) {
                    certs.addAll(Pem.readCertificates(f, true)); // a key.pem beside the certificates is skipped
                }
            } else {
                certs.addAll(Pem.readCertificates(p));
            }
        }
        return new TrustedKeys(certs);
    }

    /** {@return the certificates, in the order they were given} */
    public List<X509Certificate> certificates() {
        return certificates;
    }

    /** {@return whether the keyring is empty} */
    public boolean isEmpty() {
        return certificates.isEmpty();
    }

    private static boolean isCertName(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return CERT_SUFFIXES.stream().anyMatch(n::endsWith);
    }
}
