package dev.kobj.cli;

import static dev.kobj.elf.ElfConstants.*;

import dev.kobj.elf.ElfFile;
import dev.kobj.elf.ElfFormatException;
import dev.kobj.elf.ElfHeader;
import dev.kobj.elf.ElfNames;
import dev.kobj.elf.ElfReader;
import dev.kobj.elf.RelocationTable;
import dev.kobj.elf.SectionHeader;
import dev.kobj.elf.SymbolTable;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What {@code kobjdump stats} does with one file, on one worker thread: the file is read into
 * the thread's buffer by positional reads ({@link ElfReader}: no mapping, so no page fault per
 * page and no {@code mmap}/{@code munmap} per file), then every section, symbol, relocation,
 * group and module section is checked as the general reader checks it when each is read.
 *
 * <p>Symbols are checked by {@link SymbolTable#checkAll}, which reads no name of a string table
 * that ends in a NUL (every offset inside it starts a terminated name), so a damaged file fails
 * with the general reader's message.
 *
 * <p>Not thread-safe: one per thread ({@link #get}).
 */
final class StatsReader {
    private static final ThreadLocal<StatsReader> READERS = ThreadLocal.withInitial(StatsReader::new);
    /** Relocation entries read at a time into {@link #entries}. */
    private static final int CHUNK = 1024;
    private static final int[] SYMBOL_TABLES = {SHT_SYMTAB, SHT_DYNSYM};

    private final ElfReader reader = new ElfReader();
    private final TypeCounts types = new TypeCounts();
    private final long[] entries = new long[3 * CHUNK];

    private StatsReader() {
    }

    /** {@return this thread's reader} */
    static StatsReader get() {
        return READERS.get();
    }

    /** Parses everything kobj reads from one file: {@link StatsCommand#parse}. */
    StatsCommand.FileResult parse(Path p) {
        try {
            ElfFile f = reader.open(p);
            try {
                return parse(p, f);
            } finally {
                f.close();
            }
        } catch (Exception | StackOverflowError | OutOfMemoryError e) {
            return new StatsCommand.FileResult(p, KobjDump.errorMessage(p.toString(), e), diskSize(p),
                    0, 0, 0, 0, null, 0, TypeCounts.Tally.NONE);
        }
    }

    /** {@return the size of a file that failed: as the reader saw it, else as the file system says, else 0} */
    private long diskSize(Path p) {
        long size = reader.lastFileSize();
        if (size >= 0) {
            return size;
        }
        try {
            return Files.size(p);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    private StatsCommand.FileResult parse(Path p, ElfFile f) throws ElfFormatException {
        ElfHeader h = f.header();
        MemorySegment seg = f.bytes();
        long fileSize = seg.byteSize();
        long symbols = 0;
        // Every section's bytes and compression header, then the symbol tables: a file with more
        // than one fault fails with the first of the first kind (no SectionHeader is made for a
        // section that passes: ElfFile makes them when asked for).
        f.checkSections();
        for (int type : SYMBOL_TABLES) {
            for (SectionHeader s : f.sections(type)) {
                SymbolTable t = f.symbolTable(s);
                t.checkAll(); // what reading every symbol checks, without making them
                symbols += t.size();
            }
        }
        long relocations = 0;
        TypeCounts counts = types;
        counts.clear();
        long[] e = entries;
        Describe.SymbolTables symtabs = new Describe.SymbolTables(f);
        for (RelocationTable t : f.relocationTables()) {
            SymbolTable symtab = symtabs.of(t);
            long nsyms = symtab == null ? 0 : symtab.size();
            for (long from = 0, n = t.size(); from < n; from += CHUNK) {
                int k = (int) Math.min(CHUNK, n - from);
                t.read(from, k, e); // r_offset, r_info, r_addend per entry, in one copy
                for (int j = 0; j < k; j++) {
                    long info = e[3 * j + 1];
                    long symbol = t.symbolOf(info);
                    if (symbol != 0 && symbol >= nsyms) {
                        Describe.relocationSymbol(f, t, symtab, from + j, symbol); // throws
                    }
                    counts.add(t.typeOf(info));
                }
            }
            relocations += t.size();
        }
        f.groups();
        f.checkModuleSections(); // modinfo() and modversions() would make a String per entry
        f.thisModule();
        return new StatsCommand.FileResult(p, null, reader.lastFileSize(), f.fileBytes().byteSize(),
                f.sections().size(), symbols, relocations, ElfNames.arch(h), h.machine(), counts.tally());
    }
}
