package dev.kobj.link;

/**
 * Watches a link as it passes its phases (for {@code kobjdump link --map}, tracing and
 * benchmarks). Every method has an empty default; a listener that throws aborts the link
 * as any other error would (everything allocated is freed).
 */
public interface LinkListener {

    /**
     * The layout is done: every section has its address (called once per placed section, in address order).
     * @param section the section
     */
    default void placed(LoadedImage.PlacedSection section) {
    }

    /**
     * A stub section (GOT, PLT/veneers) was laid out.
     * @param stubs the stub section (GOT, PLT or veneers)
     */
    default void stubs(LoadedImage.StubSection stubs) {
    }

    /**
     * Symbol resolution is done for {@code symbol} (every symbol of the object's table, in index order).
     * @param symbol the symbol with its final address
     */
    default void resolved(LoadedImage.LinkedSymbol symbol) {
    }

    /**
     * {@code count} relocations were applied to {@code section}.
     * @param section the section
     * @param count how many relocations were applied
     */
    default void relocated(LoadedImage.PlacedSection section, int count) {
    }

    /**
     * A load check found a problem that the policy lets through (a warning, as the kernel would print).
     * @param message what the linker noticed
     */
    default void warning(String message) {
    }
}
