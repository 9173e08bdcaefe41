package dev.kobj.emu;

import dev.kobj.emu.unicorn.Engine;
import dev.kobj.link.LoadedImage;
import dev.kobj.symtab.SymbolLookup;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * The guest's kernel as handlers see it: the heap, the console printk writes to, what modules
 * registered, and the symbols (kernel functions are stubs in the kernel text, one per name; data
 * symbols are zeroed 4 KiB slots in the kernel data, a few given their boot values).
 */
public final class Kernel {

    /** One console line: the printk level (0-7, or -1 when none was given) and the text without it. */
    public record Line(int level, String text) {
    }

    /** Something a module registered: the kind (the function called), its name and address. */
    public record Registration(String kind, String name, long address) {
    }

    private final Engine engine;
    private final Cpu cpu;
    private final long base;
    private final KernelHeap heap;
    private final SymbolLookup table;
    private final Map<String, Long> functions = new HashMap<>();
    private final TreeMap<Long, String> byAddress = new TreeMap<>();
    private final Map<String, Long> data = new HashMap<>();
    private final List<LoadedImage> images = new ArrayList<>();
    private final Map<LoadedImage, TreeMap<Long, String>> symbolIndex = new HashMap<>();
    private final List<Line> console = new ArrayList<>();
    private final List<Registration> registrations = new ArrayList<>();
    private final StringBuilder pending = new StringBuilder();
    private int pendingLevel = -1;
    private long nextStub;
    private long nextData;
    private final Handlers handlers;

    Kernel(Engine engine, Cpu cpu, Handlers handlers, SymbolLookup table) {
        this.engine = engine;
        this.cpu = cpu;
        this.base = cpu.kernelBase;
        this.handlers = handlers;
        this.table = table;
        this.heap = new KernelHeap(base + GuestMap.HEAP, GuestMap.HEAP_SIZE);
        this.nextStub = stubsStart();
        this.nextData = base + GuestMap.DATA;
    }

    long returnAddress() {
        return base + GuestMap.TEXT;
    }

    long returnZero() {
        return base + GuestMap.TEXT + 16;
    }

    long stubsStart() {
        return base + GuestMap.TEXT + GuestMap.PAGE;
    }

    long stubsEnd() {
        return base + GuestMap.TEXT + GuestMap.TEXT_SIZE;
    }

    long task() {
        return base + GuestMap.TASK;
    }

    long stackTop() {
        return base + GuestMap.STACK + GuestMap.STACK_SIZE;
    }

    /** {@return the heap} */
    public KernelHeap heap() {
        return heap;
    }

    /** {@return the handlers answering calls} */
    public Handlers handlers() {
        return handlers;
    }

