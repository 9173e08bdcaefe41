package dev.kobj.registry.sign;

import static dev.kobj.registry.sign.SignatureCheck.Outcome.MALFORMED;
import static dev.kobj.registry.sign.SignatureCheck.Outcome.REJECTED;
import static dev.kobj.registry.sign.SignatureCheck.Outcome.UNKNOWN_KEY;
import static dev.kobj.registry.sign.SignatureCheck.Outcome.UNSIGNED;
import static dev.kobj.registry.sign.SignatureCheck.Outcome.UNSUPPORTED_CRYPTO;

import dev.kobj.elf.ElfFile;
import dev.kobj.elf.ModuleSignature;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.asn1.cms.SignedData;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.CMSTypedData;
import org.bouncycastle.cms.SignerId;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.SignerInformationVerifier;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.operator.ContentVerifierProvider;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;

/**
 * Verifies the signature appended to a module, mirroring what Linux 6.1 checks
 * ({@code mod_verify_sig}, {@code mod_check_sig}, {@code pkcs7_verify},
 * {@code pkcs7_validate_trust}):
 * <ol>
 * <li>the file ends with {@code "~Module signature appended~\n"}, else UNSIGNED (ENODATA);
 * <li>{@code struct module_signature}: {@code sig_len} leaves room for a module, else MALFORMED;
 *     {@code id_type} is PKEY_ID_PKCS7 (2), else UNSUPPORTED_CRYPTO (ENOPKG); algo, hash,
 *     signer_len, key_id_len and the three pad bytes are zero, else MALFORMED (EBADMSG);
 * <li>the blob is a CMS ContentInfo of type signedData, in DER, SignedData version 1 or 3, each
 *     SignerInfo version 1 (issuer and serial) under SignedData version 1 or version 3 (subject
 *     key identifier) under version 3, and at least one SignerInfo, else MALFORMED;
 * <li>the encapsulated content type is id-data and no SignerInfo has signed (authenticated)
 *     attributes, else REJECTED ("Invalid module sig (not pkcs7-data)" / "(has authattrs)");
 *     the content is detached (the message carries none), else MALFORMED;
 * <li>digest SHA-1/224/256/384/512 and signature algorithm rsaEncryption or ecdsa-with-SHA*,
 *     else UNSUPPORTED_CRYPTO ("Unsupported pkey algo" in the kernel);
 * <li>each signer whose key is found (a trusted certificate matching its issuer and serial or
 *     subject key identifier, or a certificate in the message that chains to one) must verify
 *     over the module's bytes, else REJECTED; when no signer's key is trusted, UNKNOWN_KEY
 *     (ENOKEY).
 * </ol>
 * kobj is stricter than the kernel in one respect: the parts of the message that no signature
 * covers must be in canonical form (DER; digestAlgorithms lists SHA digests only and includes
 * each signer's; algorithm parameters absent or NULL), so that no byte of a signature can
 * change unnoticed. sign-file's and openssl's output has that form.
 *
 * <p>Certificate validity dates are not checked, as the kernel does not check them (it compares
 * them only with a signing-time attribute, which module signatures may not carry).
 *
 * <p>A verifier is immutable and may be shared between threads.
 */
public final class SignatureVerifier {
    private static final byte[] MARKER = ModuleSignature.MARKER.getBytes(StandardCharsets.US_ASCII);
    private static final int MODULE_SIGNATURE_SIZE = 12;
    private static final ASN1ObjectIdentifier ID_DATA = CMSObjectIdentifiers.data;
    private static final Map<String, String> DIGESTS = Map.of(
            "1.3.14.3.2.26", "sha1",
            "2.16.840.1.101.3.4.2.4", "sha224",
            "2.16.840.1.101.3.4.2.1", "sha256",
            "2.16.840.1.101.3.4.2.2", "sha384",
            "2.16.840.1.101.3.4.2.3", "sha512");
    private static final Map<String, String> PKEY_ALGOS = Map.of(
            "1.2.840.113549.1.1.1", "rsaEncryption",
            "1.2.840.10045.4.1", "ecdsa-with-SHA1",
            "1.2.840.10045.4.3.1", "ecdsa-with-SHA224",
            "1.2.840.10045.4.3.2", "ecdsa-with-SHA256",
            "1.2.840.10045.4.3.3", "ecdsa-with-SHA384",
            "1.2.840.10045.4.3.4", "ecdsa-with-SHA512");

