package dev.kobj.link;

import static dev.kobj.elf.ByteOrderLayouts.BE16;
import static dev.kobj.elf.ByteOrderLayouts.BE32;
import static dev.kobj.elf.ByteOrderLayouts.BE64;
import static dev.kobj.elf.ByteOrderLayouts.LE16;
import static dev.kobj.elf.ByteOrderLayouts.LE32;
import static dev.kobj.elf.ByteOrderLayouts.LE64;

import dev.kobj.elf.ElfConstants;
import dev.kobj.elf.ElfSymbol;
import dev.kobj.link.LoadedImage.LinkedSymbol;
import dev.kobj.link.LoadedImage.Source;
import dev.kobj.symtab.KernelSymbol;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.AbstractList;
import java.util.Arrays;
import java.util.Map;
import java.util.RandomAccess;

/**
 * An image's symbols ({@link LoadedImage#symbols}), each {@link LinkedSymbol} made when it is
 * asked for, from columns the link fills anyway (final address and source per symbol, the
 * providers of the resolved undefined ones) and the bytes of the object's {@code .symtab} and
 * {@code .strtab} (Elf64_Sym / Elf32_Sym as the gABI "Symbol Table" lays them out). Those
 * bytes are the image's own copies when the layout placed them (the kernel's
 * {@code layout_symtab} puts both in the init data), else copies of the file's: the file's
 * memory may be reused once the link returns (an {@code ElfReader}'s buffer), so nothing here
 * reads the file. Before the image frees the memory holding them ({@link #keep}), copies
 * outside the heap are copied into it.
 */
final class SymbolList extends AbstractList<LinkedSymbol> implements RandomAccess {
    private static final Source[] SOURCES = Source.values();

    private final boolean is64;
    private final boolean le;
    private MemorySegment symtab;
    private MemorySegment strtab;
    private final long[] addresses;
    private final byte[] sources;
    /** Resolved undefined symbols by ascending index, with their providers (null for bindings and weak ones). */
    private final int[] providerIndex;
    private final KernelSymbol[] providers;
    private final Source[] providerSources;
    /** Undefined {@code _GLOBAL_OFFSET_TABLE_} entries, sorted (provider {@link Link#GOT_NAME}). */
    private final int[] gotSymbols;
    /** Section indexes of the SHN_XINDEX entries (gABI "Extended Section Indexes"); empty map when none. */
    private final Map<Integer, Long> extended;

    SymbolList(boolean is64, ByteOrder order, MemorySegment symtab, MemorySegment strtab, long[] addresses,
            byte[] sources, Resolution r, Map<Integer, Long> extended) {
        this.is64 = is64;
        this.le = order == ByteOrder.LITTLE_ENDIAN;
        this.symtab = symtab;
        this.strtab = strtab;
        this.addresses = addresses;
        this.sources = sources;
        this.providerIndex = Arrays.copyOf(r.index, r.count);
        this.providers = new KernelSymbol[r.count]; // typed copies: Arrays.copyOf would make them reflectively
        this.providerSources = new Source[r.count];
        System.arraycopy(r.provider, 0, providers, 0, r.count);
        System.arraycopy(r.source, 0, providerSources, 0, r.count);
        int[] got = new int[r.gotSymbols.size()];
        for (int k = 0; k < got.length; k++) {
            got[k] = r.gotSymbols.get(k);
        }
        Arrays.sort(got);
        this.gotSymbols = got;
        this.extended = extended;
    }

    /** Copies the symbol and string bytes into the heap unless they are there already (before their memory is freed). */
    synchronized void keep() {
        if (symtab.isNative()) {
            symtab = MemorySegment.ofArray(symtab.toArray(ValueLayout.JAVA_BYTE));
        }
        if (strtab.isNative()) {
            strtab = MemorySegment.ofArray(strtab.toArray(ValueLayout.JAVA_BYTE));
        }
    }

    @Override
    public int size() {
        return addresses.length;
    }

    @Override
    public synchronized LinkedSymbol get(int i) {
        if (i < 0 || i >= addresses.length) {
            throw new IndexOutOfBoundsException("symbol " + i + " of " + addresses.length);
        }
        long p = (long) i * (is64 ? 24 : 16);
        long nameOff = u32(p);
        int info = u8(is64 ? p + 4 : p + 12);
        int other = u8(is64 ? p + 5 : p + 13);
        int raw = u16(is64 ? p + 6 : p + 14);
        long value = is64 ? u64(p + 8) : u32(p + 4);
        long size = is64 ? u64(p + 16) : u32(p + 8);
        long shndx = raw == ElfConstants.SHN_XINDEX ? extended.getOrDefault(i, (long) raw) : raw;
        ElfSymbol s = new ElfSymbol(i, name(nameOff), value, size, info, other, raw, shndx);
        Source source = SOURCES[sources[i]];
        return new LinkedSymbol(s, addresses[i], source, provider(i, raw));
    }

    private String provider(int i, int raw) {
        if (raw != ElfConstants.SHN_UNDEF || i == 0) {
            return "";
        }
        int k = Arrays.binarySearch(providerIndex, i);
        if (k >= 0) {
            KernelSymbol p = providers[k];
            return p != null ? p.owner() : providerSources[k] == Source.BINDING ? "binding" : "";
        }
        return Arrays.binarySearch(gotSymbols, i) >= 0 ? Link.GOT_NAME : "";
    }

    /** The name at {@code off}: checked when the link read the table (inside the table, terminated there). */
    private String name(long off) {
        long n = strtab.byteSize();
        if (off >= n) {
            return "";
        }
        long q = off;
        while (q < n && strtab.get(ValueLayout.JAVA_BYTE, q) != 0) {
            q++;
        }
        if (q == off) {
            return "";
        }
        return new String(strtab.asSlice(off, q - off).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.ISO_8859_1);
    }

    private int u8(long off) {
        return symtab.get(ValueLayout.JAVA_BYTE, off) & 0xff;
    }

    private int u16(long off) {
        return (le ? symtab.get(LE16, off) : symtab.get(BE16, off)) & 0xffff;
    }

    private long u32(long off) {
        return (le ? symtab.get(LE32, off) : symtab.get(BE32, off)) & 0xffffffffL;
    }

    private long u64(long off) {
        return le ? symtab.get(LE64, off) : symtab.get(BE64, off);
    }
}
