package dev.kobj.cli;

import java.io.PrintStream;

/** kobjdump's command line; the inspection commands arrive in the next commit. */
public final class KobjDump {
    private KobjDump() {
    }

    /** Runs kobjdump; returns its exit status. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        err.println("kobjdump: not yet implemented");
        return 1;
    }
}
