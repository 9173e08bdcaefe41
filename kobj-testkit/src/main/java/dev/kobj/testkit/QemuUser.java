package dev.kobj.testkit;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * qemu-user (Debian's qemu-user-static), which runs programs of the architectures the host is
 * not: the oracle of execution for AArch64 and RISC-V code that kobj linked.
 */
public final class QemuUser {
    private QemuUser() {
    }

    /** {@return the qemu-user binary for {@code arch} ("aarch64", "riscv64") on PATH}, or skips (fails under CI) */
    public static Path binary(String arch) {
        String name = "qemu-" + arch + "-static";
        Tools.require(name);
        return Tools.find(name).orElseThrow();
    }

    /** {@return the run of {@code program args...} under qemu-user for {@code arch}} (stderr merged into stdout) */
    public static Tools.Run run(String arch, Path program, List<String> args, Duration timeout)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(binary(arch).toString(), program.toString()));
        cmd.addAll(args);
        return Tools.exec(cmd, null, true, timeout);
    }
}
