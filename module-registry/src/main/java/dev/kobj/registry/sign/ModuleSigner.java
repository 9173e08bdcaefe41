package dev.kobj.registry.sign;

import dev.kobj.elf.ModuleSignature;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

/**
 * Signs modules as Linux's {@code scripts/sign-file} does, and makes keys for it as the kernel
 * build's {@code certs/default_x509.genkey} does.
 *
 * <p>What a signed module is: the module's bytes; a DER CMS {@code SignedData} (version 1) over
 * them with detached content of type id-data, one {@code SignerInfo} naming the certificate by
 * issuer and serial number, no signed (authenticated) attributes, no certificates; then
 * {@code struct module_signature} = {0 algo, 0 hash, 2 id_type, 0 signer_len, 0 key_id_len,
 * 0,0,0 pad, be32 sig_len}; then {@code "~Module signature appended~\n"}. Linux's
 * {@code pkcs7_verify} refuses a module signature that has signed attributes or whose content
 * type is not id-data, so neither may be added here.
 */
public final class ModuleSigner {
    /** The size of {@code struct module_signature}. */
    public static final int TRAILER_SIZE = 12;
    private static final byte[] MARKER = ModuleSignature.MARKER.getBytes(StandardCharsets.US_ASCII);

    private ModuleSigner() {}

