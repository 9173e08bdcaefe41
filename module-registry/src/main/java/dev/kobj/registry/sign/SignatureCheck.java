package dev.kobj.registry.sign;

import java.security.cert.X509Certificate;
import java.util.Objects;
import java.util.Optional;

/**
 * The verdict on one module's signature, in the terms of Linux's {@code module_sig_check}.
 *
 * @param file    the module's name, as given to the verifier
 * @param outcome what was found
 * @param reason  why, in words (empty when verified)
 * @param signer  the trusted certificate that verified the signature, when verified
 * @param digest  the digest algorithm's name (sha256, …) when a signer info was read, else empty
 */
public record SignatureCheck(String file, Outcome outcome, String reason, Optional<X509Certificate> signer,
        String digest) {

    /**
     * The outcomes, each with the errno the kernel's {@code mod_verify_sig} returns for it. Linux
     * lets a module with an ENODATA, ENOPKG or ENOKEY outcome load when signatures are not
     * enforced (tainting the kernel); every other failure is fatal "even if signatures aren't
     * required" ({@code kernel/module/signing.c}).
     */
    public enum Outcome {
        /** A trusted key verified the signature over the module. */
        VERIFIED("0", false),
        /** No "~Module signature appended~" marker. */
        UNSIGNED("ENODATA", true),
        /** id_type is not PKCS#7, or a digest or public-key algorithm the kernel does not implement. */
        UNSUPPORTED_CRYPTO("ENOPKG", true),
        /** Well-formed, but no trusted certificate matches the signer. */
        UNKNOWN_KEY("ENOKEY", true),
        /** The trailer or the PKCS#7 message is malformed. */
        MALFORMED("EBADMSG", false),
        /** The signature does not verify (module or signature changed), or the message breaks a module-signature rule. */
        REJECTED("EKEYREJECTED", false);

        private final String kernelErrno;
        private final boolean tolerated;

        Outcome(String kernelErrno, boolean tolerated) {
            this.kernelErrno = kernelErrno;
            this.tolerated = tolerated;
        }

        /** {@return the errno name Linux's verification returns for this outcome ("0" for success)} */
        public String kernelErrno() {
            return kernelErrno;
        }

        /** {@return whether Linux loads such a module anyway when signatures are not enforced} */
        public boolean toleratedUnlessEnforced() {
            return tolerated;
        }
    }

    public SignatureCheck {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(signer, "signer");
        Objects.requireNonNull(digest, "digest");
    }

    /** {@return whether the signature verified against a trusted key} */
    public boolean verified() {
        return outcome == Outcome.VERIFIED;
    }

    /** {@return a one-line account: file, outcome, kernel errno and reason} */
    public String message() {
        if (verified()) {
            return file + ": signature verified (" + digest + ", signer "
                    + signer.map(c -> c.getSubjectX500Principal().getName()).orElse("?") + ")";
        }
        return file + ": " + reason + " (" + outcome.kernelErrno() + ")";
    }

    /**
     * {@return the errno of Linux's {@code module_sig_check} for this outcome when signatures are
     * {@code enforced} (module.sig_enforce=1 or CONFIG_MODULE_SIG_FORCE) or not}: an outcome
     * Linux tolerates unless enforced (ENODATA unsigned, ENOPKG, ENOKEY) becomes EKEYREJECTED
     * ("Loading of unsigned module is rejected", kernel/module/signing.c); "0" when the module
     * loads
     */
    public String kernelErrno(boolean enforced) {
        if (outcome.toleratedUnlessEnforced()) {
            return enforced ? Outcome.REJECTED.kernelErrno() : "0";
        }
        return outcome.kernelErrno();
    }

    /** {@return {@link #message()}, with the errno and rule of an enforcing kernel when {@code enforced}} */
    public String message(boolean enforced) {
        if (!enforced || !outcome.toleratedUnlessEnforced()) {
            return message();
        }
        return file + ": " + reason + "; signatures are enforced: loading is rejected (" + kernelErrno(true) + ")";
    }

    static SignatureCheck fail(String file, Outcome outcome, String reason, String digest) {
        return new SignatureCheck(file, outcome, reason, Optional.empty(), digest);
    }
}
