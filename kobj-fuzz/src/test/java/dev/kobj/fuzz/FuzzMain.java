package dev.kobj.fuzz;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The fuzz targets for Jazzer's standalone driver ({@code --target_class=dev.kobj.fuzz.FuzzMain},
 * the target chosen by {@code -Dkobj.fuzz.target=Class#method}), which scripts/fuzz.sh runs to
 * print libFuzzer's figures per target. The same methods are JUnit {@code @FuzzTest}s: regression
 * mode in every build, fuzzing mode with JAZZER_FUZZ=1.
 */
public final class FuzzMain {
    private FuzzMain() {
    }

    /** Every target, by the name of its {@code @FuzzTest} method. */
    static final Map<String, Consumer<byte[]>> TARGETS = new LinkedHashMap<>();

    static {
        TARGETS.put("ElfFuzzTest#parse", b -> new ElfFuzzTest().parse(b));
        TARGETS.put("LinkFuzzTest#x86_64", b -> new LinkFuzzTest().x86_64(b));
        TARGETS.put("LinkFuzzTest#aarch64", b -> new LinkFuzzTest().aarch64(b));
        TARGETS.put("LinkFuzzTest#riscv", b -> new LinkFuzzTest().riscv(b));
        TARGETS.put("SymtabFuzzTest#systemMap", b -> new SymtabFuzzTest().systemMap(b));
        TARGETS.put("SymtabFuzzTest#kallsyms", b -> new SymtabFuzzTest().kallsyms(b));
        TARGETS.put("SymtabFuzzTest#symvers", b -> new SymtabFuzzTest().symvers(b));
        TARGETS.put("DescriptorFuzzTest#modinfo", b -> new DescriptorFuzzTest().modinfo(b));
        TARGETS.put("DescriptorFuzzTest#properties", b -> new DescriptorFuzzTest().properties(b));
        TARGETS.put("DescriptorFuzzTest#plist", b -> new DescriptorFuzzTest().plist(b));
        TARGETS.put("SignatureFuzzTest#verify", b -> new SignatureFuzzTest().verify(b));
        TARGETS.put("SignatureFuzzTest#certificates", b -> new SignatureFuzzTest().certificates(b));
        TARGETS.put("DepmodFuzzTest#graph", b -> new DepmodFuzzTest().graph(b));
    }

    private static final Consumer<byte[]> TARGET = target();

    private static Consumer<byte[]> target() {
        String name = System.getProperty("kobj.fuzz.target", "");
        Consumer<byte[]> t = TARGETS.get(name);
        if (t == null) {
            throw new IllegalArgumentException("-Dkobj.fuzz.target=" + name + ": not one of " + TARGETS.keySet());
        }
        return t;
    }

    /** Jazzer's entry point: one input. */
    public static void fuzzerTestOneInput(byte[] data) {
        TARGET.accept(data);
    }
}
