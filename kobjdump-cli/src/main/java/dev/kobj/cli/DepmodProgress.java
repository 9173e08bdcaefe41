package dev.kobj.cli;

import dev.kobj.registry.ModuleException;
import dev.kobj.registry.depmod.Depmod;
import java.io.IOException;
import java.nio.file.Path;

/** {@link Depmod#run} with {@link ProgressBar} on stderr when it is a terminal (or asked for). */
final class DepmodProgress implements Depmod.Progress {
    private final KobjDump.Context ctx;
    private final boolean force;
    private volatile ProgressBar bar;

    private DepmodProgress(KobjDump.Context ctx, boolean force) {
        this.ctx = ctx;
        this.force = force;
    }

    @Override
    public void started(int modules) {
        bar = ProgressBar.on(ctx, modules, "modules", force);
    }

    @Override
    public void moduleRead() {
        ProgressBar.step(bar);
    }

    static Depmod.Result run(KobjDump.Context ctx, Path dir, int threads, boolean force)
            throws IOException, ModuleException {
        DepmodProgress p = new DepmodProgress(ctx, force);
        try {
            return Depmod.run(dir, threads, p);
        } finally {
            if (p.bar != null) {
                p.bar.close();
            }
        }
    }
}
