/**
 * The module registry: load, unload, dependencies, refcounts and policy, as the classic kernel loaders promise.
 *
 * <p>Filled by a later issue; the module exists so that the layers build in their final shape.
 */
package dev.kobj.registry;
