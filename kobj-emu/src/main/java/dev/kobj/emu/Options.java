package dev.kobj.emu;

import dev.kobj.link.LoadPolicy;
import dev.kobj.symtab.SymbolLookup;
import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link Machine} runs code.
 *
 * @param cpu             the guest CPU
 * @param handlers        kernel functions (copied when the machine is built)
 * @param unhandledZero   answer calls of functions without a handler with 0 instead of stopping
 * @param maxInstructions the instruction budget of one run (uc_emu_start's count; 0: none)
 * @param timeout         the wall-clock limit of one run
 * @param kernelTable     the kernel's symbol table (kallsyms_lookup_name, weak symbols), or null
 * @param policy          the link policy (default permissive: no vermagic or CRC check)
 * @param tracer          what is told of calls and blocks
 * @param countInstructions count every instruction run ({@link Run#instructions()}; slower)
 */
public record Options(Cpu cpu, Handlers handlers, boolean unhandledZero, long maxInstructions, Duration timeout,
        SymbolLookup kernelTable, LoadPolicy policy, Tracer tracer, boolean countInstructions) {

    public Options {
        Objects.requireNonNull(cpu, "cpu");
        Objects.requireNonNull(handlers, "handlers");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(tracer, "tracer");
        if (maxInstructions < 0 || timeout.isNegative()) {
            throw new IllegalArgumentException("negative budget");
        }
    }

    static Builder builder(Cpu cpu) {
        return new Builder(cpu);
    }

    /** Builds {@link Options}; every setting has a default. */
    public static final class Builder {
        private Cpu cpu;
        private Handlers handlers = Handlers.standard();
        private boolean unhandledZero;
        private long maxInstructions = 100_000_000L;
        private Duration timeout = Duration.ofSeconds(10);
        private SymbolLookup kernelTable;
        private LoadPolicy policy = LoadPolicy.permissive();
        private Tracer tracer = Tracer.NONE;
        private boolean count;

        Builder(Cpu cpu) {
            this.cpu = cpu;
        }

        /** The CPU. @return this */
        public Builder cpu(Cpu c) {
            this.cpu = c;
            return this;
        }

        /** The handlers (default {@link Handlers#standard()}). @return this */
        public Builder handlers(Handlers h) {
            this.handlers = h;
            return this;
        }

        /** Calls of functions without a handler return 0 instead of stopping the run. @return this */
        public Builder unhandledReturnsZero(boolean b) {
            this.unhandledZero = b;
            return this;
        }

        /** The instruction budget per run (default 100 000 000; 0: none). @return this */
        public Builder maxInstructions(long n) {
            this.maxInstructions = n;
            return this;
        }

        /** The wall-clock limit per run (default 10 s). @return this */
        public Builder timeout(Duration d) {
            this.timeout = d;
            return this;
        }

        /** The kernel's symbol table. @return this */
        public Builder kernelTable(SymbolLookup t) {
            this.kernelTable = t;
            return this;
        }

        /** The link policy (default permissive). @return this */
        public Builder policy(LoadPolicy p) {
            this.policy = p;
            return this;
        }

        /** What is told of calls and blocks. @return this */
        public Builder tracer(Tracer t) {
            this.tracer = t;
            return this;
        }

        /** Count every instruction (a hook on each: slower). @return this */
        public Builder countInstructions(boolean b) {
            this.count = b;
            return this;
        }

        /** {@return the options} */
        public Options build() {
            return new Options(cpu, handlers, unhandledZero, maxInstructions, timeout, kernelTable, policy, tracer,
                    count);
        }
    }
}
