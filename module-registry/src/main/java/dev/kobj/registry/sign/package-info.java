/**
 * Linux module signatures: verifying the PKCS#7 signature that {@code scripts/sign-file} appends to
 * a {@code .ko}, against a set of trusted X.509 certificates (the kernel's keyring), and producing
 * such signatures.
 *
 * <p>The format ({@code Documentation/admin-guide/module-signing.rst}): the module's bytes, then a
 * DER PKCS#7 (CMS) {@code SignedData} whose content is detached (it is the module itself), then
 * {@code struct module_signature} (u8 algo, u8 hash, u8 id_type, u8 signer_len, u8 key_id_len,
 * u8 __pad[3], __be32 sig_len) with {@code id_type = 2} (PKEY_ID_PKCS7) and every other byte but
 * {@code sig_len} zero, then the 28-byte marker {@code "~Module signature appended~\n"}.
 *
 * <p>Trust model: the module and its signature are untrusted input; a malformed signature is a
 * verdict ({@link dev.kobj.registry.sign.SignatureCheck}), never an unchecked exception. The
 * certificates given to {@link dev.kobj.registry.sign.TrustedKeys} are trusted as they are, like
 * the kernel's builtin keyring: neither their validity dates nor a chain above them is checked.
 */
package dev.kobj.registry.sign;
