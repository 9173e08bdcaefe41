package dev.kobj.registry.sign;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kobj.elf.ElfFile;
import dev.kobj.testkit.Testdata;
import dev.kobj.testkit.Tools;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Oracle (a): a module signed by kobj verifies with openssl. The PKCS#7 is cut out of kobj's
 * output twice, by kobj's parser and by a plain byte slice from the trailer's be32 sig_len, and
 * the two must agree; openssl then verifies it over the module's bytes against the certificate,
 * which it takes as its trust anchor. Control: openssl refuses the same signature over a
 * module with one byte changed.
 */
class OpensslOracleTest {
    Path dir;

    @BeforeEach
    void dir() throws Exception {
        Tools.require("openssl");
        dir = Files.createTempDirectory("kobj-openssl");
    }

    @AfterEach
    void clean() throws Exception {
        if (dir != null) {
            try (var s = Files.list(dir)) {
                for (Path p : s.toList()) {
                    Files.delete(p);
                }
            }
            Files.delete(dir);
        }
    }

    @ParameterizedTest
    @CsvSource({"RSA_2048,SHA256", "RSA_4096,SHA512", "EC_P256,SHA256", "EC_P384,SHA384"})
    void kobjsSignatureVerifiesWithOpenssl(KeyType type, SignatureHash hash) throws Exception {
        byte[] module = Testdata.read("special/module.ko");
        SigningKey key = ModuleSigner.generateKey(type, "kobj oracle " + type, Duration.ofDays(1));
        byte[] signed = ModuleSigner.sign(module, key.privateKey(), key.certificate(), hash);

        // The signature by a plain slice: marker (28), struct module_signature (12), be32 sig_len at its end.
        int ms = signed.length - 28 - 12;
        int sigLen = ((signed[ms + 8] & 0xff) << 24) | ((signed[ms + 9] & 0xff) << 16)
                | ((signed[ms + 10] & 0xff) << 8) | (signed[ms + 11] & 0xff);
        byte[] sliced = Arrays.copyOfRange(signed, ms - sigLen, ms);
        byte[] content = Arrays.copyOfRange(signed, 0, ms - sigLen);
        try (ElfFile f = ElfFile.of("signed", signed)) {
            assertThat(f.signature().orElseThrow().signature().toArray(ValueLayout.JAVA_BYTE)).isEqualTo(sliced);
        }
        assertThat(content).isEqualTo(module);

        Path sig = Files.write(dir.resolve("module.p7s"), sliced);
        Path ko = Files.write(dir.resolve("module.ko"), content);
        Path cert = Files.writeString(dir.resolve("cert.pem"), Pem.certificatePem(key.certificate()));

        Tools.Run ok = Tools.exec(List.of("openssl", "cms", "-verify", "-binary", "-inform", "DER",
                "-in", sig.toString(), "-content", ko.toString(), "-certfile", cert.toString(),
                "-CAfile", cert.toString(), "-purpose", "any", "-out", "/dev/null"), null, false, Duration.ofSeconds(60));
        assertThat(ok.exit()).as(ok.err()).isZero();
        assertThat(ok.err()).contains("Verification successful");

        // openssl's own reading of the structure: no signed attributes, no certificates.
        Tools.Run print = Tools.exec(List.of("openssl", "cms", "-cmsout", "-print", "-noout", "-inform", "DER",
                "-in", sig.toString()), null, false, Duration.ofSeconds(60));
        assertThat(print.exit()).as(print.err()).isZero();
        assertThat(print.out()).contains("signedAttrs:\n          <ABSENT>", "certificates:\n      <ABSENT>",
                "d.issuerAndSerialNumber:");

        // Control: one byte of the module changed.
        byte[] tampered = content.clone();
        tampered[tampered.length / 2] ^= 1;
        Path bad = Files.write(dir.resolve("tampered.ko"), tampered);
        Tools.Run no = Tools.exec(List.of("openssl", "cms", "-verify", "-binary", "-inform", "DER",
                "-in", sig.toString(), "-content", bad.toString(), "-certfile", cert.toString(),
                "-CAfile", cert.toString(), "-purpose", "any", "-out", "/dev/null"), null, false, Duration.ofSeconds(60));
        assertThat(no.exit()).isNotZero();
        assertThat(no.err()).contains("Verification failure");
    }
}
