package dev.kobj.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A command line made only of the options a table declares, each spelled the one way picocli
 * reads in exactly one way, for {@link FastPath}: a flag ({@code --json}), an option and its
 * value as two arguments ({@code --kernel FILE}), and positional arguments. {@link #parse}
 * answers null for anything else, and the command line goes to picocli, which parses it or
 * reports the usage error: an unknown option, {@code --opt=value}, a value or a positional that
 * starts with {@code -} or {@code @} (an option, or picocli's argument file), an empty argument,
 * {@code --}, an option given twice that is not declared repeatable (picocli refuses it), a
 * missing value, fewer or more positionals than the command takes.
 */
final class PlainArgs {
    /** What an option takes. */
    enum Kind {
        /** A boolean, given at most once. */
        FLAG,
        /** One value, given at most once. */
        VALUE,
        /** One value per occurrence, any number of occurrences. */
        REPEATED
    }

    /** The options of one command, by every name they have (e.g. -v and --verbose name one option). */
    static final class Spec {
        private final Map<String, String> canonical = new HashMap<>();
        private final Map<String, Kind> kinds = new HashMap<>();
        private final int minPositionals;
        private final int maxPositionals;

        Spec(int minPositionals, int maxPositionals) {
            this.minPositionals = minPositionals;
            this.maxPositionals = maxPositionals;
        }

        /** Declares an option; its first name is the one {@link PlainArgs} answers by. */
        Spec option(Kind kind, String... names) {
            for (String n : names) {
                canonical.put(n, names[0]);
            }
            kinds.put(names[0], kind);
            return this;
        }
    }

    private final Map<String, List<String>> values = new HashMap<>();
    private final List<String> positionals = new ArrayList<>();

    private PlainArgs() {
    }

    /**
     * {@return the options and positionals of {@code args[from..]}, or null when the command line
     * is not one that {@code spec} describes in the one plain spelling}
     */
    static PlainArgs parse(String[] args, int from, Spec spec) {
        PlainArgs p = new PlainArgs();
        for (int i = from; i < args.length; i++) {
            String a = args[i];
            if (a == null || a.isEmpty()) {
                return null;
            }
            String name = spec.canonical.get(a);
            if (name == null) {
                if (plain(a)) {
                    p.positionals.add(a);
                    continue;
                }
                return null;
            }
            Kind kind = spec.kinds.get(name);
            List<String> seen = p.values.get(name);
            if (seen != null && kind != Kind.REPEATED) {
                return null;
            }
            if (seen == null) {
                seen = new ArrayList<>(1);
                p.values.put(name, seen);
            }
            if (kind != Kind.FLAG) {
                if (i + 1 >= args.length || args[i + 1] == null || !plain(args[i + 1])) {
                    return null;
                }
                seen.add(args[++i]);
            }
        }
        int n = p.positionals.size();
        return n < spec.minPositionals || n > spec.maxPositionals ? null : p;
    }

    /** {@return true for an argument picocli can only take as a value or a positional} */
    private static boolean plain(String a) {
        return !a.isEmpty() && a.charAt(0) != '-' && a.charAt(0) != '@';
    }

    /** {@return whether the flag or option named {@code name} (its first name) was given} */
    boolean has(String name) {
        return values.containsKey(name);
    }

    /** {@return the values given for {@code name}, in order; empty when it was not given} */
    List<String> values(String name) {
        return values.getOrDefault(name, List.of());
    }

    /** {@return the one value of {@code name}, or null when it was not given} */
    String value(String name) {
        List<String> v = values.get(name);
        return v == null ? null : v.getFirst();
    }

    /** {@return the positional arguments, in order} */
    List<String> positionals() {
        return positionals;
    }
}
