package dev.kobj.elf;

import java.lang.foreign.MemorySegment;

/**
 * The signature appended to a Linux module ({@code Documentation/admin-guide/module-signing.rst}).
 * The file ends with: signer name, key id, the signature (a DER PKCS#7 blob when
 * {@code idType} is 2), then {@code struct module_signature} (u8 algo, u8 hash, u8 id_type,
 * u8 signer_len, u8 key_id_len, u8 pad[3], __be32 sig_len) and the 28-byte marker
 * {@code "~Module signature appended~\n"}. The ELF object is what precedes all of it.
 *
 * @param algo         the public-key algorithm byte (0 for PKCS#7)
 * @param hash         the hash algorithm byte (0 for PKCS#7)
 * @param idType       the identifier type (2 = PKEY_ID_PKCS7)
 * @param signer       the signer-name bytes (empty for PKCS#7)
 * @param keyId        the key-id bytes (empty for PKCS#7)
 * @param signature    the signature bytes (view, no copy)
 * @param signedLength the length of the signed content: the ELF object
 * @param fileOffset   the offset of the first trailer byte
 */
public record ModuleSignature(int algo, int hash, int idType, MemorySegment signer,
        MemorySegment keyId, MemorySegment signature, long signedLength, long fileOffset) {

    /** The marker that ends a signed module. */
    public static final String MARKER = "~Module signature appended~\n";
    /** The id_type of a PKCS#7 signature. */
    public static final int PKEY_ID_PKCS7 = 2;

    /** {@return the signature's length in bytes} */
    public long signatureLength() {
        return signature.byteSize();
    }
}
