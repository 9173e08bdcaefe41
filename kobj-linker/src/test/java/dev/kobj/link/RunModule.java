package dev.kobj.link;

import dev.kobj.testkit.Testdata;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What testdata/src/run_module.c does, restated from its C source (not from kobj): the calls its
 * init makes, in order, and the values it computes. Each value is the C expression evaluated
 * again in Java (the same int arithmetic).
 */
final class RunModule {

    private RunModule() {
    }

    /** {@code .modinfo} vermagic of the fixture (kobj_module.h VERMAGIC). */
    static final String VERMAGIC = "6.1.0 SMP mod_unload modversions ";
    /** kobj_module.h GFP_KERNEL. */
    static final int GFP_KERNEL = 0xcc0;

    /** {@code run_ops[i](run_seed[i], i + 1)} summed: add(3,1) + sub(5,2) + mul(7,3) + max(9,4). */
    static final int OPS = (3 + 1) + (5 - 2) + (7 * 3) + Math.max(9, 4);

    /** The C {@code classify(v, a)}. */
    static int classify(int v, int a) {
        return switch (v) {
            case 0 -> a + 3;
            case 1 -> a * 5;
            case 2 -> a ^ 0x55;
            case 3 -> a << 2;
            case 4 -> a - 7;
            case 5 -> (a * a) % 11;
            case 6 -> a / 3;
            case 7 -> ~a;
            default -> -1000;
        };
    }

    /** {@code sum of classify(i, i + 10), i = 0..7}. */
    static final int SWITCH = switchSum();

    /** {@code run_total}: 1000 + ops + switch, returned by run_module_result(). */
    static final int TOTAL = 1000 + OPS + SWITCH;

    /** {@code run_calls} after init: one per op. */
    static final int CALLS = 4;

    private static int switchSum() {
        int s = 0;
        for (int i = 0; i < 8; i++) {
            s += classify(i, i + 10);
        }
        return s;
    }

    /**
     * The events of init_module, one line each, as run_host.c prints them; {@code printk} lines
     * show the format string when {@code formatted} is false (the in-process upcall does not
     * format) and the formatted text when true (the host program's vprintf).
     */
    static List<String> initEvents(boolean formatted) {
        String[] names = {"zero", "one", "two", "three"};
        List<String> e = new ArrayList<>();
        e.add("printk: run_module: init\n");
        e.add("report ops=" + OPS);
        e.add("report " + names[OPS & 3] + "=" + (OPS & 3));
        e.add("report calls=" + CALLS);
        e.add("kmalloc 64 0x" + Integer.toHexString(GFP_KERNEL) + " -> ok");
        // memset(buf, 'k', 63); buf[63] = 0; memcpy(buf + 4, "-obj", 5)
        String buf = "kkkk" + "-obj";
        e.add("report strlen=" + buf.length());
        e.add("printk: run_module: buf=" + (formatted ? buf : "%s") + "\n");
        e.add("kfree ok");
        e.add("report switch=" + SWITCH);
        e.add("report weak=0");
        e.add("kmalloc 16 0x" + Integer.toHexString(GFP_KERNEL) + " -> ok");
        e.add("kfree ok");
        e.add("report total=" + TOTAL);
        return e;
    }

    /** {@return the exit function's printk line} */
    static String exitEvent(boolean formatted) {
        return "printk: run_module: exit calls=" + (formatted ? String.valueOf(CALLS) : "%d") + "\n";
    }

    /** {@return testdata/run/VARIANT/run_module.o} */
    static Path object(String variant) {
        return Testdata.root().resolve("run").resolve(variant).resolve("run_module.o");
    }
}
