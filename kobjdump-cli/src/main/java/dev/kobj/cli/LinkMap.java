package dev.kobj.cli;

import static dev.kobj.elf.ElfConstants.STT_FILE;
import static dev.kobj.elf.ElfConstants.STT_SECTION;

import dev.kobj.link.LoadedImage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The link map {@code kobjdump link --map} prints: the regions, then every placed section in
 * address order with the symbols it defines under it, the stub sections, and the undefined
 * symbols with the address and provider each resolved to. Addresses are 16 hex digits for
 * ELF64 and 8 for ELF32, sizes 8 hex digits, as in ld's map files.
 */
final class LinkMap {
    private LinkMap() {
    }

    static String text(LoadedImage image) {
        int w = image.object().header().is64() ? 16 : 8;
        StringBuilder sb = new StringBuilder();
        sb.append("Link map of ").append(image.object().name()).append(": module ").append(image.name())
                .append(", ").append(image.arch().toString().toLowerCase(java.util.Locale.ROOT)).append(", ")
                .append(image.memory().kind()).append(" memory, ")
                .append(Fmt.count(image.relocationCount(), "relocation", "relocations")).append(" applied\n");

        sb.append("\nRegions:\n  ").append(Fmt.left("Name", 20)).append(Fmt.left("Address", w + 2))
                .append("Size      Used      Perm\n");
        for (LoadedImage.Region r : image.regions()) {
            sb.append("  ").append(Fmt.left(r.name(), 20)).append(Fmt.hex(r.address(), w)).append("  ")
                    .append(Fmt.hex(r.size(), 8)).append("  ").append(Fmt.hex(r.used(), 8)).append("  ")
                    .append(r.permissions()).append('\n');
        }

        Map<Integer, List<LoadedImage.LinkedSymbol>> bySection = new HashMap<>();
        List<LoadedImage.LinkedSymbol> undefined = new ArrayList<>();
        for (LoadedImage.LinkedSymbol s : image.symbols()) {
            switch (s.source()) {
                case DEFINED -> {
                    int t = s.symbol().type();
                    if (t != STT_SECTION && t != STT_FILE && !s.name().isEmpty()) {
                        bySection.computeIfAbsent((int) s.symbol().shndx(), k -> new ArrayList<>()).add(s);
                    }
                }
                case LOOKUP, BINDING, WEAK_UNDEFINED -> undefined.add(s);
                default -> {
                }
            }
        }
        Comparator<LoadedImage.LinkedSymbol> byAddress = (a, b) -> {
            int c = Long.compareUnsigned(a.address(), b.address());
            return c != 0 ? c : a.name().compareTo(b.name());
        };
        sb.append("\nSections:\n  ").append(Fmt.left("Address", w + 2)).append("Size      ")
                .append(Fmt.left("Region", 20)).append("Section\n");
        for (LoadedImage.PlacedSection p : image.sections()) {
            sb.append("  ").append(Fmt.hex(p.address(), w)).append("  ").append(Fmt.hex(p.size(), 8)).append("  ")
                    .append(Fmt.left(p.region().name(), 20)).append(Fmt.printable(p.name()))
                    .append(p.nobits() ? " (NOBITS)" : "").append('\n');
            List<LoadedImage.LinkedSymbol> syms = bySection.getOrDefault(p.index(), new ArrayList<>());
            syms.sort(byAddress);
            for (LoadedImage.LinkedSymbol s : syms) {
                sb.append("  ").append(" ".repeat(w + 2 + 10)).append(Fmt.hex(s.address(), w)).append("  ")
                        .append(Fmt.printable(s.name())).append('\n');
            }
        }

        if (!image.stubs().isEmpty()) {
            sb.append("\nStubs:\n");
            for (LoadedImage.StubSection st : image.stubs()) {
                sb.append("  ").append(Fmt.hex(st.address(), w)).append("  ").append(Fmt.hex(st.size(), 8))
                        .append("  ").append(Fmt.left(st.region().name(), 20)).append(st.name()).append(" (")
                        .append(st.kind()).append(", ").append(st.kind() == LoadedImage.StubKind.VENEER
                                ? Fmt.count(st.size() / st.entrySize(), "slot", "slots")
                                : Fmt.count(st.entries().size(), "entry", "entries"))
                        .append(" of ").append(st.entrySize()).append(" bytes)\n");
            }
        }

        sb.append("\nUndefined symbols:\n");
        if (undefined.isEmpty()) {
            sb.append("  (none)\n");
        } else {
            sb.append("  ").append(Fmt.left("Address", w + 2)).append(Fmt.left("Provider", 20)).append("Symbol\n");
            undefined.sort(Comparator.comparing(LoadedImage.LinkedSymbol::name));
            String last = null;
            for (LoadedImage.LinkedSymbol s : undefined) {
                if (s.name().equals(last)) {
                    continue;
                }
                last = s.name();
                String provider = switch (s.source()) {
                    case WEAK_UNDEFINED -> "(weak, none)";
                    default -> s.provider();
                };
                sb.append("  ").append(Fmt.hex(s.address(), w)).append("  ").append(Fmt.left(provider, 20))
                        .append(Fmt.printable(s.name())).append('\n');
            }
        }
        return sb.toString();
    }
}
