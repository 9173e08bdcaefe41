/**
 * The link: layout, stubs, symbol resolution, relocation, load checks and host memory.
 *
 * <p>Filled by a later issue; the module exists so that the layers build in their final shape.
 */
package dev.kobj.link;
