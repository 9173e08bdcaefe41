package dev.kobj.cli;

import dev.kobj.elf.ElfFile;
import dev.kobj.registry.sign.SignatureCheck;
import dev.kobj.registry.sign.SignatureVerifier;
import dev.kobj.registry.sign.TrustedKeys;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code kobjdump verify}: checks modules' appended signatures as the kernel's module_sig_check does. */
@Command(name = "verify", description = {
    "Verify modules' appended signatures against trusted certificates.",
    "",
    "Checks each FILE (decompressed first when it is .ko.gz/.xz/.zst, as the kernel checks the "
            + "uncompressed module) as Linux's module_sig_check does and prints one line per file: "
            + "\"FILE: signature verified (HASH, signer SUBJECT)\" or \"FILE: REASON (ERRNO)\", with the "
            + "errno the kernel returns: ENODATA unsigned, ENOKEY unknown key, ENOPKG unsupported crypto, "
            + "EBADMSG malformed, EKEYREJECTED not matching the module. With --sig-enforce (or a "
            + "--kernel-config with CONFIG_MODULE_SIG_FORCE=y) the target enforces signatures, as "
            + "module.sig_enforce=1 does: ENODATA, ENOKEY and ENOPKG then become EKEYREJECTED.",
    "",
    "Exit status 0 when every file verified, 1 otherwise."})
final class VerifyCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", arity = "1..*", description = "Signed modules.")
    List<Path> files;

    @Option(names = "--cert", paramLabel = "CERT", required = true,
            description = "A trusted certificate file (PEM, possibly several, or DER) or a directory of them; repeatable.")
    List<Path> certs;

    @Option(names = "--sig-enforce", description = "The target enforces signatures (module.sig_enforce=1): "
            + "an unsigned module, an unknown key or unsupported crypto is EKEYREJECTED.")
    boolean sigEnforce;

    @Option(names = "--kernel-config", paramLabel = "CONFIG", description = "The target kernel's .config "
            + "(/boot/config-RELEASE): CONFIG_MODULE_SIG_FORCE=y means signatures are enforced.")
    Path kernelConfig;

    @Option(names = "--json", description = "Print JSON: an array with one object per FILE (file, verified, "
            + "outcome, errno, reason, digest, signer).")
    boolean json;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    private final KobjDump.Context ctx;

    VerifyCommand(KobjDump.Context ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        SignatureVerifier verifier;
        try {
            verifier = new SignatureVerifier(TrustedKeys.load(certs));
        } catch (Exception e) {
            ctx.error(KobjDump.errorMessage(certs.size() == 1 ? certs.getFirst().toString() : "--cert", e));
            return 1;
        }
        boolean enforced = sigEnforce;
        if (kernelConfig != null) {
            try {
                enforced |= SignatureEnforcement.forced(kernelConfig);
            } catch (Exception e) {
                ctx.error(KobjDump.errorMessage(kernelConfig.toString(), e));
                return 1;
            }
        }
        int rc = 0;
        PrintStream out = ctx.out();
        PerFileOutput output = new PerFileOutput(out, json);
        for (Path p : files) {
            try (ElfFile f = ElfFile.open(p)) {
                SignatureCheck c = verifier.verify(f);
                if (json) {
                    StringBuilder sb = new StringBuilder();
                    ResultsJson.verify(new Json(sb, 1), c, enforced);
                    output.item(sb);
                } else {
                    out.println(Fmt.oneLine(c.message(enforced)));
                }
                if (!c.verified()) {
                    rc = 1;
                }
            } catch (Exception e) {
                out.flush();
                ctx.error(KobjDump.errorMessage(p.toString(), e));
                output.error(p.toString(), KobjDump.errorMessage(p.toString(), e));
                rc = 1;
            }
        }
        output.close();
        return rc;
    }
}
