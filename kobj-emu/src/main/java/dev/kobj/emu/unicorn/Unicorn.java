package dev.kobj.emu.unicorn;

import dev.kobj.emu.EmulatorUnavailableException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BOOLEAN;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The Unicorn 2.0 C API ({@code unicorn/unicorn.h} of libunicorn-dev 2.0.1) as method handles, the
 * library found by name ({@code libunicorn.so.2}, then {@code libunicorn.so}). Only 2.0 entry
 * points are used (2.0.1 has no {@code uc_reg_read2} nor {@code uc_vmem_*}). The constants are
 * the header's enum values: {@code uc_arch}, {@code uc_mode}, {@code uc_prot}, {@code uc_hook_type},
 * {@code uc_err}.
 */
public final class Unicorn {

    /** uc_arch: UC_ARCH_ARM64, UC_ARCH_X86, UC_ARCH_RISCV. */
    public static final int ARCH_ARM64 = 2, ARCH_X86 = 4, ARCH_RISCV = 8;
    /** uc_mode: UC_MODE_ARM (little-endian AArch64), UC_MODE_64, UC_MODE_RISCV64. */
    public static final int MODE_ARM = 0, MODE_64 = 1 << 3, MODE_RISCV64 = 1 << 3;
    /** uc_prot. */
    public static final int PROT_READ = 1, PROT_WRITE = 2, PROT_EXEC = 4, PROT_ALL = 7;
    /** uc_hook_type bits. */
    public static final int HOOK_INTR = 1, HOOK_CODE = 1 << 2, HOOK_BLOCK = 1 << 3,
            HOOK_MEM_UNMAPPED = (1 << 4) | (1 << 5) | (1 << 6), HOOK_MEM_PROT = (1 << 7) | (1 << 8) | (1 << 9),
            HOOK_INSN_INVALID = 1 << 14;
    /** uc_mem_type of a UC_HOOK_MEM_* callback (UC_MEM_READ = 16 ...). */
    public static final int MEM_READ_UNMAPPED = 19, MEM_WRITE_UNMAPPED = 20, MEM_FETCH_UNMAPPED = 21,
            MEM_WRITE_PROT = 22, MEM_READ_PROT = 23, MEM_FETCH_PROT = 24;

    static final String LIBRARY = "libunicorn.so.2";

    private static final Linker C = Linker.nativeLinker();
    private static volatile Unicorn instance;
    private static volatile String missing;

    final MethodHandle open, close, errno, strerror, memMap, memMapPtr, memUnmap, memProtect, memRead, memWrite,
            regRead, regWrite, hookAdd, hookDel, emuStart, emuStop, version;

