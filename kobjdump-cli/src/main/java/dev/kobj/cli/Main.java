package dev.kobj.cli;

/** Entry point of kobjdump. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(KobjDump.run(args, System.out, System.err));
    }
}
