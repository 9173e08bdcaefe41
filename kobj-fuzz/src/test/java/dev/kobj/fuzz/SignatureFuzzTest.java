package dev.kobj.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.kobj.registry.sign.Pem;
import dev.kobj.registry.sign.SignatureCheck;
import dev.kobj.registry.sign.SignatureException;
import dev.kobj.registry.sign.SignatureVerifier;
import dev.kobj.registry.sign.TrustedKeys;
import dev.kobj.testkit.Testdata;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The module-signature parser and verifier ({@code struct module_signature}, the marker, the
 * PKCS#7 SignedData) on a fuzzed module, trusting testdata's signing certificate: a verdict
 * always comes back (never an exception) and names the input; and the certificate reader
 * ({@link Pem}) on fuzzed PEM/DER. Seeds: testdata's signed module and its certificate.
 */
class SignatureFuzzTest {
    static final String NAME = "fuzz-input.ko";
    private static SignatureVerifier verifier;
    private static Path certFile;

    private static synchronized SignatureVerifier verifier() throws SignatureException {
        if (verifier == null) {
            verifier = new SignatureVerifier(
                    TrustedKeys.of(Pem.readCertificate(Testdata.root().resolve("special/signing-cert.pem"))));
            // Bouncy Castle's first verification loads and initialises its provider (some 25 MB
            // of allocation, once per JVM): done here, outside the measured call.
            try {
                verifier.verify("warm-up", Files.readAllBytes(Testdata.root().resolve("special/module-signed.ko")));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return verifier;
    }

    @FuzzTest(maxDuration = "10m")
    void verify(byte[] data) {
        Bounded.check(NAME, 64L * data.length, () -> {
            SignatureCheck c = verifier().verify(NAME, data);
            if (!c.file().equals(NAME) || c.outcome() == null || c.message() == null) {
                throw new AssertionError("a verdict that does not name the input: " + c);
            }
            if (c.verified() && c.signer().isEmpty()) {
                throw new AssertionError("verified without a signer: " + c.message());
            }
        });
    }

    @FuzzTest(maxDuration = "10m")
    void certificates(byte[] data) {
        Path p;
        synchronized (SignatureFuzzTest.class) {
            try {
                if (certFile == null) {
                    certFile = Files.createTempFile("kobj-fuzz-cert", ".pem");
                    certFile.toFile().deleteOnExit();
                }
                Files.write(certFile, data);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            p = certFile;
        }
        Bounded.check(p.getFileName().toString(), 64L * data.length, () -> Pem.readCertificates(p).size());
    }
}
