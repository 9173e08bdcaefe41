package dev.kobj.bench;

import dev.kobj.elf.ElfConstants;
import dev.kobj.elf.ElfFile;
import dev.kobj.elf.ElfSymbol;
import dev.kobj.elf.Relocation;
import dev.kobj.elf.RelocationTable;
import dev.kobj.elf.SectionHeader;
import dev.kobj.elf.SymbolTable;
import dev.kobj.reloc.Fixup;
import dev.kobj.reloc.RelocationEngine;
import dev.kobj.reloc.RelocationEngines;
import dev.kobj.reloc.RelocationException;
import dev.kobj.reloc.RelocationKind;
import dev.kobj.testkit.Placement;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The relocation benchmark's input: the relocations of real objects (testdata's fixtures of
 * the three architectures, plus a sample of the Debian corpus when it is present), placed the
 * way a loader would (SHF_ALLOC sections one after the other from a base, undefined symbols at
 * fixed addresses near it, a GOT entry per symbol), grouped by architecture and relocation
 * family ({@link RelocationKind.Category}). Only fixups that apply cleanly are kept (a dry run
 * drops the rest), so the benchmark measures the engines' work, not their refusals.
 */
final class RelocationInputs {
    private RelocationInputs() {
    }

    /**
     * One relocated section of one object: its pristine bytes, a working copy, and the fixups
     * of one family. Each application starts from the pristine bytes, as a loader relocates
     * fresh section contents (and because some relocations rewrite the instruction class, e.g.
     * the AArch64 erratum-843419 ADRP to ADR, or accumulate, e.g. RISC-V ADD/SUB).
     */
    record Batch(MemorySegment pristine, MemorySegment section, ByteOrder order, List<Fixup> fixups) {
        void reset() {
            MemorySegment.copy(pristine, 0, section, 0, pristine.byteSize());
        }
    }

    /** Everything for one architecture and family. */
    record Group(RelocationEngine engine, List<Batch> batches, long relocations) {
    }

    static Path testdata() {
        String p = System.getProperty("kobj.testdata");
        if (p != null && !p.isBlank()) {
            return Paths.get(p);
        }
        Path up = Paths.get("..", "testdata");
        return Files.isDirectory(up) ? up : Paths.get("testdata");
    }

