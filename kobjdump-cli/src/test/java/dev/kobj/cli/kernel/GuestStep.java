package dev.kobj.cli.kernel;

import java.util.List;

/** One thing the guest's init does, in order; each leaves a record on the console. */
public sealed interface GuestStep {
    /** finit_module of the initramfs file {@code file} with {@code params}: record "load NAME". */
    record Load(String name, String file, String params) implements GuestStep {
    }

    /** delete_module(name, O_NONBLOCK): record "unload NAME". */
    record Unload(String name) implements GuestStep {
    }

    /**
     * sysfs of a loaded module (every section address, coresize, initsize, refcnt, holders) and
     * the bytes of the named sections read from /proc/kcore: record "dump NAME".
     */
    record Dump(String name, List<Peek> peeks) implements GuestStep {
    }

    /** /proc/modules and the module lines of /proc/kallsyms: records "modules LABEL", "kallsyms LABEL". */
    record Snapshot(String label) implements GuestStep {
    }

    /** Bytes of section {@code section} (its sysfs address), {@code length} long. */
    record Peek(String section, long length) {
    }
}
