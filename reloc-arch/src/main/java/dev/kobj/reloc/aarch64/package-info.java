/**
 * The AArch64 (LP64) relocation engine, after aaelf64 (ARM-software/abi-aa, "ELF for the Arm
 * 64-bit Architecture"), in the three parts every kobj architecture has:
 * <ul>
 *   <li>the kinds: {@link dev.kobj.reloc.aarch64.AArch64Kind}, one constant per appliable type
 *       with its operation, field, width, range and alignment; the refused types (dynamic, TLS,
 *       ILP32) with their reasons;</li>
 *   <li>the instruction encoders: the A64 class predicates and immediate-field encoders (kept
 *       package-private; the tests decode with their own code);</li>
 *   <li>the stubs: 8-byte GOT entries and 16-byte {@code ADRP/ADD/BR x16} veneers
 *       ({@code LDR/BR x16} and a literal beyond ±4 GiB); and the Cortex-A53 erratum 843419
 *       handling of ADRPs at page offset 0xff8/0xffc ({@code Erratum843419}: ADR, or a
 *       per-place ADRP veneer from a {@link dev.kobj.reloc.VeneerPool}).</li>
 * </ul>
 * {@link dev.kobj.reloc.aarch64.AArch64Engine} ties them together: check, then write.
 */
package dev.kobj.reloc.aarch64;
