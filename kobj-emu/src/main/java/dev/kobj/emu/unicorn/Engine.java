package dev.kobj.emu.unicorn;

import dev.kobj.emu.EmuException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodType;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * One {@code uc_engine}: one CPU and its guest memory. Not thread-safe: one thread drives it, and
 * hooks run on that thread inside {@link #start}. Hook callbacks never let a Java exception reach
 * Unicorn (an exception thrown through an upcall ends the JVM): a callback that throws stops the
 * emulation and the throwable is kept for {@link #takeHookFailure}.
 */
public final class Engine implements AutoCloseable {

    /** UC_HOOK_CODE / UC_HOOK_BLOCK callback. */
    @FunctionalInterface
    public interface CodeHook {
        /** Called before the instruction (or block) at {@code address} of {@code size} bytes runs. */
        void hit(long address, int size) throws Exception;
    }

    /** UC_HOOK_MEM_INVALID callback; returns false: the access is not fixed, the emulation stops. */
    @FunctionalInterface
    public interface MemHook {
        /** A faulting access of {@code type} (Unicorn.MEM_*) at {@code address}. */
        void fault(int type, long address, int size, long value) throws Exception;
    }

    /** UC_HOOK_INTR callback (x86 {@code int}/{@code ud2}? no: interrupts and CPU exceptions). */
    @FunctionalInterface
    public interface IntrHook {
        /** Interrupt or exception number {@code intno}. */
        void interrupt(int intno) throws Exception;
    }

    private final Unicorn uc;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment handle;
    private final MemorySegment scratch;
    private Throwable hookFailure;
    private boolean closed;

    /**
     * Opens a CPU of {@code arch} in {@code mode} (Unicorn constants).
     *
     * @throws EmuException when uc_open fails
     */
    public Engine(int arch, int mode) throws EmuException {
        this.uc = Unicorn.get();
        MemorySegment out = arena.allocate(ADDRESS);
        int err = call(() -> (int) uc.open.invokeExact(arch, mode, out));
        if (err != 0) {
            arena.close();
            throw new EmuException("uc_open(" + arch + ", " + mode + "): " + uc.strerror(err));
        }
        this.handle = out.get(ADDRESS, 0);
        this.scratch = arena.allocate(64, 16);
    }

    @FunctionalInterface
    private interface Native {
        int run() throws Throwable;
    }

    private static int call(Native n) {
        try {
            return n.run();
        } catch (Error | RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    private void open() throws EmuException {
        if (closed) {
            throw new EmuException("the emulated machine is closed");
        }
    }

    private void check(int err, String what) throws EmuException {
        if (err != 0) {
            throw new EmuException(what + ": " + uc.strerror(err));
        }
    }

    /** {@return uc_strerror's text for {@code code}} */
    public String strerror(int code) {
        return uc.strerror(code);
    }

    /** uc_mem_map: guest memory that Unicorn owns, zero-filled. */
    public void map(long address, long size, int perms) throws EmuException {
        open();
        check(call(() -> (int) uc.memMap.invokeExact(handle, address, size, perms)),
                String.format("uc_mem_map(0x%x, 0x%x)", address, size));
    }

    /** uc_mem_map_ptr: {@code host} (page-aligned, a page multiple) becomes guest memory at {@code address}. */
    public void mapPtr(long address, MemorySegment host, int perms) throws EmuException {
        open();
        check(call(() -> (int) uc.memMapPtr.invokeExact(handle, address, host.byteSize(), perms, host)),
                String.format("uc_mem_map_ptr(0x%x, 0x%x)", address, host.byteSize()));
    }

    /** uc_mem_unmap. */
    public void unmap(long address, long size) throws EmuException {
        open();
        check(call(() -> (int) uc.memUnmap.invokeExact(handle, address, size)),
                String.format("uc_mem_unmap(0x%x, 0x%x)", address, size));
    }

    /** uc_mem_protect. */
    public void protect(long address, long size, int perms) throws EmuException {
        open();
        check(call(() -> (int) uc.memProtect.invokeExact(handle, address, size, perms)),
                String.format("uc_mem_protect(0x%x, 0x%x, %d)", address, size, perms));
    }

    /** uc_mem_read into a new array; false-free: throws when any byte is unmapped. */
    public byte[] read(long address, int length) throws EmuException {
        open();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment buf = a.allocate(Math.max(length, 1));
            check(call(() -> (int) uc.memRead.invokeExact(handle, address, buf, (long) length)),
                    String.format("read of %d bytes at 0x%x", length, address));
            return buf.asSlice(0, length).toArray(JAVA_BYTE);
        }
    }

    /** uc_mem_write. */
    public void write(long address, byte[] bytes) throws EmuException {
        open();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment buf = a.allocate(Math.max(bytes.length, 1));
            MemorySegment.copy(bytes, 0, buf, JAVA_BYTE, 0, bytes.length);
            check(call(() -> (int) uc.memWrite.invokeExact(handle, address, buf, (long) bytes.length)),
                    String.format("write of %d bytes at 0x%x", bytes.length, address));
        }
    }

    /** {@return the 64-bit register {@code regid}} (uc_reg_read) */
    public long reg(int regid) throws EmuException {
        open();
        scratch.set(JAVA_LONG, 0, 0);
        check(call(() -> (int) uc.regRead.invokeExact(handle, regid, scratch)), "uc_reg_read(" + regid + ")");
        return scratch.get(JAVA_LONG, 0);
    }

    /** Sets the 64-bit register {@code regid} (uc_reg_write). */
    public void reg(int regid, long value) throws EmuException {
        open();
        scratch.set(JAVA_LONG, 0, value);
        check(call(() -> (int) uc.regWrite.invokeExact(handle, regid, scratch)), "uc_reg_write(" + regid + ")");
    }

    /** UC_HOOK_CODE (or UC_HOOK_BLOCK when {@code block}) on {@code [begin, end]}. */
    public long hookCode(boolean block, long begin, long end, CodeHook hook) throws EmuException {
        MethodHandle mh = virtual("onCode",
                MethodType.methodType(void.class, CodeHook.class, MemorySegment.class, long.class, int.class,
                        MemorySegment.class)).bindTo(this).bindTo(hook);
        return add(block ? Unicorn.HOOK_BLOCK : Unicorn.HOOK_CODE, Unicorn.upcall(mh, Unicorn.CODE_HOOK, arena),
                begin, end);
    }

    /** UC_HOOK_MEM_UNMAPPED | UC_HOOK_MEM_PROT over all memory. */
    public long hookMemInvalid(MemHook hook) throws EmuException {
        MethodHandle mh = virtual("onMem",
                MethodType.methodType(boolean.class, MemHook.class, MemorySegment.class, int.class, long.class,
                        int.class, long.class, MemorySegment.class)).bindTo(this).bindTo(hook);
        return add(Unicorn.HOOK_MEM_UNMAPPED | Unicorn.HOOK_MEM_PROT, Unicorn.upcall(mh, Unicorn.MEM_HOOK, arena),
                1, 0);
    }

    /** UC_HOOK_INTR: interrupts and CPU exceptions ({@code brk}, {@code ebreak}, {@code int3}...). */
    public long hookIntr(IntrHook hook) throws EmuException {
        MethodHandle mh = virtual("onIntr",
                MethodType.methodType(void.class, IntrHook.class, MemorySegment.class, int.class, MemorySegment.class))
                .bindTo(this).bindTo(hook);
        return add(Unicorn.HOOK_INTR, Unicorn.upcall(mh, Unicorn.INTR_HOOK, arena), 1, 0);
    }

    /** UC_HOOK_INSN_INVALID: {@code hook} runs, then the emulation stops with UC_ERR_INSN_INVALID. */
    public long hookInvalidInstruction(Runnable hook) throws EmuException {
        MethodHandle mh = virtual("onInvalid",
                MethodType.methodType(boolean.class, Runnable.class, MemorySegment.class, MemorySegment.class))
                .bindTo(this).bindTo(hook);
        return add(Unicorn.HOOK_INSN_INVALID, Unicorn.upcall(mh, Unicorn.INSN_INVALID_HOOK, arena), 1, 0);
    }

    private static MethodHandle virtual(String name, MethodType type) {
        try {
            return java.lang.invoke.MethodHandles.lookup().findVirtual(Engine.class, name, type);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private long add(int type, MemorySegment callback, long begin, long end) throws EmuException {
        MemorySegment hh = arena.allocate(JAVA_LONG);
        check(call(() -> (int) uc.hookAdd.invokeExact(handle, hh, type, callback, MemorySegment.NULL, begin, end)),
                "uc_hook_add(type " + type + ")");
        return hh.get(JAVA_LONG, 0);
    }

    /** uc_hook_del. */
    public void unhook(long hook) throws EmuException {
        check(call(() -> (int) uc.hookDel.invokeExact(handle, hook)), "uc_hook_del");
    }

    @SuppressWarnings("unused")
    private void onCode(CodeHook hook, MemorySegment engine, long address, int size, MemorySegment user) {
        try {
            hook.hit(address, size);
        } catch (Throwable t) {
            fail(t);
        }
    }

    @SuppressWarnings("unused")
    private boolean onMem(MemHook hook, MemorySegment engine, int type, long address, int size, long value,
            MemorySegment user) {
        try {
            hook.fault(type, address, size, value);
        } catch (Throwable t) {
            fail(t);
        }
        return false;
    }

    @SuppressWarnings("unused")
    private void onIntr(IntrHook hook, MemorySegment engine, int intno, MemorySegment user) {
        try {
            hook.interrupt(intno);
        } catch (Throwable t) {
            fail(t);
        }
    }

    @SuppressWarnings("unused")
    private boolean onInvalid(Runnable hook, MemorySegment engine, MemorySegment user) {
        try {
            hook.run();
        } catch (Throwable t) {
            fail(t);
        }
        return false;
    }

    private void fail(Throwable t) {
        if (hookFailure == null) {
            hookFailure = t;
        }
        stop();
    }

    /** {@return the first throwable a hook raised since the last call, or null}; clears it */
    public Throwable takeHookFailure() {
        Throwable t = hookFailure;
        hookFailure = null;
        return t;
    }

    /**
     * uc_emu_start: runs from {@code begin} until the PC reaches {@code until}, at most
     * {@code timeoutMicros} (0: no limit) and {@code count} instructions (0: no limit).
     *
     * @return uc_err: 0 when stopped normally (reached {@code until}, count, timeout or uc_emu_stop)
     */
    public int start(long begin, long until, long timeoutMicros, long count) {
        return call(() -> (int) uc.emuStart.invokeExact(handle, begin, until, timeoutMicros, count));
    }

    /** uc_emu_stop; callable from a hook. */
    public void stop() {
        call(() -> (int) uc.emuStop.invokeExact(handle));
    }

    /** uc_close, then the upcall stubs are freed; safe to call twice. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            call(() -> (int) uc.close.invokeExact(handle));
            arena.close();
        }
    }
}
