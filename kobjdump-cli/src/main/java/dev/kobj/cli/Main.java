package dev.kobj.cli;

/** Entry point of kobjdump. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        int rc = KobjDump.run(args, System.out, System.err);
        System.out.flush();
        System.err.flush();
        // Status 0: return, and the JVM ends when main does (every thread kobjdump starts is
        // joined or a daemon). System.exit would cost a short command about a third of its
        // CPU time: since JDK 21 Runtime.exit asks System.Logger whether to log the call
        // (its debug logging of exit calls), which starts the logging back end and a ServiceLoader search of
        // META-INF/services over every jar of the class path.
        if (rc != 0) {
            System.exit(rc);
        }
    }
}
