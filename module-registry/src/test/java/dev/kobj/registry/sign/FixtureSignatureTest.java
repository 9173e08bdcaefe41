package dev.kobj.registry.sign;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kobj.elf.ElfFile;
import dev.kobj.elf.ModuleSignature;
import dev.kobj.registry.sign.SignatureCheck.Outcome;
import dev.kobj.testkit.Testdata;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Oracle (b): testdata/special/module-signed.ko was signed by openssl in testdata/build.sh
 * ({@code openssl smime -sign -nocerts -noattr -binary -md sha256}, the trailer written by
 * printf) with signing-cert.pem's key; kobj must verify it against that certificate only, and
 * notice any change of the module or of the signature.
 */
class FixtureSignatureTest {
    static byte[] signed;
    static int siglen;
    static TrustedKeys fixtureCert;

    @BeforeAll
    static void load() throws Exception {
        signed = Testdata.read("special/module-signed.ko");
        siglen = Integer.parseInt(Files.readString(Testdata.special("module-signed.siglen")).strip());
        fixtureCert = TrustedKeys.load(List.of(Testdata.special("signing-cert.pem")));
    }

    @Test
    void verifiesAgainstTheCertificateThatSignedIt() throws Exception {
        SignatureCheck c = new SignatureVerifier(fixtureCert).verify("module-signed.ko", signed);
        assertThat(c.outcome()).as(c.message()).isEqualTo(Outcome.VERIFIED);
        assertThat(c.digest()).isEqualTo("sha256");
        assertThat(c.signer()).contains(fixtureCert.certificates().getFirst());
        assertThat(c.message()).contains("module-signed.ko", "verified", "kobj test module signing key");
    }

    @Test
    void verifiesThroughTheParsedFile() throws Exception {
        try (ElfFile f = ElfFile.open(Testdata.special("module-signed.ko"))) {
            ModuleSignature s = f.signature().orElseThrow();
            assertThat(s.signatureLength()).isEqualTo(siglen);
            assertThat(new SignatureVerifier(fixtureCert).verify(f).verified()).isTrue();
        }
    }

    @Test
    void aCertificateFileHoldingTheKeyToo() throws Exception {
        // certs/signing_key.pem holds key and certificate in one file; the keyring reader skips the key.
        Path both = Files.createTempFile("kobj-keyandcert", ".pem");
        try {
            Files.writeString(both, Files.readString(Testdata.special("signing-key.pem"))
                    + Files.readString(Testdata.special("signing-cert.pem")));
            assertThat(new SignatureVerifier(TrustedKeys.load(List.of(both))).verify("m", signed).verified()).isTrue();
            assertThat(Pem.readPrivateKey(both).getAlgorithm()).isEqualTo("RSA");
        } finally {
            Files.delete(both);
        }
    }

    @Test
    void derCertificateFile() throws Exception {
        Path der = Files.createTempFile("kobj-cert", ".x509");
        try {
            Files.write(der, fixtureCert.certificates().getFirst().getEncoded());
            assertThat(new SignatureVerifier(TrustedKeys.load(List.of(der))).verify("m", signed).verified()).isTrue();
        } finally {
            Files.delete(der);
        }
    }

    @Test
    void anotherCertificateIsAnUnknownKey() throws Exception {
        SigningKey other = ModuleSigner.generateKey(KeyType.RSA_2048, "other key", Duration.ofDays(1));
        SignatureCheck c = new SignatureVerifier(TrustedKeys.of(other.certificate())).verify("module-signed.ko", signed);
        assertThat(c.outcome()).isEqualTo(Outcome.UNKNOWN_KEY);
        assertThat(c.outcome().kernelErrno()).isEqualTo("ENOKEY");
        assertThat(c.message()).contains("module-signed.ko", "unknown key", "kobj test module signing key");
        assertThat(new SignatureVerifier(TrustedKeys.none()).verify("m", signed).outcome()).isEqualTo(Outcome.UNKNOWN_KEY);
    }

