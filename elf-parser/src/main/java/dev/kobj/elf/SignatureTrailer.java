package dev.kobj.elf;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

/**
 * The signature Linux appends to a module (scripts/sign-file, {@code
 * Documentation/admin-guide/module-signing.rst}): the PKCS#7 message, the signer's name and key
 * id, then {@code struct module_signature} (12 bytes, {@code sig_len} big-endian at offset 8)
 * and the marker "~Module signature appended~\n" at the very end of the file.
 */
final class SignatureTrailer {
    private static final byte[] MARKER = ModuleSignature.MARKER.getBytes(StandardCharsets.US_ASCII);

    private SignatureTrailer() {
    }

    /** {@return the signature at the end of {@code seg}, or null when it does not end with the marker} */
    static ModuleSignature find(String name, MemorySegment seg) throws ElfFormatException {
        long size = seg.byteSize();
        int m = MARKER.length;
        if (size < m + 12) {
            return null;
        }
        // The last 40 bytes (the marker and struct module_signature) in one copy: reads through the
        // segment cost a var-handle call each under C1.
        byte[] tail = Bytes.copyOf(seg, size - m - 12, m + 12);
        for (int i = 0; i < m; i++) {
            if (tail[12 + i] != MARKER[i]) {
                return null;
            }
        }
        long s = size - m - 12; // struct module_signature
        int algo = tail[0] & 0xff;
        int hash = tail[1] & 0xff;
        int idType = tail[2] & 0xff;
        int signerLen = tail[3] & 0xff;
        int keyIdLen = tail[4] & 0xff;
        long sigLen = (tail[8] & 0xffL) << 24 | (tail[9] & 0xff) << 16 | (tail[10] & 0xff) << 8 | (tail[11] & 0xff);
        long total = sigLen + signerLen + keyIdLen;
        if (total > s) {
            throw new ElfFormatException(name, s + 8, "module_signature.sig_len", sigLen,
                    "signature (" + total + " bytes with signer and key id) is longer than the " + s
                            + " bytes before it");
        }
        long sigStart = s - sigLen;
        long keyStart = sigStart - keyIdLen;
        long signerStart = keyStart - signerLen;
        return new ModuleSignature(algo, hash, idType, seg.asSlice(signerStart, signerLen),
                seg.asSlice(keyStart, keyIdLen), seg.asSlice(sigStart, sigLen), signerStart, signerStart);
    }
}
