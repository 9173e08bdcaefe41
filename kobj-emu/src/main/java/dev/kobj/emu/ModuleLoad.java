package dev.kobj.emu;

import dev.kobj.link.LoadedImage;
import java.util.List;
import java.util.Optional;

/**
 * What {@link Machine#loadModule} did.
 *
 * @param name  the module's name in the registry (its .modinfo name=; the file name when the load failed)
 * @param runs  the init runs in order: each dependency's {@code NAME:init_module}, then the module's own init
 * @param image the module's image while it stays loaded; empty when an init failed and the load was undone
 * @param registered what the module's own init registered (not its dependencies'), in order
 */
public record ModuleLoad(String name, List<Run> runs, Optional<LoadedImage> image,
        List<Kernel.Registration> registered) {

    public ModuleLoad {
        runs = List.copyOf(runs);
        registered = List.copyOf(registered);
    }

    /** {@return whether every init returned 0 and the module is loaded} */
    public boolean loaded() {
        return image.isPresent();
    }
}
