package dev.kobj.reloc.oracle;

import dev.kobj.reloc.Fixup;
import dev.kobj.reloc.StubNeeds;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The GOT and stub half of the oracle. GNU ld lays its GOT out its own way, so the fields of
 * relocations that go through a GOT (or a GOT base, or a PLT entry) are not compared byte for
 * byte; they are masked, and instead each patched instruction or word is decoded and followed
 * to its GOT slot or stub, which must lead to the right symbol:
 * <ul>
 * <li>x86-64: the disp32 of a RIP-relative mov/call (ModRM mod=00 r/m=101) or the data word,
 *     inverted through the psABI formula (G + GOT + A - P, GOT + A - P, S + A - GOT, G + A,
 *     L - GOT + A); the slot holds S; a PLT entry ({@code jmp *slot(%rip)}, {@code movabs; jmp
 *     *%reg}, {@code jmp rel32}) jumps to S;</li>
 * <li>AArch64: ADRP page + LDR offset of one (symbol, addend) pair, LDR literal, GOTPAGE_LO15,
 *     MOVW_GOTOFF groups; the slot holds S + A;</li>
 * <li>RISC-V: AUIPC (GOT_HI20) + the LD/LW of its PCREL_LO12_I partner; the slot holds S.</li>
 * </ul>
 */
final class GotFollow {

    /** TLS relocations: a module loader refuses them. Classified by name, not by the engine under test. */
    static boolean isTls(String name) {
        return name.contains("TLS") || name.contains("TPOFF") || name.contains("DTPOFF") || name.contains("TPREL")
                || name.contains("DTPMOD") || name.contains("DTPREL");
    }

    /** Relocations whose value depends on where a GOT, the GOT base or a PLT entry is. */
    static boolean isGot(String name) {
        return !isTls(name) && (name.contains("GOT") || name.contains("PLTOFF"));
    }

    /** A field kobj and ld fill differently by design (GOT layout): not compared. */
    record Mask(int section, long offset, int length) {
    }

    final List<String> problems = new ArrayList<>();
    final List<Mask> masks = new ArrayList<>();
    int followed;
    /** PLT entries decoded and followed (x86-64 PLTOFF64 through kobj's stub). */
    int stubsFollowed;

    private final KobjLink link;

    GotFollow(KobjLink link) {
        this.link = link;
        for (KobjLink.SectionResult sr : link.results.values()) {
            if (sr.error() != null) {
                continue; // reported as a refusal; nothing was written
            }
            switch (link.arch()) {
                case X86_64 -> x86(sr);
                case AARCH64 -> aarch64(sr);
                case RISCV64, RISCV32 -> riscv(sr);
            }
        }
    }

    static boolean usesGot(List<KobjLink.Reloc> relocs) {
        return relocs.stream().anyMatch(r -> isGot(r.typeName()));
    }

    private static String shortName(String n) {
        return n.replaceFirst("^R_(X86_64|AARCH64|RISCV)_", "");
    }

    private void problem(KobjLink.Reloc r, String what) {
        problems.add(String.format("%s (%s %s%+d at 0x%x): %s", r.fixup().where(), r.typeName(), r.fixup().name(),
                r.fixup().addend(), r.place(), what));
    }

    private static long i32(byte[] b, long off, ByteOrder o) {
        return MemorySegment.ofArray(b).get(ValueLayout.JAVA_INT_UNALIGNED.withOrder(o), off);
    }

    private static long i64(byte[] b, long off, ByteOrder o) {
        return MemorySegment.ofArray(b).get(ValueLayout.JAVA_LONG_UNALIGNED.withOrder(o), off);
    }

    /** Instructions are little-endian on AArch64 and RISC-V, whatever the data byte order. */
    private static int insn(byte[] b, long off) {
        return (int) i32(b, off, ByteOrder.LITTLE_ENDIAN);
    }

