package dev.kobj.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One line of testdata/objects.tsv: {@code <path> <readelf> <arch> <description>}.
 *
 * @param path        relative to testdata/
 * @param readelf     the readelf of the object's binutils
 * @param arch        x86_64, aarch64, aarch64_be, aarch64_ilp32, aarch64_be_ilp32, riscv64, riscv32
 * @param description what the object covers
 */
public record Fixture(String path, String readelf, String arch, String description) {

    /** {@return every line of objects.tsv, in order} */
    public static List<Fixture> all() {
        List<Fixture> out = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(Testdata.path("objects.tsv"))) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split("\t", 4);
                out.add(new Fixture(f[0], f[1], f[2], f.length > 3 ? f[3] : ""));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** {@return the object's file} */
    public Path file() {
        return Testdata.path(path);
    }

    /** {@return obj/<variant>/ gives the variant; multi/<arch> and special/ give "multi-<arch>" / "special"} */
    public String variant() {
        String[] p = path.split("/");
        if (p[0].equals("obj") && p[1].equals("multi")) {
            return "multi-" + p[2];
        }
        return p[0].equals("obj") ? p[1] : "special";
    }

    /** {@return the architecture family: x86_64, aarch64 or riscv} */
    public String family() {
        if (arch.startsWith("aarch64")) {
            return "aarch64";
        }
        if (arch.startsWith("riscv")) {
            return "riscv";
        }
        return arch;
    }

    /** {@return true for the x86-64 objects built for the kernel code model (R_X86_64_32S)} */
    public boolean x86KernelModel() {
        return arch.equals("x86_64") && (path.contains("-kernel/") || path.startsWith("obj/multi/x86_64")
                || path.startsWith("special/module") || path.startsWith("special/debug"));
    }

    /** {@return true for the thread-local-storage objects (no module may use TLS)} */
    public boolean tls() {
        return path.contains("-tls.");
    }

    @Override
    public String toString() {
        return path;
    }
}