    /** Objects of one architecture: testdata fixtures, then every 50th corpus module when present. */
    static List<Path> objects(String arch) {
        List<Path> out = new ArrayList<>();
        String dir = switch (arch) {
            case "x86_64" -> "x86_64";
            case "aarch64" -> "aarch64";
            default -> "riscv64";
        };
        try (Stream<Path> s = Files.walk(testdata().resolve("obj"))) {
            s.filter(p -> p.toString().endsWith(".o") && !p.toString().contains("-tls"))
                    .filter(p -> p.getParent().getFileName().toString().startsWith(dir)
                            || p.getParent().getFileName().toString().equals(dir))
                    .sorted().forEach(out::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String corpusArch = switch (arch) {
            case "x86_64" -> "amd64";
            case "aarch64" -> "arm64";
            default -> null;
        };
        if (corpusArch != null) {
            Path c = Corpus.root().resolve(corpusArch);
            if (Files.isDirectory(c)) {
                try (Stream<Path> s = Files.walk(c)) {
                    List<Path> kos = s.filter(p -> p.toString().endsWith(".ko")).sorted().toList();
                    for (int i = 0; i < kos.size(); i += 50) {
                        out.add(kos.get(i));
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        return out;
    }

    static Group load(String arch, RelocationKind.Category family) {
        long base = switch (arch) {
            case "x86_64" -> 0xffffffffc0000000L;
            case "aarch64" -> 0xffff800001000000L;
            default -> 0xffffffff01000000L;
        };
        int machine = switch (arch) {
            case "x86_64" -> ElfConstants.EM_X86_64;
            case "aarch64" -> ElfConstants.EM_AARCH64;
            default -> ElfConstants.EM_RISCV;
        };
        RelocationEngine engine = RelocationEngines.forMachine(machine, 64).orElseThrow();
        List<Batch> batches = new ArrayList<>();
        long count = 0;
        for (Path p : objects(arch)) {
            try (ElfFile f = ElfFile.open(p)) {
                if (f.header().machine() != machine || !f.header().is64()) {
                    continue;
                }
                for (Batch b : place(f, engine, base, family)) {
                    batches.add(b);
                    count += b.fixups().size();
                }
            } catch (IOException | dev.kobj.elf.ElfFormatException e) {
                throw new IllegalStateException(p + ": " + e.getMessage(), e);
            }
        }
        return new Group(engine, batches, count);
    }

    private static List<Batch> place(ElfFile f, RelocationEngine engine, long base, RelocationKind.Category family)
            throws dev.kobj.elf.ElfFormatException {
        Placement.FileOrder layout = Placement.fileOrder(f, base);
        Map<Integer, Long> address = layout.addresses();
        long at = layout.end();
        long undefined = (at + 0xfff) & ~0xfffL;
        long got = undefined + 0x100000;
        SymbolTable symtab = f.symbolTable().orElse(null);
        if (symtab == null) {
            return List.of();
        }
        long[] value = new long[symtab.size()];
        for (int i = 0; i < symtab.size(); i++) {
            ElfSymbol sym = symtab.get(i);
            Long sec = address.get((int) sym.shndx());
            if (sym.isUndefined()) {
                value[i] = i == 0 ? 0 : undefined + 16L * i;
            } else if (sym.rawShndx() == ElfConstants.SHN_ABS) {
                value[i] = sym.value();
            } else {
                value[i] = sec == null ? 0 : sec + sym.value();
            }
        }
        List<Batch> out = new ArrayList<>();
        for (RelocationTable t : f.relocationTables()) {
            SectionHeader target = t.target();
            if (target == null || !address.containsKey(target.index()) || target.isNobits()) {
                continue;
            }
            long secAddr = address.get(target.index());
            List<Fixup> all = new ArrayList<>();
            List<Fixup> mine = new ArrayList<>();
            for (long i = 0; i < t.size(); i++) {
                Relocation r = t.get(i);
                int sym = (int) Math.min(r.symbol(), value.length - 1);
                Fixup fx = Fixup.of((int) r.type(), r.offset(), secAddr + r.offset(), value[sym], r.addend(), "", "")
                        .withGot(got + 8L * sym, got).withSymbolSize(symtab.symbolSize(sym));
                all.add(fx);
                RelocationKind k = engine.kind((int) r.type()).orElse(null);
                if (k != null && k.category() == family) {
                    mine.add(fx);
                }
            }
            if (mine.isEmpty()) {
                continue;
            }
            // RISC-V %pcrel_lo needs its HI20 partner in the same batch.
            List<Fixup> batch = new ArrayList<>(mine);
            for (Fixup fx : mine) {
                String name = engine.kind(fx.type()).map(RelocationKind::name).orElse("");
                if (name.contains("PCREL_LO12")) {
                    for (Fixup hi : all) {
                        if (hi.place() == fx.symbol() && !batch.contains(hi)) {
                            batch.add(hi);
                        }
                    }
                }
            }
            byte[] bytes = f.rawData(target).toArray(ValueLayout.JAVA_BYTE);
            MemorySegment pristine = MemorySegment.ofArray(bytes.clone());
            MemorySegment seg = MemorySegment.ofArray(bytes);
            ByteOrder order = f.header().order();
            // Dry run: keep the fixups that apply (one by one, so that one refusal drops only itself).
            List<Fixup> ok = new ArrayList<>();
            try {
                engine.applyAll(seg, order, batch);
                ok.addAll(batch);
            } catch (RelocationException e) {
                for (Fixup fx : mine) {
                    try {
                        MemorySegment.copy(pristine, 0, seg, 0, pristine.byteSize());
                        engine.applyAll(seg, order, List.of(fx));
                        ok.add(fx);
                    } catch (RelocationException ignored) {
                        // refused at this placement: not part of the measured work
                    }
                }
            }
            if (!ok.isEmpty()) {
                MemorySegment.copy(pristine, 0, seg, 0, pristine.byteSize());
                try {
                    engine.applyAll(seg, order, ok);
                } catch (RelocationException e) {
                    continue; // kept fixups that only apply alone: leave the section out
                }
                out.add(new Batch(pristine, seg, order, ok));
            }
        }
        return out;
    }
}
