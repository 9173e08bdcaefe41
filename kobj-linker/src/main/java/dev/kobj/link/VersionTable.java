package dev.kobj.link;

import dev.kobj.elf.ModVersion;
import java.util.Arrays;
import java.util.List;

/**
 * A module's {@code __versions} by name (the first entry of a name wins, as the kernel's
 * {@code check_version} finds the first), with a mark per name for the symbols already
 * checked: an open-addressing table over the names' cached {@link String#hashCode}, reused by
 * the next module on the same thread ({@link #of}), so that checking a module makes no map
 * node per entry. Not thread-safe.
 */
final class VersionTable {
    private static final ThreadLocal<VersionTable> TABLES = ThreadLocal.withInitial(VersionTable::new);
    /** Entries kept between modules (a module with more gets a table of its own). */
    private static final int KEPT = 1 << 14;

    private String[] keys = new String[256];
    private long[] crcs = new long[256];
    /** Per slot: 1 = listed in __versions, 2 = checked. */
    private byte[] flags = new byte[256];
    /** The slots in use, in the order they were taken. */
    private int[] taken = new int[129];
    private int used;

    /** {@return this thread's table, cleared, holding {@code versions}} */
    static VersionTable of(List<ModVersion> versions) {
        VersionTable t = TABLES.get();
        if (versions.size() * 2 > KEPT) {
            t = new VersionTable();
        }
        t.clear();
        for (ModVersion v : versions) {
            int s = t.slot(v.name());
            if (t.keys[s] == null) {
                t.crcs[s] = v.crc();
                t.flags[s] = 1;
                t.insert(s, v.name()); // last: it may grow the table, which moves the slot
            }
        }
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

    private int slot(String name) {
        int mask = keys.length - 1;
        int h = name.hashCode();
        int s = (h ^ (h >>> 16)) & mask;
        for (String k; (k = keys[s]) != null && !k.equals(name); s = (s + 1) & mask) {
            // linear probing
        }
        return s;
    }

    private void insert(int s, String name) {
        keys[s] = name;
        taken[used] = s;
        if (++used * 2 > keys.length) {
            grow();
        }
    }

    private void grow() {
        String[] k = keys;
        long[] c = crcs;
        byte[] f = flags;
        int[] t = taken;
        String[] k2 = new String[k.length * 2];
        long[] c2 = new long[k.length * 2];
        byte[] f2 = new byte[k.length * 2];
        int[] t2 = new int[k.length + 1];
        keys = k2;
        crcs = c2;
        flags = f2;
        taken = t2;
        for (int i = 0; i < used; i++) {
            int from = t[i];
            int s = slot(k[from]);
            keys[s] = k[from];
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
        if (keys[s] == null) {
            insert(s, name);
            s = slot(name);
        }
        if ((flags[s] & 2) != 0) {
            return -1;
        }
        flags[s] |= 2;
        return s;
    }

    /** {@return whether __versions lists the name of slot {@code s} (from {@link #checkFirst})} */
    boolean listed(int s) {
        return (flags[s] & 1) != 0;
    }

    /** {@return the CRC __versions lists for the name of slot {@code s}, when {@link #listed}} */
    long crcAt(int s) {
        return crcs[s];
    }

    /** {@return the CRC __versions lists for {@code name}, or null} */
    Long crc(String name) {
        int s = slot(name);
        return keys[s] != null && (flags[s] & 1) != 0 ? crcs[s] : null;
    }
}
