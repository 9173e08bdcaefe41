package dev.kobj.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kobj.testkit.Testdata;
import dev.kobj.testkit.Tools;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code kobjdump sign} and {@code kobjdump verify}. The oracle is openssl: the key and
 * certificate kobjdump generates are read by {@code openssl x509}/{@code pkey}, and the
 * signature it appends is cut out with a plain byte slice and verified by {@code openssl cms}.
 * The reverse: testdata's module-signed.ko (signed by openssl) passes {@code kobjdump verify}.
 */
class SignCommandTest {
    @TempDir
    Path dir;

    record Run(int rc, String out, String err) {}

    static Run kobjdump(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = KobjDump.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(rc, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static Run openssl(String... args) throws Exception {
        Tools.require("openssl");
        Tools.Run r = Tools.exec(concat("openssl", args), null, false, Duration.ofSeconds(60));
        return new Run(r.exit(), r.out(), r.err());
    }

    static List<String> concat(String first, String[] rest) {
        String[] all = new String[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return List.of(all);
    }

    static Path special(String name) {
        return Testdata.root().resolve("special").resolve(name);
    }

    @ParameterizedTest
    @CsvSource({"rsa2048,sha256", "p256,sha256", "p384,sha384", "rsa4096,sha512"})
    void generateSignAndVerifyWithOpenssl(String type, String hash) throws Exception {
        Path key = dir.resolve("key.pem");
        Path cert = dir.resolve("cert.pem");
        Run g = kobjdump("sign", "--generate-key", "--key-type", type, "--subject", "kobj cli " + type,
                "--key", key.toString(), "--cert", cert.toString());
        assertThat(g.rc()).as(g.err()).isZero();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");

        // openssl reads what kobjdump wrote.
        Run x = openssl("x509", "-in", cert.toString(), "-noout", "-subject", "-ext",
                "basicConstraints,keyUsage,extendedKeyUsage");
        assertThat(x.rc()).as(x.err()).isZero();
        assertThat(x.out()).contains("CN = kobj cli " + type, "CA:FALSE", "Digital Signature", "Code Signing");
        Run k = openssl("pkey", "-in", key.toString(), "-noout", "-text");
        assertThat(k.rc()).as(k.err()).isZero();

        Path ko = Files.copy(special("module.ko"), dir.resolve("module.ko"));
        Path signedKo = dir.resolve("signed.ko");
        Run s = kobjdump("sign", "--key", key.toString(), "--cert", cert.toString(), "--hash", hash,
                "-o", signedKo.toString(), ko.toString());
        assertThat(s.rc()).as(s.err()).isZero();
        assertThat(s.out()).isEmpty();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(signedKo))).isEqualTo("rw-r--r--");
        assertThat(Files.readAllBytes(ko)).isEqualTo(Files.readAllBytes(special("module.ko"))); // input untouched

        byte[] signed = Files.readAllBytes(signedKo);
        int ms = signed.length - 28 - 12;
        int sigLen = ((signed[ms + 8] & 0xff) << 24) | ((signed[ms + 9] & 0xff) << 16)
                | ((signed[ms + 10] & 0xff) << 8) | (signed[ms + 11] & 0xff);
        Path p7s = Files.write(dir.resolve("sig.p7s"), Arrays.copyOfRange(signed, ms - sigLen, ms));
        Path content = Files.write(dir.resolve("content.ko"), Arrays.copyOfRange(signed, 0, ms - sigLen));
        assertThat(Files.readAllBytes(content)).isEqualTo(Files.readAllBytes(ko));
        Run v = openssl("cms", "-verify", "-binary", "-inform", "DER", "-in", p7s.toString(), "-content",
                content.toString(), "-certfile", cert.toString(), "-CAfile", cert.toString(), "-purpose", "any",
                "-out", "/dev/null");
        assertThat(v.rc()).as(v.err()).isZero();
        assertThat(v.err()).contains("Verification successful");

        Run kv = kobjdump("verify", "--cert", cert.toString(), signedKo.toString());
        assertThat(kv.rc()).as(kv.err()).isZero();
        assertThat(kv.out()).isEqualTo(signedKo + ": signature verified (" + hash + ", signer CN=kobj cli " + type
                + ",O=kobj)\n");
    }

    @Test
    void signsInPlaceWithoutOutput() throws Exception {
        Path ko = Files.copy(special("module.ko"), dir.resolve("m.ko"));
        Files.setPosixFilePermissions(ko, PosixFilePermissions.fromString("rw-r-----"));
        Run s = kobjdump("sign", "--key", special("signing-key.pem").toString(), "--cert",
                special("signing-cert.pem").toString(), ko.toString());
        assertThat(s.rc()).as(s.err()).isZero();
        // RSA PKCS#1 v1.5 is deterministic: the same bytes openssl produced in testdata/build.sh.
        assertThat(Files.readAllBytes(ko)).isEqualTo(Files.readAllBytes(special("module-signed.ko")));
        try (var l = Files.list(dir)) {
            assertThat(l.map(p -> p.getFileName().toString()).toList()).containsExactly("m.ko"); // no temp file left
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(ko))).isEqualTo("rw-r-----");
    }

