package dev.kobj.reloc.oracle;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

/**
 * One line of testdata/objects.tsv: {@code <path> <readelf> <arch> <description>}.
 *
 * @param path        relative to testdata/
 * @param arch        x86_64, aarch64, aarch64_be, aarch64_ilp32, aarch64_be_ilp32, riscv64, riscv32
 * @param description what the object covers
 */
record Fixture(String path, String arch, String description) {

    static Path root() {
        String p = System.getProperty("kobj.testdata");
        Path dir = p != null ? Paths.get(p) : Paths.get("..", "testdata");
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException("testdata not found at " + dir.toAbsolutePath());
        }
        return dir;
    }

    static List<Fixture> all() {
        List<Fixture> out = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(root().resolve("objects.tsv"))) {
                if (line.isBlank()) {
                    continue;
                }
                String[] f = line.split("\t", 4);
                out.add(new Fixture(f[0], f[2], f.length > 3 ? f[3] : ""));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    Path file() {
        return root().resolve(path);
    }

    /** {@return obj/<variant>/ gives the variant; multi/<arch> and special/ give "multi-<arch>" / "special"} */
    String variant() {
        String[] p = path.split("/");
        if (p[0].equals("obj") && p[1].equals("multi")) {
            return "multi-" + p[2];
        }
        return p[0].equals("obj") ? p[1] : "special";
    }

    /** {@return the architecture family that names the summary: x86_64, aarch64 or riscv} */
    String family() {
        if (arch.startsWith("aarch64")) {
            return "aarch64";
        }
        if (arch.startsWith("riscv")) {
            return "riscv";
        }
        return arch;
    }

    /** {@return true for the x86-64 objects built for the kernel code model (R_X86_64_32S)} */
    boolean x86KernelModel() {
        return arch.equals("x86_64") && (path.contains("-kernel/") || path.startsWith("obj/multi/x86_64")
                || path.startsWith("special/module") || path.startsWith("special/debug"));
    }

    boolean tls() {
        return path.contains("-tls.");
    }

    @Override
    public String toString() {
        return path;
    }
}
