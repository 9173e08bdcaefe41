/**
 * Relocation engines for x86_64, AArch64 and RISC-V: the psABI formulas, range checks, instruction encoders and stub needs.
 *
 * <p>Filled by a later issue; the module exists so that the layers build in their final shape.
 */
package dev.kobj.reloc;
