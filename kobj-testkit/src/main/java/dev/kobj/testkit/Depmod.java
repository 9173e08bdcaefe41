package dev.kobj.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** kmod's depmod, the oracle of dependency computation ({@code modules.dep}). */
public final class Depmod {
    private Depmod() {
    }

    /** {@return the depmod to use: /usr/sbin or /sbin (not on a user's PATH), else PATH's}; skips (fails under CI) when none */
    public static Path binary() {
        for (String p : List.of("/usr/sbin/depmod", "/sbin/depmod")) {
            if (Files.isExecutable(Path.of(p))) {
                return Path.of(p);
            }
        }
        Tools.require("depmod");
        return Tools.find("depmod").orElseThrow();
    }

    /**
     * {@return modules.dep as depmod writes it} for the tree {@code base}/lib/modules/{@code version}
     * ({@code depmod -n -b BASE VERSION}, its other files' text cut off)
     */
    public static String modulesDep(Path base, String version) throws IOException, InterruptedException {
        Path depmod = binary();
        Tools.Run r = Tools.exec(List.of(depmod.toString(), "-n", "-b", base.toString(), version), null, false,
                Duration.ofSeconds(120));
        if (!r.ok()) {
            throw new AssertionError(r.command() + " failed: " + r.err());
        }
        String out = r.out();
        int end = out.indexOf("\n# ");
        return end < 0 ? out : out.substring(0, end + 1);
    }

    /** {@return each module of a modules.dep and its dependency list, in file order} */
    public static Map<String, List<String>> parse(String modulesDep) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (String line : modulesDep.split("\n")) {
            if (line.isEmpty()) {
                continue;
            }
            int colon = line.indexOf(':');
            String rest = line.substring(colon + 1).trim();
            out.put(line.substring(0, colon), rest.isEmpty() ? List.of() : List.of(rest.split(" ")));
        }
        return out;
    }
}