    /** {@return the GOT entry at {@code slot}, or null (with a problem reported) when it is not one} */
    private Long slot(KobjLink.Reloc r, long slot) {
        int size = link.needs.gotEntrySize();
        if (slot < link.gotBase || slot + size > link.gotBase + link.got.length || (slot - link.gotBase) % size != 0) {
            problem(r, String.format("leads to 0x%x, not a GOT entry (GOT 0x%x, %d bytes)", slot, link.gotBase,
                    link.got.length));
            return null;
        }
        MemorySegment m = MemorySegment.ofArray(link.got);
        return size == 8 ? m.get(ValueLayout.JAVA_LONG_UNALIGNED.withOrder(link.order), slot - link.gotBase)
                : m.get(ValueLayout.JAVA_INT_UNALIGNED.withOrder(link.order), slot - link.gotBase) & 0xffffffffL;
    }

    private void expectSlot(KobjLink.Reloc r, long slot, long want) {
        Long v = slot(r, slot);
        if (v == null) {
            return;
        }
        long mask = link.needs.gotEntrySize() == 8 ? -1L : 0xffffffffL;
        if ((v & mask) != (want & mask)) {
            problem(r, String.format("GOT entry 0x%x holds 0x%x, want 0x%x", slot, v, want & mask));
        } else {
            followed++;
        }
    }

    private void mask(KobjLink.Reloc r, int len) {
        masks.add(new Mask(r.section().section().index(), r.raw().offset(), len));
    }

    // ---------------------------------------------------------------- x86-64

    private void x86(KobjLink.SectionResult sr) {
        byte[] b = sr.bytes();
        for (KobjLink.Reloc r : sr.relocs()) {
            if (!isGot(r.typeName())) {
                continue;
            }
            Fixup f = r.fixup();
            long p = f.place();
            long a = f.addend();
            long off = r.raw().offset();
            String n = shortName(r.typeName());
            boolean wide = n.endsWith("64");
            // GNU ld rewrites the instruction of a GOTPCRELX even with --no-relax when the value is
            // known at link time (weak undefined: mov foo@GOTPCREL(%rip) -> mov $0): opcode and
            // ModRM (and the REX prefix of REX_GOTPCRELX) are masked with the field.
            int before = n.equals("REX_GOTPCRELX") ? 3 : n.equals("GOTPCRELX") ? 2 : 0;
            masks.add(new Mask(r.section().section().index(), r.raw().offset() - before, (wide ? 8 : 4) + before));
            long v = wide ? i64(b, off, link.order) : i32(b, off, link.order);
            switch (n) {
                case "GOTPCREL", "GOTPCRELX", "REX_GOTPCRELX", "GOTPCREL64" -> {
                    long slot = p + v - a;
                    boolean code = (sr.section().section().flags() & 4) != 0; // SHF_EXECINSTR
                    if (code && !wide && off >= 1 && a == -4 && (b[(int) off - 1] & 0xc7) != 0x05) {
                        problem(r, String.format("ModRM 0x%02x before the field is not RIP-relative", b[(int) off - 1]));
                    }
                    expectSlot(r, slot, f.symbol());
                }
                case "GOTPC32", "GOTPC64" -> {
                    if (p + v - a != link.gotBase) {
                        problem(r, String.format("GOT + A - P gives GOT 0x%x, want 0x%x", p + v - a, link.gotBase));
                    } else {
                        followed++;
                    }
                }
                case "GOTOFF64" -> {
                    if (v + link.gotBase != f.symbol() + a) {
                        problem(r, String.format("S + A - GOT gives S+A 0x%x, want 0x%x", v + link.gotBase, f.symbol() + a));
                    } else {
                        followed++;
                    }
                }
                case "GOT32", "GOT64", "GOTPLT64" -> expectSlot(r, link.gotBase + v - a, f.symbol());
                case "PLTOFF64" -> {
                    long l = v + link.gotBase - a;
                    if (l == f.symbol()) {
                        followed++; // no PLT entry needed: L = S, as GNU ld does in a static link
                    } else {
                        Long t = x86Stub(l);
                        if (t == null) {
                            problem(r, String.format("L - GOT + A gives 0x%x: neither S (0x%x) nor a PLT entry kobj decodes",
                                    l, f.symbol()));
                        } else if (t != f.symbol()) {
                            problem(r, String.format("PLT entry 0x%x jumps to 0x%x, want 0x%x", l, t, f.symbol()));
                        } else {
                            followed++;
                            stubsFollowed++;
                        }
                    }
                }
                default -> problem(r, "GOT relocation the oracle cannot follow");
            }
        }
    }

