package dev.kobj.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.UsageMessageSpec;

/**
 * The exit status of each command, shown in its {@code --help} (picocli's exit code list) and
 * in the manual page. One table here, so every command, present and future, says it the same
 * way; a command missing from the table gets the general meaning.
 */
final class ExitCodes {
    private ExitCodes() {
    }

    private static final String USAGE = "usage error (unknown option, missing or bad argument)";

    private static final Map<String, String> FAILURE = Map.ofEntries(
            Map.entry("headers", "a FILE could not be read or parsed"),
            Map.entry("sections", "a FILE could not be read or parsed"),
            Map.entry("symbols", "a FILE could not be read or parsed"),
            Map.entry("relocs", "a FILE could not be read or parsed"),
            Map.entry("modinfo", "a FILE could not be read or parsed"),
            Map.entry("groups", "a FILE could not be read or parsed"),
            Map.entry("stats", "a file could not be read or parsed"),
            Map.entry("check", "a module would be refused, or could not be read"),
            Map.entry("link", "the module could not be read or linked, or OUT not written"),
            Map.entry("depmod", "a module could not be read, or the modules depend on each other in a cycle"),
            Map.entry("modprobe", "a module could not be found or loaded (the registry is left as it was)"),
            Map.entry("sign", "a key, certificate or FILE could not be read, or OUT not written"),
            Map.entry("verify", "a FILE is unsigned, or its signature does not verify"),
            Map.entry("install-extras", "a file could not be written"));

    /** {@return the exit codes of command {@code name}: 0, 1 and 2 with what they mean there} */
    static Map<String, String> of(String name) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("0", "success");
        m.put("1", FAILURE.getOrDefault(name, "the command failed (the message on standard error says why)"));
        m.put("2", USAGE);
        return m;
    }

    /** Puts the exit code list into the usage help of every subcommand of {@code top}. */
    static void document(CommandLine top) {
        for (CommandLine sub : top.getSubcommands().values()) {
            UsageMessageSpec u = sub.getCommandSpec().usageMessage();
            if (u.exitCodeList().isEmpty()) {
                u.exitCodeListHeading("%nExit status:%n");
                u.exitCodeList(of(sub.getCommandName()));
            }
        }
    }
}
