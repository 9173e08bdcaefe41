package dev.kobj.cli;

import dev.kobj.elf.ElfNames;
import dev.kobj.link.LoadedImage;
import java.util.Locale;

/**
 * The link map as JSON ({@code kobjdump link --map --json}): the layout used, what
 * /proc/modules would show, the allocations (regions in the kernel's words: {@code core},
 * {@code init}; {@code text}, {@code data}, ... from 6.4; kobj's {@code kobj_stubs} and
 * {@code percpu} with {@code "kernel": false}) with their permission groups, every placed
 * section with the region holding it, kobj's stub sections, and every symbol of the object's
 * table with its final address. Addresses are unsigned numbers and, for tools that read JSON
 * numbers as doubles, also hex strings ({@code addressHex}).
 */
final class LinkMapJson {
    private LinkMapJson() {
    }

    static String of(String file, LoadedImage image) {
        StringBuilder sb = new StringBuilder();
        Json j = new Json(sb);
        int osabi = image.object().header().osabi();
        j.beginObject()
                .field("file", file)
                .field("module", image.name())
                .field("arch", image.arch().displayName())
                .field("layout", image.layout().name());
        j.name("procModules").beginCompactObject();
        address(j, "base", image.moduleBase());
        j.fieldUnsigned("size", image.moduleSize()).endObject();
        j.name("regions").beginArray();
        for (LoadedImage.Area a : image.areas()) {
            j.beginObject().field("name", a.name()).field("kernel", a.kernel())
                    .field("init", a.layout() == LoadedImage.Layout.INIT);
            address(j, "address", a.address());
            j.fieldUnsigned("size", a.size()).fieldUnsigned("kernelSize", a.kernelSize());
            j.name("groups").beginArray();
            for (LoadedImage.Region r : a.regions()) {
                j.beginCompactObject().field("name", r.name())
                        .field("part", r.part().name().toLowerCase(Locale.ROOT));
                address(j, "address", r.address());
                j.fieldUnsigned("size", r.size()).fieldUnsigned("used", r.used())
                        .field("perm", r.permissions().toString()).endObject();
            }
            j.endArray().endObject();
        }
        j.endArray();
        j.name("sections").beginArray();
        for (LoadedImage.PlacedSection p : image.sections()) {
            j.beginCompactObject().field("name", p.name()).field("index", p.index());
            address(j, "address", p.address());
            j.fieldUnsigned("size", p.size())
                    .field("region", image.area(p.region()).map(LoadedImage.Area::name).orElse(""))
                    .field("group", p.region().name()).endObject();
        }
        j.endArray();
        j.name("stubs").beginArray();
        for (LoadedImage.StubSection s : image.stubs()) {
            j.beginCompactObject().field("name", s.name()).field("kind", s.kind().name().toLowerCase(Locale.ROOT));
            address(j, "address", s.address());
            j.fieldUnsigned("size", s.size())
                    .field("region", image.area(s.region()).map(LoadedImage.Area::name).orElse("")).endObject();
        }
        j.endArray();
        j.name("symbols").beginArray();
        for (LoadedImage.LinkedSymbol s : image.symbols()) {
            if (s.symbol().index() == 0) {
                continue;
            }
            var e = s.symbol();
            j.beginCompactObject().field("name", s.name()).field("index", e.index());
            address(j, "address", s.address());
            j.fieldUnsigned("size", e.size())
                    .field("bind", ElfNames.symbolBind(osabi, e.bind()))
                    .field("type", ElfNames.symbolType(osabi, e.type()))
                    .field("section", section(image, s))
                    .field("source", s.source().name().toLowerCase(Locale.ROOT));
            if (!s.provider().isEmpty()) {
                j.field("provider", s.provider());
            }
            j.endObject();
        }
        j.endArray();
        j.endObject();
        sb.append('\n');
        return sb.toString();
    }

    private static String section(LoadedImage image, LoadedImage.LinkedSymbol s) {
        if (s.source() != LoadedImage.Source.DEFINED || s.wasUndefined()) {
            return "";
        }
        return image.section((int) s.symbol().shndx()).map(LoadedImage.PlacedSection::name).orElse("");
    }

    private static void address(Json j, String name, long v) {
        j.fieldUnsigned(name, v).field(name + "Hex", "0x" + Long.toHexString(v));
    }
}