    /**
     * Prints {@code text} at {@code level} as printk does: lines end at newlines, a message at level
     * {@code 'c'} (KERN_CONT, passed as -2) continues the open line, any other message closes it.
     */
    public synchronized void printk(int level, String text) {
        if (level != -2 && !pending.isEmpty()) {
            flush();
        }
        if (pending.isEmpty() && level != -2) {
            pendingLevel = level;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n') {
                console.add(new Line(pendingLevel, pending.toString()));
                pending.setLength(0);
            } else {
                pending.append(c);
            }
        }
    }

    private void flush() {
        console.add(new Line(pendingLevel, pending.toString()));
        pending.setLength(0);
    }

    /** {@return the console so far, a line not yet ended by a newline included} */
    public synchronized List<Line> console() {
        List<Line> all = new ArrayList<>(console);
        if (!pending.isEmpty()) {
            all.add(new Line(pendingLevel, pending.toString()));
        }
        return all;
    }

    /** Records a registration. */
    public synchronized void register(String kind, String name, long address) {
        registrations.add(new Registration(kind, name, address));
    }

    /** {@return what was registered, in order} */
    public synchronized List<Registration> registrations() {
        return Collections.unmodifiableList(new ArrayList<>(registrations));
    }

    /**
     * {@return the address of {@code name} as kallsyms_lookup_name gives it}: a symbol of a loaded
     * image, else a kernel function (a stub, made now) when there is a handler for it or the
     * kernel table has it, else a data slot already made; empty otherwise.
     */
    public OptionalLong lookup(String name) throws EmuException {
        for (LoadedImage img : images) {
            OptionalLong a = img.symbol(name);
            if (a.isPresent()) {
                return a;
            }
        }
        if (functions.containsKey(name) || handlers.get(name).isPresent()
                || (table != null && table.lookup(name).isPresent())) {
            return OptionalLong.of(function(name));
        }
        Long d = data.get(name);
        return d == null ? OptionalLong.empty() : OptionalLong.of(d);
    }

    /** {@return "symbol+0xoff" for a guest address, or "?"} */
    public String symbolize(long address) {
        for (LoadedImage img : images) {
            for (LoadedImage.Region r : img.regions()) {
                if (r.contains(address)) {
                    Map.Entry<Long, String> s = symbolIndex.get(img).floorEntry(address);
                    return s != null && s.getKey() >= r.address()
                            ? s.getValue() + "+0x" + Long.toHexString(address - s.getKey())
                            : img.name() + ":" + r.name() + "+0x" + Long.toHexString(address - r.address());
                }
            }
        }
        Map.Entry<Long, String> e = byAddress.floorEntry(address);
        if (e != null && address - e.getKey() < (address < base + GuestMap.DATA ? GuestMap.STUB : GuestMap.DATA_SLOT)
                && address - e.getKey() >= 0) {
            return e.getValue() + "+0x" + Long.toHexString(address - e.getKey());
        }
        return address == returnAddress() ? "<return to the machine>" : "?";
    }

    void addImage(LoadedImage image) {
        images.add(0, image);
        // named definitions by address; assembler-local labels (.L...) and section symbols left out
        TreeMap<Long, String> index = new TreeMap<>();
        for (LoadedImage.LinkedSymbol s : image.symbols()) {
            int type = s.symbol().type();
            if (s.source() == LoadedImage.Source.DEFINED && !s.name().isEmpty() && !s.name().startsWith(".L")
                    && !s.name().startsWith("$") && type != 3 && type != 4) {
                index.putIfAbsent(s.address(), s.name());
            }
        }
        symbolIndex.put(image, index);
    }

    /** Forgets an image that was unloaded (kallsyms and symbolization no longer see it). */
    void removeImage(LoadedImage image) {
        images.remove(image);
        symbolIndex.remove(image);
    }

    /** {@return the name of the hooked stub at {@code address}, or null} */
    String stubAt(long address) {
        if (address < stubsStart() || address >= nextStub) {
            return null;
        }
        return byAddress.get(address);
    }

    /** {@return the stub of kernel function {@code name}, made on first use} */
    long function(String name) throws EmuException {
        Long at = functions.get(name);
        if (at != null) {
            return at;
        }
        byte[] thunk = cpu.thunk(name);
        long addr;
        if (thunk != null) {
            // x86 retpoline thunks run as code (jmp *%reg), unhooked, in the first text page
            addr = returnAddress() + 64 + 16L * thunkIndex(name);
            engine.write(addr, thunk);
        } else {
            if (nextStub >= stubsEnd()) {
                throw new EmuException("kernel text full: more than "
                        + (stubsEnd() - stubsStart()) / GuestMap.STUB + " kernel functions");
            }
            addr = nextStub;
            nextStub += GuestMap.STUB;
        }
        functions.put(name, addr);
        byAddress.put(addr, name);
        return addr;
    }

    private static int thunkIndex(String name) {
        return List.of("rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
                "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15")
                .indexOf(name.substring("__x86_indirect_thunk_".length()));
    }

    /** {@return the data slot of {@code name}, made (zeroed, with its boot value if it has one) on first use} */
    long data(String name) throws EmuException {
        Long at = data.get(name);
        if (at != null) {
            return at;
        }
        if (nextData >= base + GuestMap.DATA + GuestMap.DATA_SIZE) {
            throw new EmuException("kernel data full: more than " + GuestMap.DATA_SIZE / GuestMap.DATA_SLOT
                    + " data symbols");
        }
        long addr = nextData;
        nextData += GuestMap.DATA_SLOT;
        data.put(name, addr);
        byAddress.put(addr, name);
        BootData.initialise(name, addr, this, new Guest(engine));
        return addr;
    }

    /** {@return the kernel table given to the machine, or null} */
    SymbolLookup table() {
        return table;
    }
}