    private Unicorn(SymbolLookup lib) {
        open = down(lib, "uc_open", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS));
        close = down(lib, "uc_close", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        errno = down(lib, "uc_errno", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        strerror = down(lib, "uc_strerror", FunctionDescriptor.of(ADDRESS, JAVA_INT));
        memMap = down(lib, "uc_mem_map", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG, JAVA_INT));
        memMapPtr = down(lib, "uc_mem_map_ptr",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG, JAVA_INT, ADDRESS));
        memUnmap = down(lib, "uc_mem_unmap", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG));
        memProtect = down(lib, "uc_mem_protect",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG, JAVA_INT));
        memRead = down(lib, "uc_mem_read", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, ADDRESS, JAVA_LONG));
        memWrite = down(lib, "uc_mem_write", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, ADDRESS, JAVA_LONG));
        regRead = down(lib, "uc_reg_read", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS));
        regWrite = down(lib, "uc_reg_write", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS));
        // uc_hook_add(uc, hh, type, callback, user_data, begin, end, ...): variadic after `end`,
        // called with no variadic argument (the instruction id of UC_HOOK_INSN is not used)
        hookAdd = C.downcallHandle(lib.find("uc_hook_add").orElseThrow(),
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG, JAVA_LONG),
                Linker.Option.firstVariadicArg(7));
        hookDel = down(lib, "uc_hook_del", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG));
        emuStart = down(lib, "uc_emu_start",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG));
        emuStop = down(lib, "uc_emu_stop", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        version = down(lib, "uc_version", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    }

    private static MethodHandle down(SymbolLookup lib, String name, FunctionDescriptor fd) {
        return C.downcallHandle(lib.find(name).orElseThrow(() -> new IllegalStateException(
                LIBRARY + " has no " + name + " (Unicorn 2.0 or later is needed)")), fd);
    }

    /**
     * {@return the bound library}
     *
     * @throws EmulatorUnavailableException when libunicorn cannot be loaded (one line saying so)
     */
    public static Unicorn get() {
        Unicorn u = instance;
        if (u != null) {
            return u;
        }
        synchronized (Unicorn.class) {
            if (instance != null) {
                return instance;
            }
            if (missing != null) {
                throw new EmulatorUnavailableException(missing);
            }
            SymbolLookup lib = null;
            for (String name : new String[] {LIBRARY, "libunicorn.so"}) {
                try {
                    lib = SymbolLookup.libraryLookup(name, Arena.global());
                    break;
                } catch (IllegalArgumentException e) {
                    // try the next name
                }
            }
            if (lib == null) {
                missing = "kobj-emu: the Unicorn 2 library (" + LIBRARY
                        + ") is not installed; install Debian's libunicorn2 to run modules";
                throw new EmulatorUnavailableException(missing);
            }
            try {
                instance = new Unicorn(lib);
            } catch (RuntimeException e) {
                missing = "kobj-emu: " + LIBRARY + " is not usable: " + e.getMessage();
                throw new EmulatorUnavailableException(missing);
            }
            return instance;
        }
    }

    /** {@return null when Unicorn can be used, else the one-line reason} */
    public static String unavailableReason() {
        try {
            get();
            return null;
        } catch (EmulatorUnavailableException e) {
            return e.getMessage();
        }
    }

    /** {@return uc_strerror's text for {@code code}} */
    public String strerror(int code) {
        try {
            MemorySegment s = (MemorySegment) strerror.invokeExact(code);
            return s.reinterpret(256).getString(0);
        } catch (Throwable t) {
            return "uc_err " + code;
        }
    }

    /** {@return "major.minor" of the loaded library} */
    public String version() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment maj = a.allocate(JAVA_INT);
            MemorySegment min = a.allocate(JAVA_INT);
            int v = (int) version.invokeExact(maj, min);
            return maj.get(JAVA_INT, 0) + "." + min.get(JAVA_INT, 0);
        } catch (Throwable t) {
            return "?";
        }
    }

    /** {@return an upcall stub for {@code target} with the C signature {@code fd}, living as long as {@code arena}} */
    static MemorySegment upcall(MethodHandle target, FunctionDescriptor fd, Arena arena) {
        return C.upcallStub(target, fd, arena);
    }

    /** UC_HOOK_CODE / UC_HOOK_BLOCK: {@code void cb(uc_engine*, uint64_t address, uint32_t size, void*)}. */
    static final FunctionDescriptor CODE_HOOK = FunctionDescriptor.ofVoid(ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS);
    /** UC_HOOK_MEM_*: {@code bool cb(uc_engine*, uc_mem_type, uint64_t address, int size, int64_t value, void*)}. */
    static final FunctionDescriptor MEM_HOOK = FunctionDescriptor.of(JAVA_BOOLEAN, ADDRESS, JAVA_INT, JAVA_LONG,
            JAVA_INT, JAVA_LONG, ADDRESS);
    /** UC_HOOK_INTR: {@code void cb(uc_engine*, uint32_t intno, void*)}. */
    static final FunctionDescriptor INTR_HOOK = FunctionDescriptor.ofVoid(ADDRESS, JAVA_INT, ADDRESS);
    /** UC_HOOK_INSN_INVALID: {@code bool cb(uc_engine*, void*)}. */
    static final FunctionDescriptor INSN_INVALID_HOOK = FunctionDescriptor.of(JAVA_BOOLEAN, ADDRESS, ADDRESS);
}
