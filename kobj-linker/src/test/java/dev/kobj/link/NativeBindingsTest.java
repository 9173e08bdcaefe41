package dev.kobj.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The addresses NativeBindings hands out are real C functions: called here through downcalls. */
class NativeBindingsTest {

    private static MethodHandle call(long address, FunctionDescriptor fd) {
        return Linker.nativeLinker().downcallHandle(MemorySegment.ofAddress(address), fd);
    }

    @Test
    void libcFunctionsAreLibcs() throws Throwable {
        try (NativeBindings b = new NativeBindings().libc("strlen", "memset").libcAs("kmalloc", "malloc");
                Arena arena = Arena.ofConfined()) {
            assertThat(b.addresses()).containsOnlyKeys("strlen", "memset", "kmalloc");
            MethodHandle strlen = call(b.addresses().get("strlen"),
                    FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.ADDRESS));
            assertThat((long) strlen.invokeExact(arena.allocateFrom("kobj-run"))).isEqualTo(8);
        }
        assertThatThrownBy(() -> new NativeBindings().libc("kobj_no_such_function_in_libc"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("kobj_no_such_function_in_libc");
    }

    @Test
    void printkCollectsTheFormatString() throws Throwable {
        List<String> log = new ArrayList<>();
        try (NativeBindings b = new NativeBindings().printk(log::add); Arena arena = Arena.ofConfined()) {
            // called as C calls a variadic function: the extra arguments are ignored
            MethodHandle printk = Linker.nativeLinker().downcallHandle(MemorySegment.ofAddress(b.addresses().get("printk")),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT),
                    Linker.Option.firstVariadicArg(1));
            int n = (int) printk.invokeExact(arena.allocateFrom("kobj: value=%d\n"), 42);
            assertThat(n).isEqualTo("kobj: value=%d\n".length());
        }
        assertThat(log).containsExactly("kobj: value=%d\n");
    }

    static long twice(long v) {
        if (v < 0) {
            throw new IllegalStateException("negative " + v);
        }
        return 2 * v;
    }

    @Test
    void upcallExceptionsNeverReachC() throws Throwable {
        List<Throwable> errors = new ArrayList<>();
        MethodHandle target = MethodHandles.lookup().findStatic(NativeBindingsTest.class, "twice",
                MethodType.methodType(long.class, long.class));
        FunctionDescriptor fd = FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG);
        try (NativeBindings b = new NativeBindings().onError(errors::add).upcall("twice", target, fd)) {
            MethodHandle h = call(b.addresses().get("twice"), fd);
            assertThat((long) h.invokeExact(21L)).isEqualTo(42);
            assertThat((long) h.invokeExact(-1L)).isZero();
        }
        assertThat(errors).singleElement().satisfies(t -> assertThat(t).hasMessage("negative -1"));
    }

    @Test
    void closeTwiceIsHarmless() {
        NativeBindings b = new NativeBindings().printk(s -> { });
        b.close();
        b.close();
    }
}
