package dev.kobj.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/** Runs an outside oracle (readelf, objdump) with LC_ALL=C; a non-zero exit or any stderr fails the test. */
final class Exec {
    private Exec() {
    }

    static String run(String... cmd) throws IOException, InterruptedException {
        Tools.require(cmd[0]);
        ProcessBuilder pb = new ProcessBuilder(List.of(cmd));
        pb.environment().put("LC_ALL", "C");
        Process p = pb.start();
        String out;
        String err;
        try (var e = p.getErrorStream()) {
            out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            err = new String(e.readAllBytes(), StandardCharsets.UTF_8);
        }
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("timed out: " + String.join(" ", cmd));
        }
        if (p.exitValue() != 0 || !err.isBlank()) {
            throw new AssertionError(String.join(" ", cmd) + " exited " + p.exitValue() + ": " + err);
        }
        return out;
    }

    /** {@return the lines of {@code text} in which {@code regex} is found} */
    static List<String> grep(String text, String regex) {
        Pattern p = Pattern.compile(regex);
        List<String> out = new ArrayList<>();
        for (String l : text.split("\n")) {
            if (p.matcher(l).find()) {
                out.add(l);
            }
        }
        return out;
    }

    /** One line of {@code readelf -SW}. */
    record Section(int index, String name, String type, long address, long size, String flags) {
    }

    private static final Pattern SECTION = Pattern.compile(
            "^\\s+\\[\\s*(\\d+)\\]\\s+(\\S+)\\s+(\\S+)\\s+([0-9a-f]+)\\s+[0-9a-f]+\\s+([0-9a-f]+)\\s+[0-9a-f]+\\s+(\\S*)\\s+\\d+\\s+\\d+\\s+\\d+$");

    /** {@return the sections {@code readelf -SW} lists} (names of up to 17 characters print whole with -W) */
    static List<Section> sections(String readelfS) {
        List<Section> out = new ArrayList<>();
        for (String l : readelfS.split("\n")) {
            var m = SECTION.matcher(l);
            if (m.matches()) {
                out.add(new Section(Integer.parseInt(m.group(1)), m.group(2), m.group(3),
                        Long.parseUnsignedLong(m.group(4), 16), Long.parseUnsignedLong(m.group(5), 16), m.group(6)));
            }
        }
        return out;
    }
}
