/**
 * The x86-64 relocation engine (System V AMD64 psABI, chapter "Relocation"): the kinds with
 * their formulas and ranges ({@link dev.kobj.reloc.x86_64.X86_64Kind}), the field encoders and
 * the GOTPCRELX instruction check, the GOT and PLT entries, and the engine itself
 * ({@link dev.kobj.reloc.x86_64.X86_64Engine}).
 */
package dev.kobj.reloc.x86_64;
