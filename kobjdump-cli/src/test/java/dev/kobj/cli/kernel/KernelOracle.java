package dev.kobj.cli.kernel;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.tukaani.xz.XZInputStream;

/**
 * The real Linux kernel as an oracle: boots a {@link KernelImage} under qemu-system (TCG, 1 GiB,
 * {@code nokaslr}) with an initramfs of busybox, testdata's static {@code kload} and the modules
 * under test, runs {@link GuestStep}s and returns what the kernel reported.
 *
 * <p>The host is the watchdog: a boot that does not finish in its time budget is killed; the
 * load under way (the last START marker without its record) is reported in
 * {@link GuestReport#lost} and the run is repeated without it and what needs it.
 */
public final class KernelOracle {
    private final KernelImage kernel;
    private final Path testdata;
    private final Path work;
    private final ModuleTree tree;
    private int loadSeconds = 20;

    public KernelOracle(KernelImage kernel, Path testdata, Path work) {
        this.kernel = kernel;
        this.testdata = testdata;
        this.work = work;
        this.tree = new ModuleTree(kernel.modules());
    }

    public ModuleTree tree() {
        return tree;
    }

    public KernelImage kernel() {
        return kernel;
    }

    /** A file for the initramfs, from the host (decompressed when it ends in .xz, .gz or .zst). */
    public record GuestFile(String path, byte[] data) {
    }