    @Test
    void verifyTheOpensslSignedFixtureAndItsFailures() throws Exception {
        String cert = special("signing-cert.pem").toString();
        Run ok = kobjdump("verify", "--cert", cert, special("module-signed.ko").toString());
        assertThat(ok.rc()).isZero();
        assertThat(ok.out()).contains("module-signed.ko: signature verified (sha256, signer CN=kobj test module signing key");

        byte[] b = Files.readAllBytes(special("module-signed.ko"));
        b[100] ^= 1;
        Path bad = Files.write(dir.resolve("bad.ko"), b);
        Run r = kobjdump("verify", "--cert", cert, special("module.ko").toString(), bad.toString(),
                special("module-signed.ko").toString());
        assertThat(r.rc()).isEqualTo(1);
        String[] lines = r.out().split("\n");
        assertThat(lines).hasSize(3);
        assertThat(lines[0]).startsWith(special("module.ko") + ": unsigned module").endsWith("(ENODATA)");
        assertThat(lines[1]).startsWith(bad + ": ").contains("does not match").endsWith("(EKEYREJECTED)");
        assertThat(lines[2]).contains("signature verified");

        Path other = dir.resolve("other.pem");
        assertThat(kobjdump("sign", "--generate-key", "--key-type", "p256", "--key", dir.resolve("k.pem").toString(),
                "--cert", other.toString()).rc()).isZero();
        Run unknown = kobjdump("verify", "--cert", other.toString(), special("module-signed.ko").toString());
        assertThat(unknown.rc()).isEqualTo(1);
        assertThat(unknown.out()).contains("unknown key").endsWith("(ENOKEY)\n");
    }

    /**
     * A kernel that enforces signatures (module.sig_enforce=1, CONFIG_MODULE_SIG_FORCE=y) turns
     * ENODATA, ENOKEY and ENOPKG into EKEYREJECTED (kernel/module/signing.c module_sig_check; the
     * real Debian kernels: KernelVerdictTest); a verified module still verifies.
     */
    @Test
    void verifyUnderSignatureEnforcement() throws Exception {
        String cert = special("signing-cert.pem").toString();
        Run enforced = kobjdump("verify", "--cert", cert, "--sig-enforce", special("module.ko").toString(),
                special("module-signed.ko").toString());
        assertThat(enforced.rc()).isEqualTo(1);
        String[] lines = enforced.out().split("\n");
        assertThat(lines[0]).startsWith(special("module.ko") + ": unsigned module").doesNotContain("ENODATA")
                .endsWith("signatures are enforced: loading is rejected (EKEYREJECTED)");
        assertThat(lines[1]).contains("signature verified");
        Path other = dir.resolve("other2.pem");
        assertThat(kobjdump("sign", "--generate-key", "--key-type", "p256", "--key", dir.resolve("k2.pem").toString(),
                "--cert", other.toString()).rc()).isZero();
        Path config = Files.writeString(dir.resolve("config"), "CONFIG_MODULE_SIG=y\nCONFIG_MODULE_SIG_FORCE=y\n");
        Run unknown = kobjdump("verify", "--cert", other.toString(), "--kernel-config", config.toString(), "--json",
                special("module-signed.ko").toString());
        assertThat(unknown.out()).contains("\"outcome\": \"UNKNOWN_KEY\"").contains("\"errno\": \"EKEYREJECTED\"")
                .contains("\"enforced\": true");
        Path notForced = Files.writeString(dir.resolve("config2"), "CONFIG_MODULE_SIG=y\n# CONFIG_MODULE_SIG_FORCE is not set\n");
        assertThat(kobjdump("verify", "--cert", cert, "--kernel-config", notForced.toString(), special("module.ko").toString())
                .out()).endsWith("(ENODATA)\n");
    }

    @Test
    void refusals() throws Exception {
        String key = special("signing-key.pem").toString();
        String cert = special("signing-cert.pem").toString();
        Run twice = kobjdump("sign", "--key", key, "--cert", cert, "-o", dir.resolve("x").toString(),
                special("module-signed.ko").toString());
        assertThat(twice.rc()).isEqualTo(1);
        assertThat(twice.err()).startsWith("kobjdump: " + special("module-signed.ko") + ": ").contains("already");

        Run xz = kobjdump("sign", "--key", key, "--cert", cert, "-o", dir.resolve("x").toString(),
                special("module.ko.xz").toString());
        assertThat(xz.rc()).isEqualTo(1);
        assertThat(xz.err()).contains("xz-compressed; sign the uncompressed module");

        Run notElf = kobjdump("sign", "--key", key, "--cert", cert, "-o", dir.resolve("x").toString(), cert);
        assertThat(notElf.rc()).isEqualTo(1);
        assertThat(notElf.err()).startsWith("kobjdump: " + cert + ": ");

        Run keyIsCert = kobjdump("sign", "--key", cert, "--cert", cert, special("module.ko").toString());
        assertThat(keyIsCert.rc()).isEqualTo(1);
        assertThat(keyIsCert.err()).contains("no PRIVATE KEY");

        assertThat(kobjdump("sign", "--key", key, "--cert", cert, "--hash", "md5", special("module.ko").toString()).rc())
                .isEqualTo(2);
        assertThat(kobjdump("sign", "--key", key, "--cert", cert).rc()).isEqualTo(2);
        assertThat(kobjdump("sign", "--generate-key", "--key-type", "dsa", "--key", "k", "--cert", "c").rc()).isEqualTo(2);
        assertThat(Files.exists(dir.resolve("x"))).isFalse();
    }
}
