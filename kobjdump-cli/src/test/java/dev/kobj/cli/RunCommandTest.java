package dev.kobj.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kobj.emu.Machine;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code kobjdump run} on testdata's run_module.o with the C shim emu_shim.o giving kobj_report:
 * the console is what src/run_module.c prints (its header comment lists the events), init's and
 * exit's results follow, --trace calls shows the kernel functions with their arguments, --json
 * the same as data. Without libunicorn the test skips (fails under CI=true).
 */
class RunCommandTest {

    @BeforeAll
    static void unicorn() {
        Machine.unavailable().ifPresent(dev.kobj.testkit.Tools::skip);
    }

    static String[] args(String variant, String... extra) {
        String dir = KobjDumpCliTest.fixture("run/" + variant).toString();
        String[] fixed = {"run", "--object", dir + "/emu_shim.o", "--exit"};
        String[] all = new String[fixed.length + extra.length + 1];
        System.arraycopy(fixed, 0, all, 0, fixed.length);
        System.arraycopy(extra, 0, all, fixed.length, extra.length);
        all[all.length - 1] = dir + "/run_module.o";
        return all;
    }

    @Test
    void printsTheConsoleAndTheResultsOnEveryCpu() {
        for (String variant : new String[] {"x86_64-gcc-kernel", "aarch64-small", "riscv64-medany-norelax"}) {
            KobjDumpCliTest.Run r = KobjDumpCliTest.ok(args(variant));
            assertThat(r.out().lines().toList()).as(variant).containsExactly(
                    "run_module: init", "report ops=37", "report one=1", "report calls=4", "report strlen=8",
                    "run_module: buf=kkkk-obj", "report switch=208", "report weak=0", "report total=1245",
                    "init_module: returned 0", "run_module: exit calls=4", "cleanup_module: returned");
        }
    }

    @Test
    void traceAndJson() {
        KobjDumpCliTest.Run r = KobjDumpCliTest.ok(args("aarch64-small", "--trace", "calls"));
        // kmalloc(64, ...) (the handler reads the size only) then memset(buf, 'k', 63), as run_module.c calls them
        assertThat(r.out()).containsPattern("\\[call\\] kmalloc\\(0x40\\) = 0x[0-9a-f]+ from run_module_init\\+0x")
                .containsPattern("\\[call\\] memset\\(0x[0-9a-f]+, 0x6b, 0x3f\\)");
        KobjDumpCliTest.Run j = KobjDumpCliTest.ok(args("riscv64-medany-norelax", "--json"));
        assertThat(j.out()).startsWith("{\"module\":").contains("\"cpu\":\"riscv64\"")
                .contains("{\"level\":-1,\"text\":\"report total=1245\"}")
                .contains("{\"function\":\"init_module\",\"completed\":true,\"returned\":0");
    }

    @Test
    void aStoppedRunExitsWith3() {
        String f = KobjDumpCliTest.fixture("run/x86_64-gcc-kernel/emu_faults.o").toString();
        KobjDumpCliTest.Run r = KobjDumpCliTest.run("run", "--init", "fault_unhandled", f);
        assertThat(r.rc()).isEqualTo(3);
        assertThat(r.out()).contains("fault_unhandled: unhandled kernel function kobj_no_such_function(0x1, 0x2, 0x3");
    }
}
