package dev.kobj.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether a target kernel enforces module signatures, from its configuration:
 * {@code CONFIG_MODULE_SIG_FORCE=y} makes {@code is_module_sig_enforced()} true whatever the
 * command line says (kernel/module/signing.c); otherwise only {@code module.sig_enforce=1} does,
 * which no file of the tree shows ({@code --sig-enforce}).
 */
final class SignatureEnforcement {
    private SignatureEnforcement() {
    }

    /** {@return whether the kernel .config at {@code config} forces signatures} */
    static boolean forced(Path config) throws IOException {
        try (var lines = Files.lines(config)) {
            return lines.anyMatch(l -> l.strip().equals("CONFIG_MODULE_SIG_FORCE=y"));
        }
    }
}
