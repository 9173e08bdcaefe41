package dev.kobj.registry.sign;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * Reading and writing keys and certificates as the kernel's build and {@code openssl} keep them:
 * certificates in PEM ({@code -----BEGIN CERTIFICATE-----}, several per file allowed, as in
 * {@code certs/signing_key.pem}) or DER ({@code signing_key.x509}); private keys in unencrypted
 * PEM, PKCS#8 ({@code PRIVATE KEY}) or traditional ({@code RSA PRIVATE KEY},
 * {@code EC PRIVATE KEY}). A file holding both a key and its certificate, as
 * {@code certs/signing_key.pem} does, is read by both methods.
 */
public final class Pem {
    private static final long MAX_FILE = 16L << 20; // no key or keyring file is this large

    private Pem() {}

    /**
     * {@return every certificate in a PEM or DER file, in file order}
     * @param file a PEM file
     * @throws SignatureException when the file cannot be read or holds no such PEM object
     */
    public static List<X509Certificate> readCertificates(Path file) throws SignatureException {
        return readCertificates(file, false);
    }

    /**
     * As {@link #readCertificates(Path)}, but a PEM file without certificates (a key file) gives an empty list.
     * @param file a PEM file
     * @throws SignatureException when the file cannot be read or holds no such PEM object
     */
    static List<X509Certificate> readCertificates(Path file, boolean pemMayHaveNone) throws SignatureException {
        byte[] data = read(file);
        if (looksLikePem(data)) {
            List<X509Certificate> certs = new ArrayList<>();
            JcaX509CertificateConverter conv = new JcaX509CertificateConverter();
            try (PEMParser p = new PEMParser(new StringReader(new String(data, StandardCharsets.US_ASCII)))) {
                for (Object o; (o = p.readObject()) != null; ) {
                    if (o instanceof X509CertificateHolder h) {
                        certs.add(conv.getCertificate(h));
                    }
                }
            } catch (IOException | CertificateException | RuntimeException e) {
                throw new SignatureException(file + ": not a readable PEM certificate file: " + e.getMessage(), e);
            }
            if (certs.isEmpty() && !pemMayHaveNone) {
                throw new SignatureException(file + ": no CERTIFICATE block in this PEM file");
            }
            return certs;
        }
        try {
            CertificateFactory cf = CertificateFactory.getInstance("X.509");
            List<X509Certificate> certs = new ArrayList<>();
            for (var c : cf.generateCertificates(new ByteArrayInputStream(data))) {
                certs.add((X509Certificate) c);
            }
            if (certs.isEmpty()) {
                throw new SignatureException(file + ": no DER certificate in this file");
            }
            return certs;
        } catch (CertificateException | RuntimeException e) {
            throw new SignatureException(file + ": neither PEM nor a DER X.509 certificate: " + e.getMessage(), e);
        }
    }

    /**
     * {@return the first certificate of a PEM or DER file}
     * @param file a PEM file
     * @throws SignatureException when the file cannot be read or holds no such PEM object
     */
    public static X509Certificate readCertificate(Path file) throws SignatureException {
        return readCertificates(file).getFirst();
    }

    /**
     * {@return the first private key of a PEM file (PKCS#8 or traditional, unencrypted)}
     * @param file a PEM file
     * @throws SignatureException when the file cannot be read or holds no such PEM object
     */
    public static PrivateKey readPrivateKey(Path file) throws SignatureException {
        byte[] data = read(file);
        JcaPEMKeyConverter conv = new JcaPEMKeyConverter();
        try (PEMParser p = new PEMParser(new StringReader(new String(data, StandardCharsets.US_ASCII)))) {
            for (Object o; (o = p.readObject()) != null; ) {
                switch (o) {
                    case PrivateKeyInfo info -> {
                        return conv.getPrivateKey(info);
                    }
                    case PEMKeyPair pair -> {
                        return conv.getKeyPair(pair).getPrivate();
                    }
                    case PEMEncryptedKeyPair _, PKCS8EncryptedPrivateKeyInfo _ ->
                        throw new SignatureException(file + ": the private key is encrypted; kobj reads unencrypted keys only");
                    default -> { }
                }
            }
        } catch (IOException | RuntimeException e) {
            throw new SignatureException(file + ": not a readable PEM private key: " + e.getMessage(), e);
        }
        throw new SignatureException(file + ": no PRIVATE KEY block in this PEM file");
    }

    /**
     * {@return the certificate as a PEM CERTIFICATE block}
     * @param cert a certificate
     */
    public static String certificatePem(X509Certificate cert) {
        return pem(cert);
    }

    /**
     * {@return the private key as an unencrypted PKCS#8 PEM PRIVATE KEY block}
     * @param key a private key
     * @throws SignatureException when the key cannot be encoded
     */
    public static String privateKeyPem(PrivateKey key) throws SignatureException {
        try {
            return pem(new JcaPKCS8Generator(key, null).generate());
        } catch (IOException | RuntimeException e) {
            throw new SignatureException("cannot encode the " + key.getAlgorithm() + " private key as PKCS#8", e);
        }
    }

    /**
     * {@return the certificate's DER bytes}
     * @param cert a certificate
     * @throws SignatureException when the file cannot be read or holds no such PEM object
     */
    static byte[] der(X509Certificate cert) throws SignatureException {
        try {
            return cert.getEncoded();
        } catch (CertificateEncodingException e) {
            throw new SignatureException("cannot encode certificate " + cert.getSubjectX500Principal(), e);
        }
    }

    private static String pem(Object o) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(out)) {
            w.writeObject(o);
        } catch (IOException e) {
            throw new IllegalStateException("a StringWriter does not fail", e);
        }
        return out.toString();
    }

    private static boolean looksLikePem(byte[] data) {
        String head = new String(data, 0, Math.min(data.length, 1 << 16), StandardCharsets.US_ASCII);
        return head.contains("-----BEGIN ");
    }

    private static byte[] read(Path file) throws SignatureException {
        try {
            long size = Files.size(file);
            if (size > MAX_FILE) {
                throw new SignatureException(file + ": " + size + " bytes is too large for a key or certificate file");
            }
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new SignatureException(file + ": cannot read: " + e.getMessage(), e);
        }
    }
}
