/**
 * Kernel symbol tables (System.map, /proc/kallsyms, Module.symvers, or synthesized from
 * Module.symvers) and the export tables of loaded modules: name to symbol in O(1), address to
 * nearest symbol in O(log n).
 */
package dev.kobj.symtab;
