/**
 * depmod: which modules of a tree each module needs, by the symbols they export and import,
 * and the modules.dep that kmod's depmod writes for the tree.
 *
 * <p>{@link dev.kobj.registry.depmod.Depmod#run} is the whole of it; {@link
 * dev.kobj.registry.depmod.ModuleTree} finds and orders the modules, {@link
 * dev.kobj.registry.depmod.ModuleSymbols} reads one module, {@link
 * dev.kobj.registry.depmod.DependencyGraph} holds the rules of the dependency order.
 */
package dev.kobj.registry.depmod;
