package dev.kobj.cli.kernel;

import dev.kobj.testkit.Kernels;
import dev.kobj.testkit.Tools;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;

/**
 * One Debian kernel fetched by {@code scripts/fetch-kernels.sh}: {@code kernels/<release>/} holding
 * vmlinuz, System.map, config, Module.symvers, the module tree under lib/modules/<release>, a
 * static busybox of the kernel's architecture and the KERNEL key=value file.
 *
 * @param dir     the kernel's directory
 * @param arch    Debian architecture (amd64, arm64)
 * @param release the kernel release (uname -r), e.g. 6.1.0-57-amd64
 * @param series  6.1 or 6.12
 * @param version the Debian package version
 */
public record KernelImage(Path dir, String arch, String release, String series, String version) {

    /** {@return the kernels directory: system property kobj.kernels, else ../kernels ({@link Kernels})} */
    public static Path root() {
        return Kernels.root();
    }

    /**
     * {@return the kernel of {@code series}/{@code arch}, its qemu-system checked}: when either is
     * missing the test says plainly that it skipped, or fails under CI (the outside-tool rule,
     * {@link Tools#skip})
     */
    public static KernelImage require(String series, String arch) {
        Optional<KernelImage> k = find(series, arch);
        if (k.isEmpty()) {
            Tools.skip("Debian kernel " + series + " " + arch + " not fetched into " + root()
                    + " (run scripts/fetch-kernels.sh)");
        }
        Tools.require(k.orElseThrow().qemu());
        return k.get();
    }

    /** {@return the kernel of {@code series} ("6.1", "6.12") for {@code arch} under {@link #root()}, if fetched} */
    public static Optional<KernelImage> find(String series, String arch) {
        Path root = root();
        if (!Files.isDirectory(root)) {
            return Optional.empty();
        }
        try (var dirs = Files.list(root)) {
            return dirs.map(d -> d.resolve("KERNEL")).filter(Files::isRegularFile).map(KernelImage::read)
                    .filter(k -> k.series.equals(series) && k.arch.equals(arch))
                    .filter(k -> Files.isRegularFile(k.vmlinuz()) && Files.isRegularFile(k.busybox()))
                    .sorted((a, b) -> b.release.compareTo(a.release)).findFirst();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static KernelImage read(Path kernelFile) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(kernelFile)) {
            p.load(r);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return new KernelImage(kernelFile.getParent(), p.getProperty("arch"), p.getProperty("release"),
                p.getProperty("series"), p.getProperty("version"));
    }

    public Path vmlinuz() {
        return dir.resolve("vmlinuz");
    }

    public Path systemMap() {
        return dir.resolve("System.map");
    }

    public Path symvers() {
        return dir.resolve("Module.symvers");
    }

    public Path busybox() {
        return dir.resolve("busybox");
    }

    public Path modules() {
        return dir.resolve("lib/modules").resolve(release);
    }

    /** {@return the ELF machine name used by testdata (x86_64, aarch64)} */
    public String machine() {
        return arch.equals("arm64") ? "aarch64" : "x86_64";
    }

    /** {@return the static kload helper of testdata for this kernel's architecture} */
    public Path kload(Path testdata) {
        return testdata.resolve("kernel/kload-" + machine());
    }

    /** {@return the qemu-system binary of this architecture} */
    public String qemu() {
        return arch.equals("arm64") ? "qemu-system-aarch64" : "qemu-system-x86_64";
    }

    /** {@return whether modules of this kernel use 6.4+ mod_mem (one allocation per memory type)} */
    public boolean modMem() {
        String[] v = series.split("\\.");
        int major = Integer.parseInt(v[0]);
        int minor = Integer.parseInt(v[1]);
        return major > 6 || (major == 6 && minor >= 4);
    }

    @Override
    public String toString() {
        return release;
    }
}
