package dev.kobj.cli;

import dev.kobj.link.LoadPolicy;
import picocli.CommandLine.Option;

/** The load-policy options that {@code link}, {@code check} and {@code modprobe} share (a picocli mixin). */
final class PolicyOptions {
    @Option(names = "--vermagic", paramLabel = "STRING", description = "Refuse modules whose vermagic differs.")
    String vermagic;

    @Option(names = "--permissive", description = "Skip the checks a kernel may be told to skip (CRCs, "
            + "GPL-only, namespaces, this_module); unknown and COMMON symbols are still refused.")
    boolean permissive;

    /** {@return the policy these options ask for} */
    LoadPolicy policy() {
        LoadPolicy p = permissive ? LoadPolicy.permissive() : LoadPolicy.defaults();
        return vermagic == null ? p : p.toBuilder().vermagic(vermagic).build();
    }
}
