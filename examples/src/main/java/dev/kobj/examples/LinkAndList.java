package dev.kobj.examples;

import dev.kobj.elf.ElfFile;
import dev.kobj.elf.ElfNames;
import dev.kobj.elf.KobjException;
import dev.kobj.link.HeapMemory;
import dev.kobj.link.LinkRequest;
import dev.kobj.link.Linker;
import dev.kobj.link.LoadedImage;
import dev.kobj.symtab.KernelSymbolTable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HexFormat;

/**
 * Links a kernel module (or relocatable object) against a System.map in heap memory, at the
 * address Linux gives x86_64 modules, and prints where each section and each symbol went.
 *
 * <pre>
 * java --module-path ... -m dev.kobj.examples/dev.kobj.examples.LinkAndList OBJECT SYSTEM_MAP
 * </pre>
 *
 * <p>Output, one line each: {@code module NAME ARCH}, then {@code section ADDRESS SIZE NAME}
 * for every placed section, then {@code symbol ADDRESS BIND TYPE WHERE NAME} for every symbol
 * of the object's table but the null one, section and file symbols, where WHERE is the
 * section a defined symbol lives in, or {@code UND:PROVIDER} for an undefined symbol and what
 * it resolved to ({@code vmlinux}, or {@code none} for a weak one found nowhere: address 0),
 * or {@code unloaded:SECTION} for a symbol of a section that is not loaded (.modinfo...:
 * its address is then its st_value).
 */
public final class LinkAndList {
    /** Where Linux 6.1 puts x86_64 modules (MODULES_VADDR). */
    static final long BASE = 0xffffffffc0000000L;

    private LinkAndList() {
    }

    /**
     * Runs the example.
     *
     * @param args the object file and the System.map
     * @throws IOException when a file cannot be read
     */
    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: LinkAndList OBJECT SYSTEM_MAP");
            System.exit(2);
        }
        try (ElfFile object = ElfFile.open(Path.of(args[0]));
             LoadedImage image = Linker.link(object, LinkRequest.builder(new HeapMemory(BASE))
                     .symbols(KernelSymbolTable.read(Path.of(args[1]))).base(BASE).build())) {
            System.out.println("module " + image.name() + " " + image.arch());
            for (LoadedImage.PlacedSection s : image.sections()) {
                System.out.println("section " + hex(s.address()) + " " + hex(s.size()) + " " + s.name());
            }
            int osabi = object.header().osabi();
            for (LoadedImage.LinkedSymbol s : image.symbols()) {
                String type = ElfNames.symbolType(osabi, s.symbol().type());
                if (s.source() == LoadedImage.Source.NULL || type.equals("SECTION") || type.equals("FILE")) {
                    continue;
                }
                String where = switch (s.source()) {
                    case LOOKUP -> "UND:" + s.provider();
                    case BINDING -> "UND:binding";
                    case WEAK_UNDEFINED -> "UND:none";
                    case ABSOLUTE -> "ABS";
                    case NOT_LOADED -> "unloaded:" + object.sections().get((int) s.symbol().shndx()).name();
                    default -> image.section((int) s.symbol().shndx()).orElseThrow().name();
                };
                System.out.println("symbol " + hex(s.address()) + " " + ElfNames.symbolBind(osabi, s.symbol().bind())
                        + " " + type + " " + where + " " + s.name());
            }
        } catch (KobjException e) {     // ElfFormatException, SymtabFormatException, LinkException
            System.err.println(e.getMessage());
            System.exit(1);
        }
    }

    private static String hex(long v) {
        return "0x" + HexFormat.of().toHexDigits(v);
    }
}
