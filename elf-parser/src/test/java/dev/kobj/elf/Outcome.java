package dev.kobj.elf;

/** What a call did, as text for comparing two ways of reading the same thing: "passes", or the exception and its message. */
final class Outcome {
    private Outcome() {
    }

    /** A call that may throw. */
    interface Call {
        void run() throws Exception;
    }

    /** {@return "passes", or the simple name of what {@code call} threw and its message} */
    static String of(Call call) {
        try {
            call.run();
            return "passes";
        } catch (Exception e) {
            return e.getClass().getSimpleName() + ": " + e.getMessage();
        }
    }
}
