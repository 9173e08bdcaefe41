package dev.kobj.registry.sign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kobj.elf.ElfFile;
import dev.kobj.elf.ModuleSignature;
import dev.kobj.registry.sign.SignatureCheck.Outcome;
import dev.kobj.testkit.Testdata;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.asn1.cms.IssuerAndSerialNumber;
import org.bouncycastle.asn1.cms.SignedData;
import org.bouncycastle.asn1.cms.SignerInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** kobj's signatures have sign-file's shape and verify with kobj; the DER is read with BouncyCastle's ASN.1 classes. */
class ModuleSignerTest {

    @ParameterizedTest
    @CsvSource({"RSA_2048,SHA256,1.2.840.113549.1.1.1", "EC_P256,SHA256,1.2.840.10045.4.3.2",
        "EC_P384,SHA384,1.2.840.10045.4.3.3", "RSA_2048,SHA512,1.2.840.113549.1.1.1"})
    void signedModuleHasTheKernelsShapeAndVerifies(KeyType type, SignatureHash hash, String sigAlgOid) throws Exception {
        byte[] module = Testdata.read("special/module.ko");
        SigningKey key = ModuleSigner.generateKey(type, "kobj test " + type, Duration.ofDays(30));
        byte[] signed = ModuleSigner.sign(module, key.privateKey(), key.certificate(), hash);

        // The parser finds the trailer and the module before it, byte for byte.
        try (ElfFile f = ElfFile.of("signed", signed)) {
            ModuleSignature s = f.signature().orElseThrow();
            assertThat(s.idType()).isEqualTo(ModuleSignature.PKEY_ID_PKCS7);
            assertThat(s.algo()).isZero();
            assertThat(s.hash()).isZero();
            assertThat(s.signer().byteSize()).isZero();
            assertThat(s.keyId().byteSize()).isZero();
            assertThat(s.signedLength()).isEqualTo(module.length);
            assertThat(f.bytes().toArray(ValueLayout.JAVA_BYTE)).isEqualTo(module);
            assertThat(signed.length).isEqualTo(module.length + s.signatureLength() + 12 + 28);
            // pad[3] are zero
            assertThat(Arrays.copyOfRange(signed, signed.length - 40 + 5, signed.length - 40 + 8)).containsOnly(0);

            // PKCS#7: SignedData v1, detached id-data, no certificates, one SignerInfo v1 by issuer+serial, no attributes.
            byte[] der = s.signature().toArray(ValueLayout.JAVA_BYTE);
            SignedData sd = SignedData.getInstance(ContentInfo.getInstance(ASN1Primitive.fromByteArray(der)).getContent());
            assertThat(sd.getVersion().intValueExact()).isEqualTo(1);
            assertThat(sd.getEncapContentInfo().getContentType().getId()).isEqualTo("1.2.840.113549.1.7.1");
            assertThat(sd.getEncapContentInfo().getContent()).isNull();
            assertThat(sd.getCertificates()).isNull();
            assertThat(sd.getSignerInfos().size()).isEqualTo(1);
            SignerInfo si = SignerInfo.getInstance(sd.getSignerInfos().getObjectAt(0));
            assertThat(si.getVersion().intValueExact()).isEqualTo(1);
            assertThat(si.getAuthenticatedAttributes()).isNull();
            assertThat(si.getUnauthenticatedAttributes()).isNull();
            assertThat(si.getDigestAlgorithm().getAlgorithm().getId()).isEqualTo(hash.oid());
            assertThat(si.getDigestEncryptionAlgorithm().getAlgorithm().getId()).isEqualTo(sigAlgOid);
            IssuerAndSerialNumber ias = IssuerAndSerialNumber.getInstance(si.getSID().getId());
            assertThat(ias.getSerialNumber().getValue()).isEqualTo(key.certificate().getSerialNumber());
        }

        SignatureCheck c = new SignatureVerifier(TrustedKeys.of(key.certificate())).verify("signed", signed);
        assertThat(c.outcome()).as(c.message()).isEqualTo(Outcome.VERIFIED);
        assertThat(c.digest()).isEqualTo(hash.kernelName());
    }