    private final TrustedKeys keys;
    private final List<X509CertificateHolder> trusted;

    /**
     * A verifier trusting the certificates of {@code keys} (the kernel's built-in keyring).
     *
     * @param keys the trusted keys
     */
    public SignatureVerifier(TrustedKeys keys) {
        this.keys = keys;
        List<X509CertificateHolder> h = new ArrayList<>();
        for (X509Certificate c : keys.certificates()) {
            try {
                h.add(new X509CertificateHolder(c.getEncoded()));
            } catch (IOException | java.security.cert.CertificateEncodingException e) {
                throw new IllegalArgumentException("trusted certificate " + c.getSubjectX500Principal()
                        + " cannot be encoded", e);
            }
        }
        this.trusted = List.copyOf(h);
    }

    /** {@return the keyring this verifier trusts} */
    public TrustedKeys keys() {
        return keys;
    }

    /**
     * {@return the verdict on a parsed module's signature (the decompressed file, as the kernel sees it)}
     * @param file the module
     */
    public SignatureCheck verify(ElfFile file) {
        return verify(file.name(), file.fileBytes());
    }

    /**
     * {@return the verdict on the signature of a module held in memory (uncompressed)}
     * @param name the module's name, for messages
     * @param file the module
     */
    public SignatureCheck verify(String name, byte[] file) {
        return verify(name, MemorySegment.ofArray(file));
    }

