package dev.kobj.emu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kobj.elf.ElfFile;
import dev.kobj.link.LoadedImage;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * ISSUE 10 item 4: testdata/src/emu_faults.c, built for the three CPUs, has one function per way
 * a run can end badly; each ends in the {@link Outcome} its C source says (the addresses come from
 * the source: 0x12345000, the const object, the guard page), the machine stays usable after each
 * (fault_ok still returns 42), and nothing reaches the JVM.
 */
class EmuFaultTest {

    @BeforeAll
    static void unicorn() {
        EmuTests.requireUnicorn();
    }

    @ParameterizedTest
    @ValueSource(strings = {"x86_64-gcc-kernel", "x86_64-clang-pic", "aarch64-small", "aarch64-large",
        "riscv64-medany-norelax"})
    void everyFaultIsReportedAndTheMachineGoesOn(String variant) throws Exception {
        Options.Builder options = Machine.options(Cpu.X86_64).maxInstructions(2_000_000);
        try (ElfFile elf = ElfFile.open(EmuExecutionTest.object(variant, "emu_faults.o"));
             Machine m = Machine.forObject(elf, options)) {
            LoadedImage img = m.load(elf);

            Outcome o = m.run(img, "fault_unmapped_read").outcome();
            assertThat(o).isInstanceOfSatisfying(Outcome.Fault.class, f -> {
                assertThat(f.kind()).startsWith("read of unmapped memory");
                assertThat(f.address()).isEqualTo(0x12345000L);
                assertThat(f.symbol()).startsWith("fault_unmapped_read+");
                assertThat(f.instruction()).isNotEmpty();
            });

            // page 0 is unmapped on every CPU (x86-64: the stack canary is at %gs:40 in a per-CPU page)
            o = m.run(img, "fault_null_read").outcome();
            assertThat(o).isInstanceOfSatisfying(Outcome.Fault.class, f -> {
                assertThat(f.kind()).contains("read of unmapped memory");
                assertThat(f.address()).isZero();
                assertThat(f.symbol()).startsWith("fault_null_read+");
            });
            // x86_64-gcc-kernel: built with -fstack-protector-strong, the frame reads %gs:40 twice
            assertThat(m.run(img, "canary_frame", 21).outcome()).isEqualTo(new Outcome.Returned(42));

            long constant = img.symbol("fault_const").orElseThrow();
            o = m.run(img, "fault_rodata_write").outcome();
            assertThat(o).isInstanceOfSatisfying(Outcome.Fault.class, f -> {
                assertThat(f.kind()).startsWith("write to read-only memory");
                assertThat(f.address()).isEqualTo(constant + 4);
            });

            long code = img.symbol("fault_code").orElseThrow();
            o = m.run(img, "fault_exec_data").outcome();
            assertThat(o).isInstanceOfSatisfying(Outcome.Fault.class, f -> {
                assertThat(f.kind()).startsWith("fetch from non-executable memory");
                assertThat(f.pc()).isEqualTo(code);
                assertThat(f.symbol()).isEqualTo("fault_code+0x0");
            });

            o = m.run(img, "fault_trap").outcome();
            assertThat(o).isInstanceOfSatisfying(Outcome.Fault.class,
                    f -> assertThat(f.symbol()).startsWith("fault_trap+"));

            o = m.run(img, "fault_recurse").outcome();
            assertThat(o).isInstanceOfSatisfying(Outcome.Fault.class,
                    f -> assertThat(f.kind()).startsWith("stack overflow"));

            o = m.run(img, "fault_spin").outcome();
            assertThat(o).isEqualTo(new Outcome.BudgetExhausted(2_000_000));

            o = m.run(img, "fault_unhandled").outcome();
            assertThat(o).isInstanceOfSatisfying(Outcome.Unhandled.class, u -> {
                assertThat(u.name()).isEqualTo("kobj_no_such_function");
                assertThat(u.args().subList(0, 3)).containsExactly(1L, 2L, 3L);
                assertThat(u.callerSymbol()).startsWith("fault_unhandled+");
            });

            assertThat(m.run(img, "fault_ok").outcome()).isEqualTo(new Outcome.Returned(42));
            assertThat(m.run(img, "kallsyms_matches").outcome()).isEqualTo(new Outcome.Returned(1));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"x86_64-gcc-kernel", "aarch64-small", "riscv64-medany-norelax"})
    void handlersAreAnSpiUsersExtendAndOverride(String variant) throws Exception {
        // extend: the module's missing function answered by a handler reading its three arguments
        // override: kallsyms_lookup_name hides every symbol
        Handlers h = Handlers.standard()
                .put("kobj_no_such_function", c -> c.arg(0) * 100 + c.arg(1) * 10 + c.arg(2))
                .put("kallsyms_lookup_name", c -> 0);
        java.util.List<String> trace = new java.util.ArrayList<>();
        Options.Builder options = Machine.options(Cpu.X86_64).handlers(h).tracer(new Tracer() {
            @Override
            public void call(String name, long caller, long[] args, long result) {
                trace.add(name + java.util.Arrays.toString(args) + "=" + result);
            }
        });
        try (ElfFile elf = ElfFile.open(EmuExecutionTest.object(variant, "emu_faults.o"));
             Machine m = Machine.forObject(elf, options)) {
            LoadedImage img = m.load(elf);
            assertThat(m.run(img, "fault_unhandled").outcome()).isEqualTo(new Outcome.Returned(123 + 1));
            assertThat(m.run(img, "kallsyms_matches").outcome()).isEqualTo(new Outcome.Returned(0));
            assertThat(trace).startsWith("kobj_no_such_function[1, 2, 3]=123");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"x86_64-gcc-kernel", "aarch64-small", "riscv64-medany-norelax"})
    void wallClockLimitAndZeroForUnhandled(String variant) throws Exception {
        Options.Builder options = Machine.options(Cpu.X86_64).maxInstructions(0).timeout(Duration.ofMillis(300))
                .unhandledReturnsZero(true);
        try (ElfFile elf = ElfFile.open(EmuExecutionTest.object(variant, "emu_faults.o"));
             Machine m = Machine.forObject(elf, options)) {
            LoadedImage img = m.load(elf);
            assertThat(m.run(img, "fault_spin").outcome()).isInstanceOf(Outcome.TimedOut.class);
            // kobj_no_such_function(1, 2, 3) answered 0: the C returns 0 + 1
            assertThat(m.run(img, "fault_unhandled").outcome()).isEqualTo(new Outcome.Returned(1));
        }
    }
}