    @Test
    void rsa4096() throws Exception {
        SigningKey key = ModuleSigner.generateKey(KeyType.RSA_4096, "big", Duration.ofDays(1));
        assertThat(((java.security.interfaces.RSAKey) key.privateKey()).getModulus().bitLength()).isEqualTo(4096);
        byte[] signed = ModuleSigner.sign(Testdata.read("special/module.ko"), key.privateKey(), key.certificate(), SignatureHash.SHA512);
        assertThat(new SignatureVerifier(TrustedKeys.of(key.certificate())).verify("m", signed).verified()).isTrue();
    }

    @Test
    void generatedCertificateHasTheGenkeyExtensions() throws Exception {
        X509Certificate c = ModuleSigner.generateKey(KeyType.EC_P256, "ext", Duration.ofDays(1)).certificate();
        assertThat(c.getBasicConstraints()).isEqualTo(-1); // CA:FALSE
        assertThat(c.getCriticalExtensionOIDs()).contains("2.5.29.19");
        assertThat(c.getKeyUsage()[0]).isTrue(); // digitalSignature
        assertThat(c.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.3"); // codeSigning
        assertThat(c.getExtensionValue("2.5.29.14")).isNotNull(); // subjectKeyIdentifier
        assertThat(c.getExtensionValue("2.5.29.35")).isNotNull(); // authorityKeyIdentifier
        assertThat(c.getSubjectX500Principal()).isEqualTo(c.getIssuerX500Principal());
        c.verify(c.getPublicKey());
    }

    @Test
    void keyAndCertificateSurvivePem() throws Exception {
        SigningKey key = ModuleSigner.generateKey(KeyType.EC_P384, "pem", Duration.ofDays(1));
        Path dir = Files.createTempDirectory("kobj-pem");
        try {
            Path k = dir.resolve("key.pem");
            Path c = dir.resolve("cert.pem");
            Files.writeString(k, Pem.privateKeyPem(key.privateKey()));
            Files.writeString(c, Pem.certificatePem(key.certificate()));
            assertThat(Files.readString(k)).startsWith("-----BEGIN PRIVATE KEY-----");
            assertThat(Pem.readCertificate(c)).isEqualTo(key.certificate());
            byte[] signed = ModuleSigner.sign(Testdata.read("special/module.ko"), Pem.readPrivateKey(k), Pem.readCertificate(c),
                    SignatureHash.SHA384);
            // A keyring directory: every *.pem in it.
            assertThat(new SignatureVerifier(TrustedKeys.load(List.of(dir))).verify("m", signed).verified()).isTrue();
        } finally {
            try (var s = Files.list(dir)) {
                for (Path p : s.toList()) {
                    Files.delete(p);
                }
            }
            Files.delete(dir);
        }
    }

    @Test
    void theFixtureKeyReadFromOpensslsPemSignsLikeOpenssl() throws Exception {
        // openssl req -nodes wrote signing-key.pem (PKCS#8); RSA PKCS#1 v1.5 is deterministic,
        // so kobj's PKCS#7 over module.ko is openssl's byte for byte.
        byte[] module = Testdata.read("special/module.ko");
        byte[] ours = ModuleSigner.sign(module, Pem.readPrivateKey(Testdata.special("signing-key.pem")),
                Pem.readCertificate(Testdata.special("signing-cert.pem")), SignatureHash.SHA256);
        assertThat(ours).isEqualTo(Testdata.read("special/module-signed.ko"));
    }

    @Test
    void anAlreadySignedModuleIsRefused() throws Exception {
        SigningKey key = ModuleSigner.generateKey(KeyType.EC_P256, "twice", Duration.ofDays(1));
        assertThatThrownBy(() -> ModuleSigner.sign(Testdata.read("special/module-signed.ko"), key.privateKey(),
                key.certificate(), SignatureHash.SHA256))
                .isInstanceOf(SignatureException.class).hasMessageContaining("already");
    }

    @Test
    void aKeyThatIsNotTheCertificatesIsRejectedOnVerification() throws Exception {
        SigningKey a = ModuleSigner.generateKey(KeyType.RSA_2048, "same name", Duration.ofDays(1));
        SigningKey b = ModuleSigner.generateKey(KeyType.RSA_2048, "same name", Duration.ofDays(1));
        // Signed with b's key under a's certificate: the signer id names a, a's key does not verify.
        byte[] signed = ModuleSigner.sign(Testdata.read("special/module.ko"), b.privateKey(), a.certificate(), SignatureHash.SHA256);
        SignatureCheck c = new SignatureVerifier(TrustedKeys.of(a.certificate())).verify("m", signed);
        assertThat(c.outcome()).isEqualTo(Outcome.REJECTED);
    }
}