    /** Decodes an x86-64 PLT entry: {@code jmp *d(%rip)}, {@code movabs $t,%rax|%r11; jmp *%reg}, {@code jmp rel32}. */
    private Long x86Stub(long at) {
        MemorySegment m = link.stubMemory(at, 6);
        if (m == null) {
            return null;
        }
        byte[] s = m.toArray(ValueLayout.JAVA_BYTE);
        if ((s[0] & 0xff) == 0xff && s[1] == 0x25) {
            long slotAddr = at + 6 + i32(s, 2, ByteOrder.LITTLE_ENDIAN);
            MemorySegment g = link.stubMemory(slotAddr, 8);
            return g == null ? null : g.get(ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 0);
        }
        if ((s[0] & 0xff) == 0xe9) {
            return at + 5 + i32(s, 1, ByteOrder.LITTLE_ENDIAN);
        }
        MemorySegment w = link.stubMemory(at, 13);
        if (w != null && (s[0] == 0x48 || s[0] == 0x49) && (s[1] & 0xf8) == 0xb8) {
            return w.get(ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 2);
        }
        return null;
    }

    // ---------------------------------------------------------------- AArch64

    private void aarch64(KobjLink.SectionResult sr) {
        byte[] b = sr.bytes();
        Map<StubNeeds.Target, List<Long>> pages = new LinkedHashMap<>();
        Map<StubNeeds.Target, List<Long>> lows = new LinkedHashMap<>();
        Map<StubNeeds.Target, KobjLink.Reloc> first = new HashMap<>();
        Map<StubNeeds.Target, TreeMap<Integer, Long>> movw = new LinkedHashMap<>();
        for (KobjLink.Reloc r : sr.relocs()) {
            if (!isGot(r.typeName())) {
                continue;
            }
            mask(r, 4);
            Fixup f = r.fixup();
            long p = f.place();
            long want = f.symbol() + f.addend();
            int insn = insn(b, r.raw().offset());
            StubNeeds.Target key = new StubNeeds.Target(r.raw().symbol(), r.raw().addend());
            first.putIfAbsent(key, r);
            switch (shortName(r.typeName())) {
                case "ADR_GOT_PAGE" -> {
                    if ((insn & 0x9f000000) != 0x90000000) {
                        problem(r, String.format("0x%08x is not ADRP", insn));
                        continue;
                    }
                    long imm = ((insn >>> 29) & 3) | (((long) (insn >>> 5) & 0x7ffff) << 2);
                    imm = (imm << 43) >> 43;
                    pages.computeIfAbsent(key, k -> new ArrayList<>()).add((p & ~0xfffL) + (imm << 12));
                }
                case "LD64_GOT_LO12_NC", "LD64_GOTPAGE_LO15", "LD64_GOTOFF_LO15" -> {
                    if ((insn & 0xffc00000) != 0xf9400000) {
                        problem(r, String.format("0x%08x is not LDR Xt, [Xn, #imm]", insn));
                        continue;
                    }
                    long lo = ((insn >>> 10) & 0xfffL) * 8;
                    switch (shortName(r.typeName())) {
                        case "LD64_GOT_LO12_NC" -> lows.computeIfAbsent(key, k -> new ArrayList<>()).add(lo);
                        case "LD64_GOTPAGE_LO15" -> expectSlot(r, (link.gotBase & ~0xfffL) + lo, want);
                        default -> expectSlot(r, link.gotBase + lo, want);
                    }
                }
                case "GOT_LD_PREL19" -> {
                    if ((insn & 0xff000000) != 0x58000000) {
                        problem(r, String.format("0x%08x is not LDR Xt, literal", insn));
                        continue;
                    }
                    long imm = ((long) (insn >>> 5) & 0x7ffff);
                    imm = (imm << 45) >> 45;
                    expectSlot(r, p + imm * 4, want);
                }
                case "MOVW_GOTOFF_G0", "MOVW_GOTOFF_G0_NC", "MOVW_GOTOFF_G1", "MOVW_GOTOFF_G1_NC", "MOVW_GOTOFF_G2",
                        "MOVW_GOTOFF_G2_NC", "MOVW_GOTOFF_G3" -> {
                    if ((insn & 0x1f800000) != 0x12800000) {
                        problem(r, String.format("0x%08x is not MOVZ/MOVN/MOVK", insn));
                        continue;
                    }
                    int hw = (insn >>> 21) & 3;
                    movw.computeIfAbsent(key, k -> new TreeMap<>()).put(hw, (long) (insn >>> 5) & 0xffff);
                }
                default -> problem(r, "GOT relocation the oracle cannot follow");
            }
        }
        for (var e : pages.entrySet()) {
            KobjLink.Reloc r = first.get(e.getKey());
            List<Long> lo = lows.getOrDefault(e.getKey(), List.of());
            if (lo.isEmpty()) {
                problem(r, "ADRP of a GOT entry without its LDR (LD64_GOT_LO12_NC) partner");
            }
            for (long page : e.getValue()) {
                for (long l : lo) {
                    expectSlot(r, page + l, r.fixup().symbol() + r.fixup().addend());
                }
            }
        }
        for (var e : lows.entrySet()) {
            if (!pages.containsKey(e.getKey())) {
                problem(first.get(e.getKey()), "LDR of a GOT entry without its ADRP (ADR_GOT_PAGE) partner");
            }
        }
        for (var e : movw.entrySet()) {
            KobjLink.Reloc r = first.get(e.getKey());
            long off = 0;
            for (var g : e.getValue().entrySet()) {
                off |= g.getValue() << (16 * g.getKey());
            }
            expectSlot(r, link.gotBase + off, r.fixup().symbol() + r.fixup().addend());
        }
    }

