package dev.kobj.registry.kernel;

import dev.kobj.registry.ModuleClass;
import dev.kobj.registry.ModuleCommand;
import dev.kobj.registry.ModuleContext;
import dev.kobj.registry.ModuleException;
import dev.kobj.registry.ModuleException.Errno;
import dev.kobj.registry.ModuleHandler;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * The lifecycle of a module of one class: it runs the module's own code and registers what the
 * module's properties declare with the {@link SimulatedKernel}, and on FINI takes away everything
 * the module registered, declared or made through the kernel services while running.
 *
 * <p>Order, as lkm(4)'s dispatch does it (the module's own handler, then the kernel's class
 * work; on unload, the module's own handler first, which may refuse, then the restore):
 * <ul>
 * <li><b>INIT</b>: the module's own INIT (its native code may call the {@code kobj_*} kernel
 *     services, which are credited to this module); then the class's declared registration
 *     (below). On any failure everything the module registered is released and the load fails.</li>
 * <li><b>FINI</b>: refused with EBUSY, before the module's code runs, while a file-system type of
 *     the module is mounted or one of its system calls is running; then the module's own FINI
 *     (which may refuse); then {@link SimulatedKernel#releaseAll}: replaced system calls return to
 *     their rightful place, device nodes disappear, and so on.</li>
 * <li><b>AUTOUNLOAD</b> is refused (vetoed) in the same busy cases, then asked of the module.</li>
 * <li><b>STAT</b> reports what the module has registered, then asks the module.</li>
 * </ul>
 *
 * <p>Declared registration, from the load's properties over the module's metadata ({@code raw}
 * keys of its descriptor). A {@code function} names a symbol of the module's image (native code)
 * or, failing that, a Java function given to {@link SimulatedKernelServices#syscallFunction} and its siblings:
 * <table>
 * <caption>properties per class</caption>
 * <tr><th>class</th><th>keys (default)</th><th>C signature of the function</th></tr>
 * <tr><td>SYSCALL</td><td>{@code syscall.function}, {@code syscall.slot} (auto),
 *     {@code syscall.name} (module name), {@code syscall.mode} (replace | exclusive)</td>
 *     <td>{@code long fn(long, long, long, long, long, long)} (fewer arguments are fine)</td></tr>
 * <tr><td>DRIVER</td><td>{@code driver.nodes} ({@code name:minor, ...}), {@code driver.major} (auto),
 *     {@code driver.type} (char | block), {@code driver.name} (module name)</td><td>—</td></tr>
 * <tr><td>VFS</td><td>{@code vfs.name} (module name)</td><td>—</td></tr>
 * <tr><td>EXEC</td><td>{@code exec.magic} (hex) and {@code exec.offset} (0), or {@code exec.function};
 *     {@code exec.name} (module name), {@code exec.priority} (first | any | last; any)</td>
 *     <td>{@code int fn(const unsigned char *header, unsigned long length)}: non-zero accepts</td></tr>
 * <tr><td>SECMODEL</td><td>{@code secmodel.function}, {@code secmodel.name} (module name)</td>
 *     <td>{@code int fn(long uid, const char *action, const char *object)}: 0 allow, 1 deny, 2 defer</td></tr>
 * <tr><td>MISC, ANY</td><td>nothing</td><td>—</td></tr>
 * </table>
 * A SYSCALL module with no {@code syscall.function}, or a SECMODEL one with no
 * {@code secmodel.function}, declares nothing and registers through the services itself.
 * Malformed values are EINVAL.
 */
public final class ClassHandler implements ModuleHandler {

    private final ModuleClass moduleClass;
    private final ModuleHandler own;
    private final SimulatedKernelServices services;

    ClassHandler(ModuleClass moduleClass, ModuleHandler own, SimulatedKernelServices services) {
        this.moduleClass = Objects.requireNonNull(moduleClass);
        this.own = Objects.requireNonNull(own);
        this.services = Objects.requireNonNull(services);
    }

    /** {@return the class whose registration this handler does} */
    public ModuleClass moduleClass() {
        return moduleClass;
    }

    @Override
    public void command(ModuleCommand command, ModuleContext ctx) throws ModuleException {
        SimulatedKernel kernel = services.kernel();
        String owner = ctx.name();
        switch (command) {
            case INIT -> {
                try {
                    services.runAs(owner, () -> own.command(command, ctx));
                    declare(ctx, kernel);
                } catch (ModuleException | RuntimeException e) {
                    try {
                        kernel.releaseAll(owner);
                    } catch (ModuleException suppressed) {
                        e.addSuppressed(suppressed);
                    }
                    throw e;
                }
            }
            case FINI -> {
                checkIdle(owner, kernel);
                services.runAs(owner, () -> own.command(command, ctx));
                kernel.releaseAll(owner);
            }
            case AUTOUNLOAD -> {
                checkIdle(owner, kernel);
                services.runAs(owner, () -> own.command(command, ctx));
            }
            case STAT -> {
                report(ctx, kernel);
                services.runAs(owner, () -> own.command(command, ctx));
            }
        }
    }

    /** EBUSY when unloading {@code owner} now would pull something in use from under its users. */
    private static void checkIdle(String owner, SimulatedKernel kernel) throws ModuleException {
        for (FileSystemTable.FsType t : kernel.fileSystems().types()) {
            if (t.owner().equals(owner) && kernel.fileSystems().mounts(t.name()) > 0) {
                throw new ModuleException(Errno.EBUSY, owner + ": file-system type " + t.name() + " has "
                        + kernel.fileSystems().mounts(t.name()) + " mount(s)");
            }
        }
        for (SyscallTable.Installation i : kernel.syscalls().installations(owner)) {
            if (kernel.syscalls().running(i) > 0) {
                throw new ModuleException(Errno.EBUSY, owner + ": system call " + i + " is running");
            }
        }
    }

    private void declare(ModuleContext ctx, SimulatedKernel kernel) throws ModuleException {
        Map<String, String> p = properties(ctx);
        String owner = ctx.name();
        switch (moduleClass) {
            case SYSCALL -> {
                String fn = p.get("syscall.function");
                if (fn != null) {
                    int slot = slot(owner, p.getOrDefault("syscall.slot", "auto"));
                    SyscallTable.Mode mode = choice(owner, "syscall.mode", p.getOrDefault("syscall.mode", "replace"),
                            SyscallTable.Mode.class);
                    Resolved<Syscall> r = services.resolveSyscall(ctx, fn);
                    kernel.syscalls().install(owner, slot, p.getOrDefault("syscall.name", owner), r.value(),
                            r.address(), mode);
                }
            }
            case DRIVER -> {
                String nodes = p.get("driver.nodes");
                int major = integer(owner, "driver.major", p.getOrDefault("driver.major", "-1"));
                DeviceNamespace.Type type = choice(owner, "driver.type", p.getOrDefault("driver.type", "char"),
                        DeviceNamespace.Type.class);
                String driver = p.getOrDefault("driver.name", owner);
                int m = kernel.devices().claimMajor(owner, type, major);
                if (nodes != null) {
                    for (String n : nodes.split(",")) {
                        String[] nm = n.strip().split(":");
                        if (nm.length != 2) {
                            throw new ModuleException(Errno.EINVAL, owner + ": driver.nodes entry \"" + n.strip()
                                    + "\" is not name:minor");
                        }
                        kernel.devices().make(owner, driver, nm[0].strip(), type, m,
                                integer(owner, "driver.nodes", nm[1].strip()));
                    }
                }
            }
            case VFS -> kernel.fileSystems().register(owner, p.getOrDefault("vfs.name", owner));
            case EXEC -> {
                ExecSwitch.Priority prio = choice(owner, "exec.priority", p.getOrDefault("exec.priority", "any"),
                        ExecSwitch.Priority.class);
                String name = p.getOrDefault("exec.name", owner);
                ExecSwitch.Recogniser rec;
                if (p.containsKey("exec.function")) {
                    rec = services.resolveRecogniser(ctx, p.get("exec.function")).value();
                } else if (p.containsKey("exec.magic")) {
                    byte[] magic;
                    try {
                        magic = HexFormat.of().parseHex(p.get("exec.magic").strip());
                    } catch (IllegalArgumentException e) {
                        throw new ModuleException(Errno.EINVAL, owner + ": exec.magic is not hex: " + p.get("exec.magic"));
                    }
                    if (magic.length == 0) {
                        throw new ModuleException(Errno.EINVAL, owner + ": exec.magic is empty");
                    }
                    rec = ExecSwitch.Recogniser.magic(integer(owner, "exec.offset", p.getOrDefault("exec.offset", "0")),
                            magic);
                } else {
                    throw new ModuleException(Errno.EINVAL, owner + ": an EXEC module needs exec.magic or exec.function");
                }
                kernel.exec().add(owner, name, prio, rec);
            }
            case SECMODEL -> {
                String fn = p.get("secmodel.function");
                if (fn != null) {
                    kernel.security().add(owner, p.getOrDefault("secmodel.name", owner),
                            services.resolveListener(ctx, fn).value());
                }
            }
            case MISC, ANY -> {
            }
        }
    }

    private static void report(ModuleContext ctx, SimulatedKernel kernel) {
        String owner = ctx.name();
        kernel.syscalls().installations(owner).forEach(i -> ctx.report("syscall." + i.entry().slot(), i.entry().name()));
        kernel.devices().nodes(owner).forEach(n -> ctx.report("dev." + n.path(), n.type() + " " + n.major() + "," + n.minor()));
        kernel.fileSystems().types().stream().filter(t -> t.owner().equals(owner))
                .forEach(t -> ctx.report("vfs." + t.name(), "mounts=" + kernel.fileSystems().mounts(t.name())));
        kernel.exec().interpreters().stream().filter(i -> i.owner().equals(owner))
                .forEach(i -> ctx.report("exec." + i.name(), i.priority().name().toLowerCase(Locale.ROOT)));
        kernel.security().models().stream().filter(m -> m.owner().equals(owner))
                .forEach(m -> ctx.report("secmodel." + m.name(), "added"));
    }

    /** The module's metadata keys (first value each), under the load's properties. */
    static Map<String, String> properties(ModuleContext ctx) {
        Map<String, String> p = new HashMap<>();
        for (Map.Entry<String, List<String>> e : ctx.metadata().raw().entrySet()) {
            if (!e.getValue().isEmpty()) {
                p.put(e.getKey(), e.getValue().getFirst());
            }
        }
        p.putAll(ctx.properties());
        return p;
    }

    private static int slot(String owner, String v) throws ModuleException {
        return v.strip().equalsIgnoreCase("auto") ? SyscallTable.AUTO : integer(owner, "syscall.slot", v);
    }

    private static int integer(String owner, String key, String v) throws ModuleException {
        try {
            return Integer.decode(v.strip());
        } catch (NumberFormatException e) {
            throw new ModuleException(Errno.EINVAL, owner + ": " + key + " is not a number: " + v);
        }
    }

    private static <E extends Enum<E>> E choice(String owner, String key, String v, Class<E> type)
            throws ModuleException {
        try {
            return Enum.valueOf(type, v.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ModuleException(Errno.EINVAL, owner + ": " + key + " is not one of "
                    + List.of(type.getEnumConstants()) + ": " + v);
        }
    }

    /** A function found for a property: the Java value, and the native address when it is native code. */
    record Resolved<T>(T value, OptionalLong address) {
    }

    @Override
    public String toString() {
        return moduleClass + " handler around " + own;
    }
}
