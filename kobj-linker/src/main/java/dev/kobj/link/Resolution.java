package dev.kobj.link;

import static dev.kobj.elf.ElfConstants.SHN_COMMON;
import static dev.kobj.elf.ElfConstants.SHN_UNDEF;
import static dev.kobj.elf.ElfConstants.STB_WEAK;

import dev.kobj.elf.ElfFormatException;
import dev.kobj.elf.SymbolTable;
import dev.kobj.symtab.KernelSymbol;
import dev.kobj.symtab.SymbolLookup;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Resolution of an object's undefined symbols: the lookup (loaded modules, then the kernel, as
 * the caller chained them), then the bindings; weak undefined symbols nobody provides are 0.
 * Definitions are the object's own ("locals first"): only SHN_UNDEF entries are looked up.
 * The addresses of defined symbols are filled in by the layout ({@link Link}).
 *
 * <p>No object per symbol: the table is read in chunks of packed fields
 * ({@link SymbolTable#read}, which checks every entry as {@link SymbolTable#all} would), an
 * undefined symbol is looked up by its name's bytes ({@link SymbolLookup#find}), and only the
 * outcomes of the undefined symbols are kept, in columns sorted by symbol index. A name
 * {@code String} is made for a symbol that a binding may provide (when there are bindings),
 * and for the ones reported (unresolved, SHN_COMMON).
 */
final class Resolution {

    /** GOT-relative symbol that resolves to kobj's own GOT (x86-64 GOTPC32 and friends). */
    static final String GOT_SYMBOL = "_GLOBAL_OFFSET_TABLE_";
    private static final byte[] GOT_BYTES = GOT_SYMBOL.getBytes(StandardCharsets.ISO_8859_1);

    /** The table, or null when the object has none. */
    final SymbolTable table;
    /** Its string table's bytes (a view of the file). */
    final MemorySegment names;
    /** Entries in the table, the null symbol included (0 without a table). */
    final int size;

    /** The resolved undefined symbols, by ascending symbol index: index, address, source, provider. */
    int count;
    int[] index = new int[16];
    long[] address = new long[16];
    LoadedImage.Source[] source = new LoadedImage.Source[16];
    KernelSymbol[] provider = new KernelSymbol[16];
    /** Index of the undefined {@code _GLOBAL_OFFSET_TABLE_} entries (resolved to kobj's GOT by the link). */
    final List<Integer> gotSymbols = new ArrayList<>(1);

    /** The names of the undefined symbols found nowhere, and of the SHN_COMMON ones, in index order. */
    final List<String> unresolved = new ArrayList<>();
    final List<String> common = new ArrayList<>();

    Resolution(SymbolTable table, SymbolLookup lookup, Map<String, Long> bindings) throws ElfFormatException {
        this.table = table;
        this.size = table == null ? 0 : table.size();
        this.names = table == null ? MemorySegment.NULL : table.strings().bytes();
        NameBytes nb = table == null ? null : new NameBytes(table.strings());
        long[] f = Chunks.get();
        for (int from = 0; from < size; from += Chunks.SIZE) {
            int k = Math.min(Chunks.SIZE, size - from);
            table.read(from, k, f);
            for (int j = 0; j < k; j++) {
                long w = f[3 * j];
                int raw = SymbolTable.rawShndxOf(w);
                int i = from + j;
                if (i == 0 || (raw != SHN_UNDEF && raw != SHN_COMMON)) {
                    continue;
                }
                long off = SymbolTable.nameOf(w);
                if (raw == SHN_COMMON) {
                    common.add(table.name(i));
                    continue;
                }
                if (off == 0) {
                    continue; // nameless undefined entries: 0
                }
                byte[] nameBytes = nb.bytes;
                int at = nb.base + (int) off;
                int len = nb.length(off);
                if (len == 0) {
                    continue;
                }
                if (len == GOT_BYTES.length && java.util.Arrays.equals(nameBytes, at, at + len, GOT_BYTES, 0, len)) {
                    gotSymbols.add(i);
                    continue;
                }
                KernelSymbol ks = lookup.find(nameBytes, at, len);
                if (ks != null) {
                    add(i, ks.address(), LoadedImage.Source.LOOKUP, ks);
                    continue;
                }
                Long b = bindings.isEmpty() ? null : bindings.get(table.name(i));
                if (b != null) {
                    add(i, b, LoadedImage.Source.BINDING, null);
                } else if (SymbolTable.infoOf(w) >>> 4 == STB_WEAK) {
                    add(i, 0, LoadedImage.Source.WEAK_UNDEFINED, null);
                } else {
                    unresolved.add(table.name(i));
                }
            }
        }
    }

    private void add(int i, long a, LoadedImage.Source s, KernelSymbol p) {
        if (count == index.length) {
            int n = count * 2;
            int[] i2 = Arrays.copyOf(index, n);
            long[] a2 = Arrays.copyOf(address, n);
            // typed copies: Arrays.copyOf of an Object[] subtype makes the array reflectively
            LoadedImage.Source[] s2 = new LoadedImage.Source[n];
            KernelSymbol[] p2 = new KernelSymbol[n];
            System.arraycopy(source, 0, s2, 0, count);
            System.arraycopy(provider, 0, p2, 0, count);
            index = i2;
            address = a2;
            source = s2;
            provider = p2;
        }
        index[count] = i;
        address[count] = a;
        source[count] = s;
        provider[count] = p;
        count++;
    }

    /** {@return the position of symbol {@code i} among the resolved undefined ones, or a negative number} */
    int find(int i) {
        return Arrays.binarySearch(index, 0, count, i);
    }

}
