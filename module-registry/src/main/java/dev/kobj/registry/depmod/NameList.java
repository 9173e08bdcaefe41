package dev.kobj.registry.depmod;

import java.nio.charset.StandardCharsets;
import java.util.AbstractList;
import java.util.List;
import java.util.RandomAccess;

/**
 * Symbol names kept as the bytes of the module's string table (one array per list), each with
 * its hash: what {@link SymbolReader} gives {@link ModuleSymbols}, so that depmod matches
 * imports to exports without making a {@code String} per symbol ({@link DependencyGraph}
 * hashes and compares the bytes). A name becomes a {@code String} (ISO-8859-1, as {@link
 * dev.kobj.elf.StringTable} decodes it) only when the list is read as a {@code List<String>}.
 *
 * <p>Immutable: the arrays are the list's own.
 */
final class NameList extends AbstractList<String> implements RandomAccess {
    static final NameList EMPTY = new NameList(new byte[0], new int[0], new int[0], 0);

    /** The names' bytes. */
    final byte[] bytes;
    /** Name {@code i} is {@code bytes[start(i), ends[i])}, where it starts at {@code ends[i - 1]} (0 for the first). */
    final int[] ends;
    /** {@link #hash} of each name. */
    final int[] hashes;
    private final int size;

    NameList(byte[] bytes, int[] ends, int[] hashes, int size) {
        this.bytes = bytes;
        this.ends = ends;
        this.hashes = hashes;
        this.size = size;
    }

    /**
     * {@return the names as a name list}: each encoded in ISO-8859-1, which gives back the bytes
     * of names that {@link dev.kobj.elf.StringTable} decoded
     * @param names names decoded from a module's tables
     */
    static NameList latin1(List<String> names) {
        if (names instanceof NameList l) {
            return l;
        }
        if (names.isEmpty()) {
            return EMPTY;
        }
        byte[][] enc = new byte[names.size()][];
        int length = 0;
        for (int i = 0; i < enc.length; i++) {
            enc[i] = names.get(i).getBytes(StandardCharsets.ISO_8859_1);
            length += enc[i].length;
        }
        byte[] bytes = new byte[length];
        int[] ends = new int[enc.length];
        int[] hashes = new int[enc.length];
        int at = 0;
        for (int i = 0; i < enc.length; i++) {
            System.arraycopy(enc[i], 0, bytes, at, enc[i].length);
            hashes[i] = hash(bytes, at, at + enc[i].length);
            at += enc[i].length;
            ends[i] = at;
        }
        return new NameList(bytes, ends, hashes, enc.length);
    }

    /** {@return the index in {@link #bytes} of name {@code i}'s first byte} */
    int start(int i) {
        return i == 0 ? 0 : ends[i - 1];
    }

    /** {@return the hash of {@code b[from, to)}: String.hashCode's polynomial over the unsigned bytes} */
    static int hash(byte[] b, int from, int to) {
        int h = 0;
        for (int i = from; i < to; i++) {
            h = 31 * h + (b[i] & 0xff);
        }
        return h;
    }

    @Override
    public String get(int i) {
        if (i < 0 || i >= size) {
            throw new IndexOutOfBoundsException("name " + i + " of " + size);
        }
        int s = start(i);
        return new String(bytes, s, ends[i] - s, StandardCharsets.ISO_8859_1);
    }

    @Override
    public int size() {
        return size;
    }
}
