/**
 * Relocation engines: one per architecture ({@code .x86_64}, {@code .aarch64}, {@code .riscv}),
 * each knowing its relocation kinds (psABI formula, field, width, range, alignment), its
 * instruction encoders, and the GOT/PLT/veneer stubs its relocations may need.
 *
 * <p>The contract every engine keeps: <em>check, then write</em>. A relocation whose value
 * does not fit its field, is misaligned, or meets an instruction of the wrong class throws
 * {@link dev.kobj.reloc.RelocationException} and changes no byte.
 *
 * <p>Engines are found through {@link dev.kobj.reloc.RelocationEngines#forMachine}, the one
 * place where an ELF machine turns into code.
 */
package dev.kobj.reloc;
