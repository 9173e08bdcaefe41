package dev.kobj.cli;

import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * kobjdump(1), written in the man(7) macros from the same picocli model that parses the
 * command line and prints {@code --help}: NAME, SYNOPSIS, DESCRIPTION, one subsection per
 * command (its synopsis, description, arguments, options and exit status), EXIT STATUS,
 * SEE ALSO. groff/mandoc render it; {@code man -l kobjdump.1} shows it.
 */
final class ManPage {
    private ManPage() {
    }

    /** {@return the roff source of kobjdump(1) for the command line {@code top}} */
    static String of(CommandLine top) {
        CommandSpec spec = top.getCommandSpec();
        String version = spec.version().length > 0 ? spec.version()[0] : "kobjdump";
        StringBuilder sb = new StringBuilder();
        sb.append(".\\\" Generated from kobjdump's picocli definitions (dev.kobj.cli.ManPage); do not edit.\n");
        sb.append(".TH KOBJDUMP 1 \"\" \"").append(esc(version)).append("\" \"User Commands\"\n");
        sb.append(".nh\n.ad l\n"); // no hyphenation, ragged right: paths and option names stay whole
        sb.append(".SH NAME\nkobjdump \\- ELF relocatable objects and Linux kernel modules: inspect, check, "
                + "link, depmod, modprobe, sign, verify\n");
        sb.append(".SH SYNOPSIS\n.B kobjdump\n.I COMMAND\n[\\fIOPTIONS\\fR] [\\fIARGUMENTS\\fR]\n.br\n"
                + ".B kobjdump\n.RB [ \\-h | \\-\\-help | \\-V | \\-\\-version ]\n");
        sb.append(".SH DESCRIPTION\n");
        for (String d : spec.usageMessage().description()) {
            sb.append(para(d));
        }
        sb.append(".PP\nThe commands:\n");
        for (Map.Entry<String, CommandLine> e : top.getSubcommands().entrySet()) {
            String[] d = e.getValue().getCommandSpec().usageMessage().description();
            sb.append(".TP\n.B ").append(esc(e.getKey())).append('\n').append(esc(d.length > 0 ? d[0] : "")).append('\n');
        }
        sb.append(".SH COMMANDS\n");
        for (Map.Entry<String, CommandLine> e : top.getSubcommands().entrySet()) {
            command(sb, e.getKey(), e.getValue());
        }
        sb.append(".SH EXIT STATUS\n");
        exitCodes(sb, spec.usageMessage().exitCodeList());
        sb.append(".PP\nEach command's own meaning of 1 is listed with it above.\n");
        sb.append(".SH FILES\n.TP\n.I share/bash-completion/completions/kobjdump\n"
                + "bash completion (also for zsh: source share/kobjdump/kobjdump-completion.zsh), "
                + "written by \\fBkobjdump install-extras\\fR.\n");
        sb.append(".SH SEE ALSO\n.BR readelf (1),\n.BR objdump (1),\n.BR ld (1),\n.BR depmod (8),\n"
                + ".BR modprobe (8),\n.BR modinfo (8),\n.BR dot (1)\n");
        return sb.toString();
    }

    private static void command(StringBuilder sb, String name, CommandLine cl) {
        CommandSpec spec = cl.getCommandSpec();
        sb.append(".SS kobjdump ").append(esc(name)).append('\n');
        String synopsis = cl.getHelp().synopsis(0).strip();
        sb.append(".nf\n").append(esc(synopsis)).append("\n.fi\n");
        for (String d : spec.usageMessage().description()) {
            sb.append(para(d));
        }
        List<PositionalParamSpec> positionals = spec.positionalParameters();
        for (PositionalParamSpec p : positionals) {
            if (p.hidden()) {
                continue;
            }
            sb.append(".TP\n.I ").append(esc(p.paramLabel())).append('\n').append(esc(String.join(" ", p.description())))
                    .append('\n');
        }
        for (OptionSpec o : spec.options()) {
            if (o.hidden()) {
                continue;
            }
            sb.append(".TP\n.B ").append(esc(String.join(", ", o.names())));
            if (o.arity().max() > 0) {
                sb.append(" \\fI").append(esc(o.paramLabel())).append("\\fR");
            }
            String d = String.join(" ", o.description()).replace("${DEFAULT-VALUE}",
                    String.valueOf(o.defaultValueString()));
            sb.append('\n').append(esc(d)).append('\n');
        }
        Map<String, String> exits = spec.usageMessage().exitCodeList();
        if (!exits.isEmpty()) {
            sb.append(".PP\nExit status:\n");
            exitCodes(sb, exits);
        }
    }

    private static void exitCodes(StringBuilder sb, Map<String, String> codes) {
        for (Map.Entry<String, String> e : codes.entrySet()) {
            sb.append(".TP\n.B ").append(esc(e.getKey().strip())).append('\n').append(esc(e.getValue().strip())).append('\n');
        }
    }

    /** {@return one paragraph: empty description lines separate paragraphs} */
    private static String para(String text) {
        return text.isBlank() ? "" : ".PP\n" + esc(text) + "\n";
    }

    /**
     * {@return {@code s} safe in a roff text line}: backslashes as {@code \e}, hyphens as
     * {@code \-} (so that options are typed back as ASCII), a leading dot or quote guarded by
     * {@code \&}, line breaks as spaces.
     */
    static String esc(String s) {
        String t = s.replace("\\", "\\e").replace("-", "\\-").replace("\r", " ").replace("\n", "\n\\&");
        if (t.startsWith(".") || t.startsWith("'")) {
            t = "\\&" + t;
        }
        return t;
    }
}
