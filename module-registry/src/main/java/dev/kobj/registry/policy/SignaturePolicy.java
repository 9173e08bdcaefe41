package dev.kobj.registry.policy;

import dev.kobj.registry.ModuleCandidate;
import dev.kobj.registry.ModuleException;
import dev.kobj.registry.ModuleException.Errno;
import dev.kobj.registry.SecurityPolicy;
import dev.kobj.registry.sign.SignatureCheck;
import dev.kobj.registry.sign.SignatureVerifier;
import dev.kobj.registry.sign.TrustedKeys;
import java.lang.System.Logger.Level;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Module signature enforcement: every load of a module with an ELF object (a file or a
 * preloaded image) has its appended signature verified against the trusted keys, as Linux's
 * {@code module_sig_check} does before anything else of the load. Builtin modules have no
 * object and are part of the kernel: they are not checked. Unloads are not checked.
 *
 * <p>Refusals are {@link Errno#EKEYREJECTED} with a message naming the file and the reason. In
 * {@link SignatureMode#WARN} a tolerated failure (unsigned, unknown key, unsupported crypto) is
 * reported to the listener and the kernel is marked {@link #tainted() tainted}, as Linux sets
 * TAINT_UNSIGNED_MODULE ('E'); the mode can be raised to ENFORCE at run time and never lowered,
 * as {@code module.sig_enforce} is a {@code bool_enable_only} parameter.
 */
public final class SignaturePolicy implements SecurityPolicy {
    private static final System.Logger LOG = System.getLogger(SignaturePolicy.class.getName());

    /** Hears of every signature check and of what the policy decided. */
    @FunctionalInterface
    public interface Listener {
        /**
         * Told of one check.
         *
         * @param check   the verdict on one module's signature
         * @param allowed whether the load goes on
         */
        void checked(SignatureCheck check, boolean allowed);

        /** Logs what WARN lets through and what is refused, as the kernel's log would. */
        Listener LOG_WARNINGS = (check, allowed) -> {
            if (!check.verified()) {
                LOG.log(allowed ? Level.WARNING : Level.ERROR, allowed
                        ? check.message() + ": module verification failed: signature and/or required key missing - tainting kernel"
                        : check.message() + ": load rejected");
            }
        };
    }

    private final AtomicReference<SignatureMode> mode;
    private final SignatureVerifier verifier;
    private final Listener listener;
    private final AtomicBoolean tainted = new AtomicBoolean();

    /**
     * A policy telling {@code listener} of every check.
     *
     * @param mode     off, warn or enforce
     * @param keys     the trusted certificates
     * @param listener told of every check (its exceptions are not caught)
     */
    public SignaturePolicy(SignatureMode mode, TrustedKeys keys, Listener listener) {
        this.mode = new AtomicReference<>(Objects.requireNonNull(mode, "mode"));
        this.verifier = new SignatureVerifier(Objects.requireNonNull(keys, "keys"));
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    /**
     * A policy that logs what it lets through or refuses.
     * @param mode off, warn or enforce
     * @param keys the trusted keys
     */
    public SignaturePolicy(SignatureMode mode, TrustedKeys keys) {
        this(mode, keys, Listener.LOG_WARNINGS);
    }

    /** {@return the current mode} */
    public SignatureMode mode() {
        return mode.get();
    }

    /** Raises the mode to ENFORCE (there is no way back, as with {@code module.sig_enforce}). */
    public void enforce() {
        mode.set(SignatureMode.ENFORCE);
    }

    /** {@return whether a module whose signature did not verify was let in (WARN)} */
    public boolean tainted() {
        return tainted.get();
    }

    /** {@return the verifier, whose keyring this policy trusts} */
    public SignatureVerifier verifier() {
        return verifier;
    }

    @Override
    public void checkLoad(ModuleCandidate candidate) throws ModuleException {
        SignatureMode m = mode.get();
        if (m == SignatureMode.OFF || candidate.elf().isEmpty()) {
            return;
        }
        SignatureCheck check = verifier.verify(candidate.elf().get());
        if (check.verified()) {
            listener.checked(check, true);
            return;
        }
        boolean allowed = m == SignatureMode.WARN && check.outcome().toleratedUnlessEnforced();
        listener.checked(check, allowed);
        if (allowed) {
            tainted.set(true);
            return;
        }
        String why = check.outcome().toleratedUnlessEnforced()
                ? "signatures are enforced" : "a bad signature is refused even when signatures are not enforced";
        throw new ModuleException(Errno.EKEYREJECTED, "module " + candidate.name() + ": " + check.message() + "; " + why);
    }

    @Override
    public String toString() {
        return "signatures " + mode.get() + " (" + verifier.keys().certificates().size() + " trusted keys)";
    }
}