    /**
     * Generates a key pair and a self-signed certificate for it, with the extensions the kernel's
     * {@code certs/default_x509.genkey} asks for (basicConstraints critical CA:FALSE, keyUsage
     * digitalSignature, subjectKeyIdentifier, authorityKeyIdentifier) plus extendedKeyUsage
     * codeSigning.
     *
     * @param type       RSA 2048/4096 or ECDSA P-256/P-384
     * @param commonName the certificate's CN (the organisation is "kobj")
     * @param validity   how long the certificate is valid from now (the kernel does not check it)
     * @return a new key with its self-signed certificate
     * @throws SignatureException when the JCA provider refuses
     */
    public static SigningKey generateKey(KeyType type, String commonName, Duration validity) throws SignatureException {
        try {
            SecureRandom random = new SecureRandom();
            KeyPairGenerator kpg = KeyPairGenerator.getInstance(type.algorithm());
            if (type.curve() != null) {
                kpg.initialize(new ECGenParameterSpec(type.curve()), random);
            } else {
                kpg.initialize(type.bits(), random);
            }
            KeyPair pair = kpg.generateKeyPair();
            X500Name name = new X500NameBuilder(BCStyle.INSTANCE)
                    .addRDN(BCStyle.O, "kobj").addRDN(BCStyle.CN, commonName).build();
            Instant now = Instant.now();
            byte[] serialBytes = new byte[16];
            random.nextBytes(serialBytes);
            BigInteger serial = new BigInteger(1, serialBytes).setBit(126).clearBit(127); // positive, 16 bytes
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, serial,
                    Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(validity)), name, pair.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, false, new KeyUsage(KeyUsage.digitalSignature))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_codeSigning))
                    .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(pair.getPublic()))
                    .addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(pair.getPublic()));
            ContentSigner signer = new JcaContentSignerBuilder(SignatureHash.SHA256.signatureAlgorithm(type.algorithm()))
                    .build(pair.getPrivate());
            X509Certificate cert = new JcaX509CertificateConverter().getCertificate(b.build(signer));
            return new SigningKey(pair.getPrivate(), cert);
        } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
            throw new SignatureException("cannot generate a " + type.cliName() + " signing key: " + e.getMessage(), e);
        }
    }

    /**
     * {@return the detached DER PKCS#7 signature of {@code content}, in the form the kernel accepts}
     *
     * @throws SignatureException if the key does not match the certificate's algorithm or cannot sign
     * @param content the bytes signed
     * @param key the signing key
     * @param cert its certificate
     * @param hash the digest algorithm
     */
    public static byte[] pkcs7(byte[] content, PrivateKey key, X509Certificate cert, SignatureHash hash)
            throws SignatureException {
        try {
            ContentSigner cs = new JcaContentSignerBuilder(hash.signatureAlgorithm(key.getAlgorithm())).build(key);
            CMSSignedDataGenerator gen = new CMSSignedDataGenerator();
            gen.addSignerInfoGenerator(new JcaSignerInfoGeneratorBuilder(new JcaDigestCalculatorProviderBuilder().build(),
                    ModuleSigner::kernelSignatureAlgorithm)
                    .setDirectSignature(true) // no signed attributes: the kernel refuses them on modules
                    .setContentDigest(new AlgorithmIdentifier(new ASN1ObjectIdentifier(hash.oid()), DERNull.INSTANCE))
                    .build(cs, cert));        // SignerIdentifier = issuerAndSerialNumber
            CMSSignedData sd = gen.generate(new CMSProcessableByteArray(content), false); // detached
            return sd.toASN1Structure().getEncoded(ASN1Encoding.DER);
        } catch (OperatorCreationException | CMSException | IOException | GeneralSecurityException | RuntimeException e) {
            throw new SignatureException("cannot sign with a " + key.getAlgorithm() + " key and certificate "
                    + cert.getSubjectX500Principal() + " (" + hash.kernelName() + "): " + e.getMessage(), e);
        }
    }

    /**
     * The SignerInfo's signatureAlgorithm as Linux's {@code pkcs7_sig_note_pkey_algo} accepts it:
     * rsaEncryption (with NULL parameters) for RSA PKCS#1 v1.5, whatever the digest, as openssl
     * writes it; ecdsa-with-SHA* as it is. BouncyCastle 1.84 would write sha256WithRSAEncryption,
     * which the kernel refuses ("Unsupported pkey algo", ENOPKG).
     */
    private static AlgorithmIdentifier kernelSignatureAlgorithm(AlgorithmIdentifier sigAlg) {
        String oid = sigAlg.getAlgorithm().getId();
        if (oid.startsWith("1.2.840.113549.1.1.")) { // PKCS#1: sha*WithRSAEncryption
            return new AlgorithmIdentifier(PKCSObjectIdentifiers.rsaEncryption, DERNull.INSTANCE);
        }
        return sigAlg;
    }

    /**
     * {@return {@code module} with a signature appended in the kernel's format}
     *
     * @throws SignatureException if the module already ends with a signature (sign the unsigned
     *                            module instead), or the key cannot sign
     * @param module the module file's bytes
     * @param key the signing key
     * @param cert its certificate
     * @param hash the digest algorithm
     */
    public static byte[] sign(byte[] module, PrivateKey key, X509Certificate cert, SignatureHash hash)
            throws SignatureException {
        if (endsWithMarker(module)) {
            throw new SignatureException("the module already ends with \"~Module signature appended~\"; "
                    + "sign the unsigned module");
        }
        byte[] sig = pkcs7(module, key, cert, hash);
        return append(module, sig);
    }

    /**
     * {@return the module with {@code sig} (DER PKCS#7), {@code struct module_signature} and the marker appended}
     * @param module the module file's bytes
     * @param sig the DER PKCS#7 signature
     */
    public static byte[] append(byte[] module, byte[] sig) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(module.length + sig.length + TRAILER_SIZE + MARKER.length);
        out.writeBytes(module);
        out.writeBytes(sig);
        // struct module_signature: algo, hash, id_type, signer_len, key_id_len, __pad[3], __be32 sig_len
        out.writeBytes(new byte[] {0, 0, (byte) ModuleSignature.PKEY_ID_PKCS7, 0, 0, 0, 0, 0,
            (byte) (sig.length >>> 24), (byte) (sig.length >>> 16), (byte) (sig.length >>> 8), (byte) sig.length});
        out.writeBytes(MARKER);
        return out.toByteArray();
    }

    /**
     * {@return whether the bytes end with the signature marker}
     * @param file a file's bytes
     */
    public static boolean endsWithMarker(byte[] file) {
        return file.length >= MARKER.length
                && Arrays.equals(file, file.length - MARKER.length, file.length, MARKER, 0, MARKER.length);
    }
}