    /**
     * {@return the verdict on the signature of a module in memory (uncompressed); the segment is only read}
     * @param name the module's name, for messages
     * @param file the module
     */
    public SignatureCheck verify(String name, MemorySegment file) {
        long len = file.byteSize();
        if (len <= MARKER.length || !endsWithMarker(file)) {
            return SignatureCheck.fail(name, UNSIGNED, "unsigned module (no \"~Module signature appended~\" marker)", "");
        }
        long modlen = len - MARKER.length;
        if (modlen <= MODULE_SIGNATURE_SIZE) {
            return SignatureCheck.fail(name, MALFORMED, "file too short for struct module_signature", "");
        }
        long ms = modlen - MODULE_SIGNATURE_SIZE;
        long sigLen = Integer.toUnsignedLong(file.get(ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN), ms + 8));
        if (sigLen >= modlen - MODULE_SIGNATURE_SIZE) {
            return SignatureCheck.fail(name, MALFORMED, "module_signature.sig_len " + sigLen
                    + " at file offset " + (ms + 8) + " leaves no module before the signature", "");
        }
        int idType = Byte.toUnsignedInt(file.get(ValueLayout.JAVA_BYTE, ms + 2));
        if (idType != ModuleSignature.PKEY_ID_PKCS7) {
            return SignatureCheck.fail(name, UNSUPPORTED_CRYPTO, "module_signature.id_type " + idType
                    + " at file offset " + (ms + 2) + " is not PKEY_ID_PKCS7 (2)", "");
        }
        for (int i : new int[] {0, 1, 3, 4, 5, 6, 7}) {
            int b = Byte.toUnsignedInt(file.get(ValueLayout.JAVA_BYTE, ms + i));
            if (b != 0) {
                return SignatureCheck.fail(name, MALFORMED, "struct module_signature byte " + i + " (file offset "
                        + (ms + i) + ") is " + b + "; algo, hash, signer_len, key_id_len and pad must be 0 for PKCS#7", "");
            }
        }
        long contentLen = ms - sigLen;
        byte[] blob = file.asSlice(contentLen, sigLen).toArray(ValueLayout.JAVA_BYTE);
        return verifyPkcs7(name, file.asSlice(0, contentLen), blob, contentLen);
    }

    /**
     * {@return the verdict on a detached PKCS#7 signature over {@code content}} The checks are
     * those of the numbered list's steps 3 to 6.
     *
     * @param name the module's name, for messages
     * @param content the bytes the signature covers
     * @param pkcs7 the DER PKCS#7 signature
     */
    public SignatureCheck verifyPkcs7(String name, MemorySegment content, byte[] pkcs7) {
        return verifyPkcs7(name, content, pkcs7, content.byteSize());
    }

    private SignatureCheck verifyPkcs7(String name, MemorySegment content, byte[] blob, long sigOffset) {
        String where = "PKCS#7 signature (" + blob.length + " bytes at file offset " + sigOffset + ")";
        ContentInfo ci;
        SignedData sd;
        try {
            ci = ContentInfo.getInstance(ASN1Primitive.fromByteArray(blob));
            if (ci == null || !CMSObjectIdentifiers.signedData.equals(ci.getContentType())) {
                return SignatureCheck.fail(name, MALFORMED, where + " is not a CMS signedData message", "");
            }
            if (!Arrays.equals(ci.getEncoded(ASN1Encoding.DER), blob)) {
                return SignatureCheck.fail(name, MALFORMED, where + " is not in DER form", "");
            }
            sd = SignedData.getInstance(ci.getContent());
        } catch (IOException | RuntimeException e) {
            return SignatureCheck.fail(name, MALFORMED, where + " is not valid DER: " + e.getMessage(), "");
        }
        int version = sd.getVersion().intValueExact();
        if (version != 1 && version != 3) {
            return SignatureCheck.fail(name, MALFORMED, where + ": SignedData version " + version + " (1 or 3 expected)", "");
        }
        if (!ID_DATA.equals(sd.getEncapContentInfo().getContentType())) {
            return SignatureCheck.fail(name, REJECTED, where + ": content type "
                    + sd.getEncapContentInfo().getContentType() + " is not id-data (the kernel: not pkcs7-data)", "");
        }
        Set<String> listed = new HashSet<>();
        try {
            for (ASN1Encodable e : sd.getDigestAlgorithms()) {
                AlgorithmIdentifier a = AlgorithmIdentifier.getInstance(e);
                if (!DIGESTS.containsKey(a.getAlgorithm().getId()) || !nullOrAbsent(a)) {
                    return SignatureCheck.fail(name, MALFORMED, where + ": digestAlgorithms lists " + a.getAlgorithm()
                            + (nullOrAbsent(a) ? "" : " with parameters") + ", not a SHA-1/SHA-2 digest", "");
                }
                listed.add(a.getAlgorithm().getId());
            }
        } catch (RuntimeException e) {
            return SignatureCheck.fail(name, MALFORMED, where + ": digestAlgorithms is not a set of algorithm identifiers", "");
        }
        if (sd.getEncapContentInfo().getContent() != null) {
            return SignatureCheck.fail(name, MALFORMED, where + " carries its own content; a module signature is detached", "");
        }
        CMSSignedData cms;
        List<SignerInformation> signers;
        try {
            cms = new CMSSignedData(new SegmentContent(content), ci);
            signers = new ArrayList<>(cms.getSignerInfos().getSigners());
        } catch (CMSException | RuntimeException e) {
            return SignatureCheck.fail(name, MALFORMED, where + ": " + e.getMessage(), "");
        }
        if (signers.isEmpty()) {
            return SignatureCheck.fail(name, MALFORMED, where + " has no SignerInfo", "");
        }
        List<X509CertificateHolder> carried;
        try {
            carried = new ArrayList<>(cms.getCertificates().getMatches(null));
        } catch (RuntimeException e) {
            return SignatureCheck.fail(name, MALFORMED, where + ": unreadable certificate set: " + e.getMessage(), "");
        }
        // Structural checks on every signer first, as the kernel's parser does before any crypto.
        String digest = "";
        for (int i = 0; i < signers.size(); i++) {
            SignerInformation si = signers.get(i);
            String s = where + ", signer " + i;
            int v = si.getVersion();
            boolean bySkid = si.getSID().getSubjectKeyIdentifier() != null;
            if (!(v == 1 && version == 1 && !bySkid) && !(v == 3 && version == 3 && bySkid)) {
                return SignatureCheck.fail(name, MALFORMED, s + ": SignerInfo version " + v + " under SignedData version "
                        + version + " (1 with issuer and serial under 1, or 3 with a subject key id under 3)", digest);
            }
            if (si.getSignedAttributes() != null) {
                return SignatureCheck.fail(name, REJECTED, s + " has signed (authenticated) attributes; "
                        + "the kernel refuses them on module signatures (sign with -noattr)", digest);
            }
            String d = DIGESTS.get(si.getDigestAlgOID());
            if (d == null) {
                return SignatureCheck.fail(name, UNSUPPORTED_CRYPTO, s + ": unsupported digest algorithm " + si.getDigestAlgOID(), digest);
            }
            if (digest.isEmpty()) {
                digest = d;
            }
            if (!listed.contains(si.getDigestAlgOID()) || !nullOrAbsent(si.getDigestAlgorithmID())
                    || !nullOrAbsent(si.toASN1Structure().getDigestEncryptionAlgorithm())) {
                return SignatureCheck.fail(name, MALFORMED, s + ": digest " + d + " not listed in digestAlgorithms, "
                        + "or algorithm parameters other than NULL", d);
            }
            if (!PKEY_ALGOS.containsKey(si.getEncryptionAlgOID())) {
                return SignatureCheck.fail(name, UNSUPPORTED_CRYPTO, s + ": unsupported signature algorithm "
                        + si.getEncryptionAlgOID() + " (the kernel takes rsaEncryption and ecdsa-with-SHA*)", d);
            }
        }
        Optional<X509Certificate> trustedSigner = Optional.empty();
        for (int i = 0; i < signers.size(); i++) {
            SignerInformation si = signers.get(i);
            String s = where + ", signer " + i + " (" + describe(si.getSID()) + ")";
            String d = DIGESTS.get(si.getDigestAlgOID());
            Key key;
            try {
                key = findKey(si.getSID(), carried);
            } catch (Rejected r) {
                return SignatureCheck.fail(name, REJECTED, s + ": " + r.getMessage(), d);
            }
            if (key == null) {
                continue;
            }
            boolean ok;
            String why = "the signature does not match the module's contents";
            try {
                SignerInformationVerifier siv = new JcaSimpleSignerInfoVerifierBuilder().build(key.signerCert());
                ok = si.verify(siv);
            } catch (CMSException | org.bouncycastle.operator.OperatorCreationException
                    | java.security.cert.CertificateException | RuntimeException e) {
                ok = false;
                why = "the signature does not verify: " + e.getMessage();
            }
            if (!ok) {
                return SignatureCheck.fail(name, REJECTED, s + ": " + why + " (module or signature changed, or "
                        + "signed with another key of the same name)", d);
            }
            if (key.trustedRoot() != null && trustedSigner.isEmpty()) {
                trustedSigner = Optional.of(toCert(key.trustedRoot()));
            }
        }
        if (trustedSigner.isEmpty()) {
            StringBuilder sb = new StringBuilder(where).append(": signed by an unknown key (");
            for (int i = 0; i < signers.size(); i++) {
                sb.append(i == 0 ? "" : "; ").append(describe(signers.get(i).getSID()));
            }
            sb.append(") not among ").append(trusted.size()).append(" trusted certificate").append(trusted.size() == 1 ? "" : "s");
            return SignatureCheck.fail(name, UNKNOWN_KEY, sb.toString(), digest);
        }
        return new SignatureCheck(name, SignatureCheck.Outcome.VERIFIED, "", trustedSigner, digest);
    }

    /** The certificate whose key checks a signer's signature, and the trusted certificate that vouches for it. */
    private record Key(X509CertificateHolder signerCert, X509CertificateHolder trustedRoot) {}

    private static final class Rejected extends Exception {
        private static final long serialVersionUID = 1L;

        Rejected(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * Finds the key of a signer: a trusted certificate it names directly, or a certificate carried
     * in the message that it names and that chains, through carried certificates, to one signed
     * by (or equal to) a trusted certificate. Returns null when no trusted key is found.
     */
    private Key findKey(SignerId sid, List<X509CertificateHolder> carried) throws Rejected {
        for (X509CertificateHolder t : trusted) {
            if (sid.match(t)) {
                return new Key(t, t);
            }
        }
        X509CertificateHolder signer = null;
        for (X509CertificateHolder c : carried) {
            if (sid.match(c)) {
                signer = c;
                break;
            }
        }
        if (signer == null) {
            return null;
        }
        Set<X509CertificateHolder> seen = new HashSet<>();
        X509CertificateHolder cur = signer;
        while (cur != null && seen.add(cur)) {
            for (X509CertificateHolder t : trusted) {
                if (t.equals(cur)) {
                    return new Key(signer, t);
                }
                if (t.getSubject().equals(cur.getIssuer()) && signedBy(cur, t)) {
                    return new Key(signer, t);
                }
            }
            X509CertificateHolder next = null;
            for (X509CertificateHolder c : carried) {
                if (c != cur && c.getSubject().equals(cur.getIssuer()) && !seen.contains(c)) {
                    next = c;
                    break;
                }
            }
            if (next != null && !signedBy(cur, next)) {
                throw new Rejected("carried certificate " + cur.getSubject() + " is not signed by its issuer " + next.getSubject());
            }
            cur = next;
        }
        return null;
    }

    /** RSA and ECDSA signatures and SHA digests take no parameters: absent, or NULL (RFC 3370, RFC 5754). */
    private static boolean nullOrAbsent(AlgorithmIdentifier a) {
        return a.getParameters() == null || DERNull.INSTANCE.equals(a.getParameters());
    }

    private static boolean signedBy(X509CertificateHolder cert, X509CertificateHolder issuer) {
        try {
            ContentVerifierProvider p = new JcaContentVerifierProviderBuilder().build(issuer);
            return cert.isSignatureValid(p);
        } catch (Exception e) { // any failure to check is a failure to verify
            return false;
        }
    }

    private static X509Certificate toCert(X509CertificateHolder h) {
        try {
            return new JcaX509CertificateConverter().getCertificate(h);
        } catch (java.security.cert.CertificateException e) {
            throw new IllegalStateException("a trusted certificate was readable when loaded", e);
        }
    }

    private static String describe(SignerId sid) {
        if (sid.getSubjectKeyIdentifier() != null) {
            return "subject key id " + hex(sid.getSubjectKeyIdentifier());
        }
        return "issuer " + sid.getIssuer() + ", serial " + (sid.getSerialNumber() == null ? "?" : sid.getSerialNumber().toString(16));
    }

    private static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (byte x : b) {
            sb.append(Character.forDigit((x >> 4) & 15, 16)).append(Character.forDigit(x & 15, 16));
        }
        return sb.toString();
    }

    private static boolean endsWithMarker(MemorySegment file) {
        long off = file.byteSize() - MARKER.length;
        for (int i = 0; i < MARKER.length; i++) {
            if (file.get(ValueLayout.JAVA_BYTE, off + i) != MARKER[i]) {
                return false;
            }
        }
        return true;
    }

    /** The module's bytes as CMS content, streamed from the segment without a copy of the whole. */
    private record SegmentContent(MemorySegment bytes) implements CMSTypedData {
        @Override
        public ASN1ObjectIdentifier getContentType() {
            return ID_DATA;
        }

        @Override
        public void write(OutputStream out) throws IOException {
            byte[] buf = new byte[1 << 16];
            long size = bytes.byteSize();
            for (long off = 0; off < size; off += buf.length) {
                int n = (int) Math.min(buf.length, size - off);
                MemorySegment.copy(bytes, ValueLayout.JAVA_BYTE, off, buf, 0, n);
                out.write(buf, 0, n);
            }
        }

        @Override
        public Object getContent() {
            return bytes;
        }
    }

}