    @Test
    void oneChangedByteOfTheModuleIsRejected() {
        int moduleLength = signed.length - siglen - 12 - 28;
        for (int off : new int[] {0, 64, moduleLength / 2, moduleLength - 1}) {
            byte[] t = signed.clone();
            t[off] ^= 0x01;
            SignatureCheck c = new SignatureVerifier(fixtureCert).verify("module-signed.ko", t);
            assertThat(c.outcome()).as("byte %d: %s", off, c.message()).isEqualTo(Outcome.REJECTED);
            assertThat(c.message()).contains("module-signed.ko", "does not match");
        }
    }

    @Test
    void changedSignatureBytesAreRefused() {
        int sigStart = signed.length - 28 - 12 - siglen;
        // The RSA signature value is the DER's last OCTET STRING: its last bytes.
        for (int back : new int[] {1, 17, 100}) {
            byte[] t = signed.clone();
            t[sigStart + siglen - back] ^= 0x40;
            SignatureCheck c = new SignatureVerifier(fixtureCert).verify("module-signed.ko", t);
            assertThat(c.outcome()).as(c.message()).isEqualTo(Outcome.REJECTED);
        }
        // Anywhere in the blob, the bytes no signature covers included (digestAlgorithms,
        // algorithm parameters): never verified, never an exception.
        List<String> accepted = new ArrayList<>();
        for (int i = 0; i < siglen; i++) {
            for (int x : new int[] {0x01, 0x5a, 0x80}) {
                byte[] t = signed.clone();
                t[sigStart + i] ^= (byte) x;
                if (new SignatureVerifier(fixtureCert).verify("m", t).verified()) {
                    accepted.add("byte " + i + " ^ 0x" + Integer.toHexString(x));
                }
            }
        }
        assertThat(accepted).isEmpty();
    }

    @Test
    void theUnsignedModuleIsUnsigned() throws Exception {
        SignatureCheck c = new SignatureVerifier(fixtureCert).verify("module.ko", Testdata.read("special/module.ko"));
        assertThat(c.outcome()).isEqualTo(Outcome.UNSIGNED);
        assertThat(c.outcome().kernelErrno()).isEqualTo("ENODATA");
        assertThat(c.outcome().toleratedUnlessEnforced()).isTrue();
    }

    @Test
    void trailerRulesOfModCheckSig() {
        int ms = signed.length - 28 - 12;
        byte[] idType = signed.clone();
        idType[ms + 2] = 1; // PKEY_ID_X509
        assertThat(new SignatureVerifier(fixtureCert).verify("m", idType).outcome()).isEqualTo(Outcome.UNSUPPORTED_CRYPTO);
        for (int i : new int[] {0, 1, 3, 4, 5, 6, 7}) {
            byte[] t = signed.clone();
            t[ms + i] = 1;
            SignatureCheck c = new SignatureVerifier(fixtureCert).verify("m", t);
            assertThat(c.outcome()).as(c.message()).isEqualTo(Outcome.MALFORMED);
            assertThat(c.outcome().toleratedUnlessEnforced()).isFalse();
        }
        byte[] huge = signed.clone();
        huge[ms + 8] = 0x7f;
        assertThat(new SignatureVerifier(fixtureCert).verify("m", huge).outcome()).isEqualTo(Outcome.MALFORMED);
        byte[] shorter = signed.clone();
        shorter[ms + 11] -= 1; // sig_len one short: the DER no longer starts where it says
        assertThat(new SignatureVerifier(fixtureCert).verify("m", shorter).verified()).isFalse();
    }

    @Test
    void aMarkerAloneIsMalformed() {
        byte[] m = ModuleSignature.MARKER.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] t = new byte[12 + m.length];
        System.arraycopy(m, 0, t, 12, m.length);
        assertThat(new SignatureVerifier(fixtureCert).verify("m", t).outcome()).isEqualTo(Outcome.MALFORMED);
    }
}