    // ---------------------------------------------------------------- RISC-V

    private void riscv(KobjLink.SectionResult sr) {
        byte[] b = sr.bytes();
        for (KobjLink.Reloc r : sr.relocs()) {
            String n = shortName(r.typeName());
            if (n.equals("GOT32_PCREL")) {
                mask(r, 4);
                expectSlot(r, r.place() + i32(b, r.raw().offset(), link.order) - r.fixup().addend(), r.fixup().symbol());
                continue;
            }
            if (!n.equals("GOT_HI20")) {
                continue;
            }
            mask(r, 4);
            int auipc = insn(b, r.raw().offset());
            if ((auipc & 0x7f) != 0x17) {
                problem(r, String.format("0x%08x is not AUIPC", auipc));
                continue;
            }
            long hi = auipc & 0xfffff000L;
            hi = (hi << 32) >> 32;
            int rd = (auipc >>> 7) & 0x1f;
            int partners = 0;
            for (KobjLink.Reloc lo : sr.relocs()) {
                String ln = shortName(lo.typeName());
                if (!(ln.equals("PCREL_LO12_I") || ln.equals("PCREL_LO12_S")) || lo.fixup().symbol() != r.place()) {
                    continue;
                }
                partners++;
                mask(lo, 4);
                int ld = insn(b, lo.raw().offset());
                int rs1 = (ld >>> 15) & 0x1f;
                if ((ld & 0x7f) != 0x03 || rs1 != rd) {
                    problem(lo, String.format("0x%08x is not a load based on the AUIPC's x%d", ld, rd));
                    continue;
                }
                long imm = ld >> 20; // sign-extending: I-type immediate
                expectSlot(r, r.place() + hi + imm, r.fixup().symbol());
            }
            if (partners == 0) {
                problem(r, "GOT_HI20 without a PCREL_LO12 partner");
            }
        }
    }
}
