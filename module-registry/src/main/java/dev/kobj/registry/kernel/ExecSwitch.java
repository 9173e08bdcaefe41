package dev.kobj.registry.kernel;

import dev.kobj.registry.ModuleException;
import dev.kobj.registry.ModuleException.Errno;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The simulated kernel's exec interpreters ({@code execsw[]} / Linux {@code formats}): the
 * recognisers {@code execve} asks in order, the first that accepts a file's first bytes running it.
 *
 * <p>An EXEC module adds its interpreter on load (lkm's LM_EXEC, NetBSD {@code exec_add}) and
 * removes it on unload. The order follows NetBSD's {@code es_prio}: {@link Priority#FIRST}
 * entries, then {@link Priority#ANY}, then {@link Priority#LAST} (scripts, which accept {@code #!}
 * on any file, belong last); within a priority, in the order added. A name is unique (EEXIST).
 * Thread-safe.
 */
public final class ExecSwitch {

    /** Where an interpreter goes in the order (NetBSD EXECSW_PRIO_*). */
    public enum Priority {
        /** Before every ANY and LAST interpreter. */
        FIRST,
        /** After the FIRST ones, in registration order. */
        ANY,
        /** After every other one. */
        LAST
    }

    /** Decides whether an interpreter runs a file, from its first bytes. */
    @FunctionalInterface
    public interface Recogniser {
        /**
         * {@return true when the file whose first bytes are {@code header} is this interpreter's}
         * @param header the first bytes of the file
         */
        boolean accepts(byte[] header);

        /**
         * {@return a recogniser of {@code magic} at byte {@code offset}}
         * @param offset where the magic starts
         * @param magic the bytes to find there
         */
        static Recogniser magic(int offset, byte[] magic) {
            byte[] m = magic.clone();
            return h -> {
                if (offset < 0 || h.length < offset + m.length) {
                    return false;
                }
                for (int i = 0; i < m.length; i++) {
                    if (h[offset + i] != m[i]) {
                        return false;
                    }
                }
                return true;
            };
        }
    }

    /**
     * An interpreter.
     *
     * @param name       its name
     * @param owner      the module that added it, or {@link SyscallTable#KERNEL}
     * @param priority   where it goes in the order
     * @param recogniser what it accepts
     */
    public record Interpreter(String name, String owner, Priority priority, Recogniser recogniser) {
        /** Checks that nothing is null. */
        public Interpreter {
            Objects.requireNonNull(name);
            Objects.requireNonNull(owner);
            Objects.requireNonNull(priority);
            Objects.requireNonNull(recogniser);
        }
    }

    /** The kernel's own: ELF ({@code \x7fELF} at 0) and scripts ({@code #!} at 0, LAST). */
    static List<Interpreter> builtins() {
        return List.of(
                new Interpreter("elf", SyscallTable.KERNEL, Priority.ANY,
                        Recogniser.magic(0, HexFormat.of().parseHex("7f454c46"))),
                new Interpreter("script", SyscallTable.KERNEL, Priority.LAST,
                        Recogniser.magic(0, new byte[] {'#', '!'})));
    }

    private final Object lock = new Object();
    /** Sorted by priority, stable: insertion order within one. */
    private final List<Interpreter> list = new ArrayList<>();

    ExecSwitch(List<Interpreter> builtins) {
        builtins.forEach(this::insert);
    }

    /**
     * Adds an interpreter for {@code owner}.
     *
     * @throws ModuleException EEXIST when one of that name is there
     * @param owner the module that owns it
     * @param name the interpreter's name
     * @param priority where it goes in the order
     * @param recogniser what decides whether it runs a file
     * @return the interpreter, as registered
     */
    public Interpreter add(String owner, String name, Priority priority, Recogniser recogniser) throws ModuleException {
        Interpreter i = new Interpreter(name, owner, priority, recogniser);
        synchronized (lock) {
            if (list.stream().anyMatch(x -> x.name().equals(name))) {
                throw new ModuleException(Errno.EEXIST, owner + ": exec interpreter " + name + " exists");
            }
            insert(i);
        }
        return i;
    }

    /**
     * Removes interpreter {@code name}, which {@code owner} added.
     *
     * @throws ModuleException ENOENT (no such interpreter), EPERM (someone else's)
     * @param owner the module that owns it
     * @param name the interpreter's name
     */
    public void remove(String owner, String name) throws ModuleException {
        synchronized (lock) {
            Interpreter i = list.stream().filter(x -> x.name().equals(name)).findFirst()
                    .orElseThrow(() -> new ModuleException(Errno.ENOENT, owner + ": no exec interpreter " + name));
            if (!i.owner().equals(owner)) {
                throw new ModuleException(Errno.EPERM, owner + ": exec interpreter " + name
                        + " belongs to " + i.owner());
            }
            list.remove(i);
        }
    }

    /**
     * Removes every interpreter of {@code owner}.
     *
     * @return those removed
     * @param owner the module that owns it
     */
    public List<Interpreter> removeAll(String owner) {
        synchronized (lock) {
            List<Interpreter> mine = list.stream().filter(i -> i.owner().equals(owner)).toList();
            list.removeAll(mine);
            return mine;
        }
    }

    /**
     * {@return the first interpreter, in order, that accepts {@code header}}
     * @param header the first bytes of the file
     */
    public Optional<Interpreter> recognise(byte[] header) {
        List<Interpreter> snapshot = interpreters();
        for (Interpreter i : snapshot) {
            if (i.recogniser().accepts(header.clone())) {
                return Optional.of(i);
            }
        }
        return Optional.empty();
    }

    /** {@return the interpreters in the order they are asked} */
    public List<Interpreter> interpreters() {
        synchronized (lock) {
            return List.copyOf(list);
        }
    }

    private void insert(Interpreter i) {
        int at = 0;
        while (at < list.size() && Comparator.<Priority>naturalOrder().compare(list.get(at).priority(), i.priority()) <= 0) {
            at++;
        }
        list.add(at, i);
    }
}