    /** {@return the bytes of a module file, decompressed} */
    public static byte[] moduleBytes(Path file) throws IOException {
        byte[] raw = Files.readAllBytes(file);
        String n = file.getFileName().toString();
        if (n.endsWith(".xz")) {
            try (InputStream in = new XZInputStream(new ByteArrayInputStream(raw))) {
                return in.readAllBytes();
            }
        }
        if (n.endsWith(".gz")) {
            try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(raw))) {
                return in.readAllBytes();
            }
        }
        if (n.endsWith(".zst")) {
            return com.github.luben.zstd.Zstd.decompress(raw, (int) com.github.luben.zstd.Zstd.getFrameContentSize(raw));
        }
        return raw;
    }

    /**
     * Boots once and runs {@code steps}. {@code files} are added to the initramfs (modules under
     * /m/NAME.ko by convention). {@code cmdline} is appended to the kernel command line.
     */
    public GuestReport boot(List<GuestStep> steps, List<GuestFile> files, String cmdline) throws IOException,
            InterruptedException {
        GuestReport report = new GuestReport();
        bootInto(report, steps, files, cmdline);
        return report;
    }

    private ConsoleRecords bootInto(GuestReport report, List<GuestStep> steps, List<GuestFile> files, String cmdline)
            throws IOException, InterruptedException {
        Files.createDirectories(work);
        // Development only (-Dkobj.kernel.reuse=true): a boot with the same steps and command line
        // as a kept one is not repeated; its console is parsed again.
        boolean reuse = Boolean.getBoolean("kobj.kernel.reuse");
        String key = Integer.toHexString((kernel.release() + steps + cmdline).hashCode());
        Path kept = work.resolve("kept-" + key + ".log");
        if (reuse && Files.isRegularFile(kept)) {
            List<String> l = Files.readAllLines(kept, java.nio.charset.StandardCharsets.ISO_8859_1);
            ConsoleRecords r = ConsoleRecords.parse(String.join("\n", l.subList(1, l.size())), l.getFirst());
            report.boots++;
            report.add(r);
            return r;
        }
        byte[] n = new byte[8];
        new SecureRandom().nextBytes(n);
        String nonce = HexFormat.of().formatHex(n);
        Path initrd = work.resolve("initrd-" + nonce + ".cpio.gz");
        try (OutputStream o = Files.newOutputStream(initrd); Cpio cpio = new Cpio(o)) {
            cpio.file("init", GuestScript.of(nonce, steps, loadSeconds).getBytes(), 0755);
            cpio.file("bin/busybox", Files.readAllBytes(kernel.busybox()), 0755);
            cpio.file("bin/kload", Files.readAllBytes(kernel.kload(testdata)), 0755);
            cpio.dir("m");
            for (GuestFile f : files) {
                cpio.file(f.path(), f.data(), 0644);
            }
        }
        Path console = work.resolve("console-" + nonce + ".log");
        long loads = steps.stream().filter(s -> s instanceof GuestStep.Load).count();
        long budget = 120 + loads * (loadSeconds + 5L) + steps.size() * 3L;
        List<String> cmd = new ArrayList<>(List.of(kernel.qemu()));
        if (kernel.arch().equals("arm64")) {
            cmd.addAll(List.of("-M", "virt", "-cpu", "max,pauth-impdef=on"));
        } else {
            cmd.addAll(List.of("-accel", "tcg", "-cpu", "max"));
        }
        String tty = kernel.arch().equals("arm64") ? "ttyAMA0" : "ttyS0";
        cmd.addAll(List.of("-m", "1G", "-display", "none", "-monitor", "none", "-no-reboot",
                "-serial", "file:" + console, "-kernel", kernel.vmlinuz().toString(), "-initrd", initrd.toString(),
                "-append", "console=" + tty + " nokaslr panic=-1 quiet loglevel=1 " + cmdline));
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(work.resolve("qemu-" + nonce + ".log").toFile())
                .start();
        if (!p.waitFor(budget, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
        report.seconds += (System.nanoTime() - t0) / 1e9;
        report.boots++;
        String text = Files.exists(console) ? Files.readString(console, java.nio.charset.StandardCharsets.ISO_8859_1) : "";
        ConsoleRecords r = ConsoleRecords.parse(text, nonce);
        report.add(r);
        Files.deleteIfExists(initrd);
        if (reuse && r.done()) {
            Files.writeString(kept, nonce + "\n" + text, java.nio.charset.StandardCharsets.ISO_8859_1);
        }
        if (r.done()) {
            Files.deleteIfExists(console);
            Files.deleteIfExists(work.resolve("qemu-" + nonce + ".log"));
        }
        return r;
    }

    /**
     * Loads {@code targets} modprobe-like (each with its modules.dep dependencies and softdeps,
     * in order), then dumps every module that loaded, peeking the sections that {@code peeks}
     * names for it, takes a final snapshot "end", then tries to unload two modules that others
     * depend on ({@link #inUse}). A load that kills or hangs the guest is
     * reported lost and the run is repeated without it (at most 4 boots).
     */
    public GuestReport loadAll(List<String> targets, java.util.function.Function<String, List<GuestStep.Peek>> peeks,
            String cmdline) throws IOException, InterruptedException {
        GuestReport report = new GuestReport();
        Set<String> banned = new LinkedHashSet<>();
        for (int attempt = 0; attempt < 4; attempt++) {
            List<String> order = new ArrayList<>();
            Set<String> seen = new LinkedHashSet<>();
            for (String t : targets) {
                List<String> o = tree.loadOrder(t, new LinkedHashSet<>(seen));
                if (o.stream().anyMatch(banned::contains)) {
                    continue;
                }
                for (String m : o) {
                    if (seen.add(m)) {
                        order.add(m);
                    }
                }
            }
            List<GuestStep> steps = new ArrayList<>();
            List<GuestFile> files = new ArrayList<>();
            for (String m : order) {
                files.add(new GuestFile("m/" + m + ".ko", moduleBytes(tree.file(m))));
                steps.add(new GuestStep.Load(m, "/m/" + m + ".ko", ""));
            }
            for (String m : order) {
                steps.add(new GuestStep.Dump(m, peeks.apply(m)));
            }
            steps.add(new GuestStep.Snapshot("end"));
            for (String m : inUse(order)) {
                steps.add(new GuestStep.Unload(m));
            }
            report.loads.clear();
            report.dumps.clear();
            ConsoleRecords r = bootInto(report, steps, files, cmdline);
            if (r.done()) {
                return report;
            }
            String culprit = null;
            for (String s : r.started()) {
                if (!r.records().containsKey(s)) {
                    culprit = s.substring("load ".length());
                }
            }
            if (culprit == null) {
                return report;
            }
            report.lost.add(culprit);
            banned.add(culprit);
        }
        return report;
    }

    /** {@return up to two modules of {@code order} that a later one depends on: rmmod must find them in use} */
    public List<String> inUse(List<String> order) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < order.size() && out.size() < 2; i++) {
            String m = order.get(i);
            if (order.subList(i + 1, order.size()).stream().anyMatch(u -> tree.deps(u).contains(m))) {
                out.add(m);
            }
        }
        return out;
    }

    /** {@return each module's sections to peek: none} */
    public static List<GuestStep.Peek> noPeeks(String module) {
        return List.of();
    }

    /** For tests: how long a load may take before the guest gives up on it. */
    public KernelOracle loadSeconds(int s) {
        this.loadSeconds = s;
        return this;
    }

}
