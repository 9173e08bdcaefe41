package dev.kobj.emu;

import dev.kobj.testkit.Testdata;
import dev.kobj.testkit.Tools;
import java.nio.file.Path;

/** The test kit's fixture location and outside-tool rule (skip with a message, fail under CI=true), for libunicorn too. */
final class EmuTests {
    private EmuTests() {
    }

    /** {@return the testdata directory} */
    static Path testdata() {
        return Testdata.root();
    }

    /** Skips (fails under CI=true) when libunicorn is missing. */
    static void requireUnicorn() {
        Machine.unavailable().ifPresent(Tools::skip);
    }

    /** {@return the program {@code name} on PATH}, or skips (fails under CI=true) naming {@code pkg} */
    static Path tool(String name, String pkg) {
        return Tools.find(name).orElseGet(() -> {
            Tools.skip(name + " not found on PATH (Debian package " + pkg + ")");
            return null;
        });
    }
}
