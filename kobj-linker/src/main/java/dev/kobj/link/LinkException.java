package dev.kobj.link;

import dev.kobj.elf.KobjException;
import java.util.List;
import java.util.Objects;

/**
 * A link or load that cannot be completed. Every instance has a {@link Kind}; the message
 * names the file and the place. When several problems were found at once (every unresolved
 * symbol, every failed load check) they are all in {@link #problems()}, and the kind is the
 * kind of the first of them.
 *
 * <p>The two plain constructors exist for {@link HostMemory} implementations and give kind
 * {@link Kind#MEMORY}.
 */
public class LinkException extends KobjException {
    private static final long serialVersionUID = 1L;

    /** What went wrong; the load-check kinds mirror what Linux 6.1's loader refuses. */
    public enum Kind {
        /** Undefined symbols nobody provides; {@link #problems()} lists every one. */
        UNRESOLVED,
        /** A relocation cannot be applied; the cause is the {@code dev.kobj.reloc.RelocationException}. */
        RELOCATION,
        /** No relocation engine for the object's e_machine and class. */
        UNSUPPORTED_MACHINE,
        /** Not a relocatable object, or an ABI the engine does not accept. */
        ABI_MISMATCH,
        /** A module's {@code __versions} CRC differs from the kernel's: "disagrees about version of symbol X". */
        CRC_MISMATCH,
        /** A module without {@code __versions} imports symbols that carry CRCs ({@link LoadPolicy#requireVersions}). */
        MISSING_VERSIONS,
        /** {@code .modinfo} vermagic differs from {@link LoadPolicy#vermagic} (or is missing). */
        VERMAGIC_MISMATCH,
        /** A GPL-only export used by a module whose licence is not GPL-compatible. */
        GPL_ONLY,
        /** A symbol from a namespace the module does not import ({@code .modinfo import_ns}). */
        NAMESPACE_NOT_IMPORTED,
        /** An SHN_COMMON symbol: "please compile with -fno-common". */
        COMMON_SYMBOL,
        /** A {@code .ko} without {@code .gnu.linkonce.this_module}: not a kernel module. */
        NOT_A_MODULE,
        /** A section that is both writable and executable (Linux: "section %s is W+X"). */
        WRITABLE_EXECUTABLE,
        /** The object's bytes are malformed (wraps an {@code ElfFormatException}). */
        FORMAT,
        /** The host memory cannot provide or protect a region. */
        MEMORY
    }

    /**
     * One problem found while checking or linking a module.
     *
     * @param kind    what it is
     * @param symbol  the symbol it is about, or "" when none
     * @param message the full message, naming the file
     */
    public record Problem(Kind kind, String symbol, String message) {
        /** Checks that no component is null. */
        public Problem {
            Objects.requireNonNull(kind);
            Objects.requireNonNull(symbol);
            Objects.requireNonNull(message);
        }

        @Override
        public String toString() {
            return message;
        }
    }

    /** The kind of the first problem. */
    private final Kind kind;
    /** The object's name. */
    private final String file;
    private final transient List<Problem> problems;

    /**
     * A {@link Kind#MEMORY} error from a {@link HostMemory}.
     * @param message the message, naming the file and the place
     */
    public LinkException(String message) {
        this(Kind.MEMORY, "", message, List.of(), null);
    }

    /**
     * A {@link Kind#MEMORY} error from a {@link HostMemory}, with its cause.
     * @param message the message, naming the file and the place
     * @param cause the exception that found the problem
     */
    public LinkException(String message, Throwable cause) {
        this(Kind.MEMORY, "", message, List.of(), cause);
    }

    /**
     * An error of one kind, one problem, with an optional cause.
     * @param kind what went wrong
     * @param file the object's name
     * @param message the message, naming the file and the place
     * @param cause the exception that found the problem
     */
    public LinkException(Kind kind, String file, String message, Throwable cause) {
        this(kind, file, message, List.of(new Problem(kind, "", message)), cause);
    }

    /**
     * An error made of {@code problems} (at least one): the kind is the first problem's, the
     * message lists them all, one per line after the first.
     *
     * @param file the object's name
     * @param problems every problem found, at least one
     * @return one exception for every problem, the first one's kind its kind
     */
    public static LinkException of(String file, List<Problem> problems) {
        return of(file, problems, null);
    }

    /**
     * As {@link #of(String, List)}, with a cause.
     * @param file the object's name
     * @param problems every problem found, at least one
     * @param cause the exception that found the problem
     * @return one exception for every problem, the first one's kind its kind
     */
    public static LinkException of(String file, List<Problem> problems, Throwable cause) {
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("no problems");
        }
        StringBuilder sb = new StringBuilder();
        if (problems.size() > 1) {
            sb.append(file).append(": ").append(problems.size()).append(" problems");
            for (Problem p : problems) {
                sb.append("\n  ").append(p.message());
            }
        } else {
            sb.append(problems.getFirst().message());
        }
        return new LinkException(problems.getFirst().kind(), file, sb.toString(), problems, cause);
    }

    private LinkException(Kind kind, String file, String message, List<Problem> problems, Throwable cause) {
        super(message, cause);
        this.kind = Objects.requireNonNull(kind);
        this.file = Objects.requireNonNull(file);
        this.problems = List.copyOf(problems);
    }

    /** {@return what went wrong (the first problem's kind)} */
    public Kind kind() {
        return kind;
    }

    /** {@return the object's name, or "" when the error is not about one (memory errors)} */
    public String file() {
        return file;
    }

    /** {@return every problem found, in the order found; at least one unless from a plain constructor} */
    public List<Problem> problems() {
        return problems == null ? List.of() : problems;
    }

    /**
     * {@return the symbols of the problems of kind {@code k}, in order}
     * @param k a kind of problem
     */
    public List<String> symbols(Kind k) {
        return problems().stream().filter(p -> p.kind() == k && !p.symbol().isEmpty()).map(Problem::symbol).toList();
    }
}
