package dev.kobj.cli;

import dev.kobj.elf.ElfReader;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Reads the {@code --kernel} tables of {@code kobjdump check} on a thread of its own while the
 * main thread walks the module trees: Module.symvers is parsed ({@link KernelTables#load}),
 * then, once the walk has found its first module, the table is synthesized for that module's
 * architecture ({@link KernelTables#prepare}), which the first worker would otherwise do while
 * the others wait for it. The walk and the tables each took a part of the single-threaded
 * start of a check (issue 9).
 *
 * <p>{@link #get} gives the tables, or throws what {@link KernelTables#load} threw, as the
 * synchronous call did.
 */
final class TablesLoader {
    private final CompletableFuture<Path> first = new CompletableFuture<>();
    private final Thread thread;
    private KernelTables tables; // written by the thread, read after join
    private Throwable failure;

    private TablesLoader(List<Path> kernel) {
        thread = Thread.ofPlatform().daemon().name("kobjdump-tables").start(() -> {
            try {
                tables = KernelTables.load(kernel);
            } catch (Throwable e) {
                failure = e;
                return;
            }
            Path p = first.join();
            if (p != null) {
                tables.prepare(p);
            }
            // The read downcalls' stubs take tens of milliseconds to make: here, while the main
            // thread may still be walking the trees, rather than in the first worker.
            ElfReader.readsNatively();
        });
    }

    /** {@return a loader already reading {@code kernel}} */
    static TablesLoader start(List<Path> kernel) {
        return new TablesLoader(kernel);
    }

    /** Tells the loader a module the walk found (the first one told is the one that counts). */
    void found(Path module) {
        first.complete(module);
    }

    /**
     * {@return the tables}, once read (and, when a module was {@link #found}, prepared)
     *
     * @throws Exception what {@link KernelTables#load} threw
     */
    KernelTables get() throws Exception {
        first.complete(null);
        boolean interrupted = false;
        while (true) {
            try {
                thread.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        // instanceof, not a switch on the type: that one makes a class at run time (SwitchBootstraps)
        if (failure == null) {
            return tables;
        } else if (failure instanceof Exception e) {
            throw e;
        } else if (failure instanceof Error e) {
            throw e;
        }
        throw new IllegalStateException(failure);
    }
}
