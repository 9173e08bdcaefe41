package dev.kobj.link;

import dev.kobj.symtab.KernelSymbol;
import dev.kobj.symtab.SymbolLookup;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a link needs besides the object.
 *
 * @param memory   where the image goes
 * @param symbols  the symbols of loaded modules and of the kernel, in the order the caller
 *                 wants them searched (a {@code ChainedLookup} made by the caller);
 *                 {@link #NO_SYMBOLS} for none
 * @param base     the address of the core region, or 0 to let {@code memory} choose; the
 *                 init region follows the core region (page-aligned)
 * @param policy   the load checks to run
 * @param bindings extra name → address bindings, searched after {@code symbols} (native
 *                 functions, Java upcall stubs, test addresses)
 * @param listener watches the link; {@link #NO_LISTENER} by default
 * @param layout   the layout to use, or null for the one of the module's vermagic release
 *                 ({@link LayoutStrategy#forObject})
 * @param bases    region name → address ("core", "init"; "text", "data", "rodata",
 *                 "ro_after_init", "init_text", "init_data", "init_rodata"; "kobj_stubs",
 *                 "percpu"): where each allocation goes, overriding {@code base} for the first
 * @param kallsymsAll   whether the target kernel has CONFIG_KALLSYMS_ALL (it sizes the core
 *                      kallsyms copy); null: not on arm64 (as Debian's 6.1 arm64 kernel), yes elsewhere
 * @param erratum843419 whether the target CPU needs the Cortex-A53 erratum 843419 workaround
 *                      (AArch64 only); null: yes, the relocation engine's default
 */
public record LinkRequest(HostMemory memory, SymbolLookup symbols, long base, LoadPolicy policy,
        Map<String, Long> bindings, LinkListener listener, LayoutStrategy layout, Map<String, Long> bases,
        Boolean kallsymsAll, Boolean erratum843419) {

    /** A lookup with no symbols. */
    public static final SymbolLookup NO_SYMBOLS = new SymbolLookup() {
        @Override
        public Optional<KernelSymbol> lookup(String name) {
            return Optional.empty();
        }

        @Override
        public Optional<KernelSymbol> nearest(long address) {
            return Optional.empty();
        }

        @Override
        public int size() {
            return 0;
        }
    };

    /** A listener that does nothing. */
    public static final LinkListener NO_LISTENER = new LinkListener() {
    };

    /** Checks that memory, symbols, policy and listener are there; bindings and bases are copied. */
    public LinkRequest {
        Objects.requireNonNull(memory, "memory");
        Objects.requireNonNull(symbols, "symbols");
        Objects.requireNonNull(policy, "policy");
        bindings = Map.copyOf(bindings);
        Objects.requireNonNull(listener, "listener");
        bases = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(bases));
    }

    /**
     * {@return whether the target has CONFIG_KALLSYMS_ALL: as asked, else not on AArch64 and yes elsewhere}
     * @param object the module being linked
     */
    public boolean kallsymsAll(dev.kobj.elf.ElfFile object) {
        return kallsymsAll != null ? kallsymsAll : object.header().machine() != dev.kobj.elf.ElfConstants.EM_AARCH64;
    }

    /**
     * {@return whether the Cortex-A53 erratum 843419 workaround is on: as asked, else yes}
     * @param object the module being linked
     */
    public boolean erratum843419(dev.kobj.elf.ElfFile object) {
        return erratum843419 == null || erratum843419;
    }

    /**
     * {@return a builder for a link into {@code memory}}
     * @param memory where the image is allocated
     */
    public static Builder builder(HostMemory memory) {
        return new Builder(memory);
    }

    /** Builds a {@link LinkRequest}: no symbols, base 0, default policy, no bindings, no listener. */
    public static final class Builder {
        private final HostMemory memory;
        private SymbolLookup symbols = NO_SYMBOLS;
        private long base;
        private LoadPolicy policy = LoadPolicy.defaults();
        private final Map<String, Long> bindings = new LinkedHashMap<>();
        private LinkListener listener = NO_LISTENER;
        private LayoutStrategy layout;
        private final Map<String, Long> bases = new LinkedHashMap<>();
        private Boolean kallsymsAll;
        private Boolean erratum843419;

        private Builder(HostMemory memory) {
            this.memory = Objects.requireNonNull(memory);
        }

        /**
         * Symbols of loaded modules and the kernel (searched before the bindings).
         * @param lookup the kernel's table, or a chain of tables
         * @return this builder
         */
        public Builder symbols(SymbolLookup lookup) {
            this.symbols = Objects.requireNonNull(lookup);
            return this;
        }

        /**
         * Core region at {@code address} (page-aligned), or 0 to let the memory choose.
         * @param address the address
         * @return this builder
         */
        public Builder base(long address) {
            this.base = address;
            return this;
        }

        /**
         * The load checks (default {@link LoadPolicy#defaults()}).
         * @param p the policy
         * @return this builder
         */
        public Builder policy(LoadPolicy p) {
            this.policy = Objects.requireNonNull(p);
            return this;
        }

        /**
         * Binds undefined symbol {@code name} to {@code address} (searched after {@link #symbols}).
         * @param name an undefined symbol of the object
         * @param address the address
         * @return this builder
         */
        public Builder bind(String name, long address) {
            bindings.put(Objects.requireNonNull(name), address);
            return this;
        }

        /**
         * Binds every entry of {@code map}.
         * @param map symbol name to address
         * @return this builder
         */
        public Builder bindAll(Map<String, Long> map) {
            map.forEach(this::bind);
            return this;
        }

        /**
         * Who is told what the link does, pass by pass (default: nobody).
         * @param l the listener
         * @return this builder
         */
        public Builder listener(LinkListener l) {
            this.listener = Objects.requireNonNull(l);
            return this;
        }

        /**
         * Lays the module out by {@code strategy} (null: by the module's vermagic release).
         * @param strategy the layout
         * @return this builder
         */
        public Builder layout(LayoutStrategy strategy) {
            this.layout = strategy;
            return this;
        }

        /**
         * Places the allocation (region) {@code region} at {@code address} (page-aligned), e.g.
         * {@code base("init", 0xffffffffc0012000L)}, to replay where a kernel put a module; the
         * names are {@link LayoutStrategy#regionNames()}, plus "kobj_stubs" and "percpu".
         *
         * @param region a region's name ({@code core}, {@code init}, or a 6.4+ {@code mod_mem} type such as {@code text})
         * @param address the address
         * @return this builder
         */
        public Builder base(String region, long address) {
            bases.put(Objects.requireNonNull(region), address);
            return this;
        }

        /**
         * Whether the target kernel has CONFIG_KALLSYMS_ALL (null: the default of {@link LinkRequest#kallsymsAll}).
         * @param all true or false to force it, null to follow the module (CONFIG_KALLSYMS_ALL)
         * @return this builder
         */
        public Builder kallsymsAll(Boolean all) {
            this.kallsymsAll = all;
            return this;
        }

        /**
         * Whether the target CPU needs the Cortex-A53 erratum 843419 workaround (null: yes).
         * @param on true or false to force it, null to follow the module (AArch64 only)
         * @return this builder
         */
        public Builder erratum843419(Boolean on) {
            this.erratum843419 = on;
            return this;
        }

        /** {@return the request} */
        public LinkRequest build() {
            return new LinkRequest(memory, symbols, base, policy, bindings, listener, layout, bases, kallsymsAll,
                    erratum843419);
        }
    }
}
