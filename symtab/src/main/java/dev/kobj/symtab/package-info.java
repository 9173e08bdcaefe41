/**
 * Kernel symbol tables (System.map, kallsyms, Module.symvers) and module export tables.
 *
 * <p>Filled by a later issue; the module exists so that the layers build in their final shape.
 */
package dev.kobj.symtab;
