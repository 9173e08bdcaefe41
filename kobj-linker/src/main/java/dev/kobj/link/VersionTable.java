package dev.kobj.link;

import static dev.kobj.elf.ElfConstants.SHT_NOBITS;

import dev.kobj.elf.ElfFile;
import dev.kobj.elf.ElfFormatException;
import dev.kobj.elf.ModVersion;
import dev.kobj.elf.SectionHeader;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A module's {@code __versions} by name (the first entry of a name wins, as the kernel's
 * {@code check_version} finds the first), with a mark per name for the symbols already
 * checked: an open-addressing table keyed by {@link String#hashCode}, reused by the next module
 * on the same thread, so that checking a module makes no map node per entry. {@link #of(ElfFile)}
 * keys the entries by their names' bytes in a copy of the section ({@code struct
 * modversion_info}: a CRC of the pointer's size, then the name, NUL-padded, 64 bytes in all),
 * with the hash {@code String.hashCode} would give their ISO-8859-1 decoding: no {@code String}
 * per entry; names asked that are not listed are kept as the caller's strings. Not thread-safe.
 */
final class VersionTable {
    private static final ThreadLocal<VersionTable> TABLES = ThreadLocal.withInitial(VersionTable::new);
    /** Entries kept between modules (a module with more gets a table of its own). */
    private static final int KEPT = 1 << 14;
    /** sizeof(struct modversion_info). */
    private static final int ENTRY = 64;

    /** Flag bits per slot. */
    private static final byte LISTED = 1;
    private static final byte CHECKED = 2;
    private static final byte USED = 4;

    /** Per slot: the key as a string, or null when it is the bytes at {@link #nameAt} of {@link #names}. */
    private String[] keys = new String[256];
    private int[] nameAt = new int[256];
    private int[] nameLength = new int[256];
    private int[] hashes = new int[256];
    private long[] crcs = new long[256];
    private byte[] flags = new byte[256];
    /** The slots in use, in the order they were taken. */
    private int[] taken = new int[129];
    private int used;
    /** The copy of the module's {@code __versions} the byte keys point into. */
    private byte[] names = new byte[0];

    /** {@return this thread's table, cleared, holding {@code versions}} */
    static VersionTable of(List<ModVersion> versions) {
        VersionTable t = table(versions.size());
        for (ModVersion v : versions) {
            String name = v.name();
            int s = t.slot(name);
            if (t.flags[s] == 0) {
                t.take(s, name.hashCode(), v.crc(), LISTED);
                t.keys[s] = name;
                t.grown(); // last: it may grow the table, which moves the slot
            }
        }
        return t;
    }

    /**
     * {@return this thread's table, cleared, holding the module's {@code __versions}}: what
     * {@code of(elf.modversions())} holds, read from the file's bytes when they are stored as
     * they are; anything else (SHF_COMPRESSED, outside the file, not whole entries, a name
     * without its NUL) is left to {@link ElfFile#modversions}, which reads or refuses it
     *
     * @throws ElfFormatException as {@link ElfFile#modversions}
     */
    static VersionTable of(ElfFile elf) throws ElfFormatException {
        Optional<SectionHeader> found = elf.section("__versions");
        if (found.isEmpty() || found.get().type() == SHT_NOBITS) {
            return of(List.of());
        }
        SectionHeader s = found.get();
        MemorySegment file = elf.bytes();
        long size = s.size();
        if (s.isCompressed() || s.offset() < 0 || size < 0 || s.offset() > file.byteSize()
                || size > file.byteSize() - s.offset() || size % ENTRY != 0 || size > Integer.MAX_VALUE - 8) {
            return of(elf.modversions());
        }
        int n = (int) (size / ENTRY);
        VersionTable t = table(n);
        if (t.names.length < size) {
            t.names = new byte[(int) size];
        }
        byte[] b = t.names;
        MemorySegment.copy(file, ValueLayout.JAVA_BYTE, s.offset(), b, 0, (int) size);
        boolean is64 = elf.header().is64();
        boolean le = elf.header().order() == ByteOrder.LITTLE_ENDIAN;
        int crcSize = is64 ? 8 : 4;
        for (int p = 0; p < size; p += ENTRY) {
            int at = p + crcSize;
            int len = 0;
            int h = 0; // String.hashCode of the ISO-8859-1 decoding
            while (len < ENTRY - crcSize && b[at + len] != 0) {
                h = 31 * h + (b[at + len] & 0xff);
                len++;
            }
            if (len == ENTRY - crcSize) {
                return of(elf.modversions()); // not NUL-terminated: its error
            }
            int slot = t.slot(at, len, h);
            if (t.flags[slot] == 0) {
                t.take(slot, h, crc(b, p, is64, le), LISTED);
                t.keys[slot] = null;
                t.nameAt[slot] = at;
                t.nameLength[slot] = len;
                t.grown();
            }
        }
        return t;
    }

    private static long crc(byte[] b, int p, boolean is64, boolean le) {
        int bytes = is64 ? 8 : 4;
        long v = 0;
        for (int k = 0; k < bytes; k++) {
            v |= (b[p + (le ? k : bytes - 1 - k)] & 0xffL) << (8 * k);
        }
        return v;
    }

    /** {@return this thread's table, cleared (a table of its own for more than KEPT / 2 entries)} */
    private static VersionTable table(int entries) {
        VersionTable t = entries * 2 > KEPT ? new VersionTable() : TABLES.get();
        t.clear();
        return t;
    }

    /** Empties the slots in use (a table grown by a big module is not cleared whole for every small one). */
    private void clear() {
        if (used * 8 >= keys.length) {
            Arrays.fill(keys, null);
            Arrays.fill(flags, (byte) 0);
        } else {
            for (int i = 0; i < used; i++) {
                keys[taken[i]] = null;
                flags[taken[i]] = 0;
            }
        }
        used = 0;
    }

    private static int spread(int h) {
        return h ^ (h >>> 16);
    }

    /** {@return the slot of {@code name}, or the free slot where it would go} */
    private int slot(String name) {
        int mask = flags.length - 1;
        int h = name.hashCode();
        int s = spread(h) & mask;
        while (flags[s] != 0 && (hashes[s] != h || !sameKey(s, name))) {
            s = (s + 1) & mask;
        }
        return s;
    }

    /** {@return the slot of the {@code len} bytes at {@code at} of {@link #names} (hash {@code h}), or the free slot} */
    private int slot(int at, int len, int h) {
        int mask = flags.length - 1;
        int s = spread(h) & mask;
        while (flags[s] != 0 && (hashes[s] != h || !sameKey(s, at, len))) {
            s = (s + 1) & mask;
        }
        return s;
    }

    private boolean sameKey(int s, String name) {
        String k = keys[s];
        return k != null ? k.equals(name) : sameChars(name, nameAt[s], nameLength[s]);
    }

    private boolean sameKey(int s, int at, int len) {
        String k = keys[s];
        return k != null ? sameChars(k, at, len)
                : Arrays.equals(names, nameAt[s], nameAt[s] + nameLength[s], names, at, at + len);
    }

    /** {@return whether {@code name} is the ISO-8859-1 decoding of the {@code len} bytes at {@code at}} */
    private boolean sameChars(String name, int at, int len) {
        if (name.length() != len) {
            return false;
        }
        for (int k = 0; k < len; k++) {
            if (name.charAt(k) != (names[at + k] & 0xff)) {
                return false;
            }
        }
        return true;
    }

    /** Marks slot {@code s} used by a key of hash {@code h}; the caller sets the key, then calls {@link #grown}. */
    private void take(int s, int h, long crc, byte listed) {
        hashes[s] = h;
        crcs[s] = crc;
        flags[s] = (byte) (USED | listed);
        taken[used++] = s;
    }

    /** Grows the table when it is over half full (after a key was added). */
    private void grown() {
        if (used * 2 > keys.length) {
            grow();
        }
    }

    private void grow() {
        String[] k = keys;
        int[] at = nameAt;
        int[] len = nameLength;
        int[] h = hashes;
        long[] c = crcs;
        byte[] f = flags;
        int[] t = taken;
        int n = k.length * 2;
        String[] k2 = new String[n];
        int[] at2 = new int[n];
        int[] len2 = new int[n];
        int[] h2 = new int[n];
        long[] c2 = new long[n];
        byte[] f2 = new byte[n];
        int[] t2 = new int[k.length + 1];
        keys = k2;
        nameAt = at2;
        nameLength = len2;
        hashes = h2;
        crcs = c2;
        flags = f2;
        taken = t2;
        int mask = n - 1;
        for (int i = 0; i < used; i++) {
            int from = t[i];
            int s = spread(h[from]) & mask;
            while (flags[s] != 0) {
                s = (s + 1) & mask;
            }
            keys[s] = k[from];
            nameAt[s] = at[from];
            nameLength[s] = len[from];
            hashes[s] = h[from];
            crcs[s] = c[from];
            flags[s] = f[from];
            taken[i] = s;
        }
    }

    /** {@return true the first time {@code name} is asked (the symbol is checked once)} */
    boolean firstCheck(String name) {
        return checkFirst(name) >= 0;
    }

    /**
     * {@return the slot of {@code name} the first time it is asked, -1 after}: the slot answers
     * {@link #listed} and {@link #crcAt} until the next name is asked (which may grow the table)
     */
    int checkFirst(String name) {
        int s = slot(name);
        if (flags[s] == 0) {
            take(s, name.hashCode(), 0, (byte) 0);
            keys[s] = name;
            grown();
            s = slot(name);
        }
        if ((flags[s] & CHECKED) != 0) {
            return -1;
        }
        flags[s] |= CHECKED;
        return s;
    }

    /** {@return whether __versions lists the name of slot {@code s} (from {@link #checkFirst})} */
    boolean listed(int s) {
        return (flags[s] & LISTED) != 0;
    }

    /** {@return the CRC __versions lists for the name of slot {@code s}, when {@link #listed}} */
    long crcAt(int s) {
        return crcs[s];
    }

    /** {@return the CRC __versions lists for {@code name}, or null} */
    Long crc(String name) {
        int s = slot(name);
        return (flags[s] & LISTED) != 0 ? crcs[s] : null;
    }
}
