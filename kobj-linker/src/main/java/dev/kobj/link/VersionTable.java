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

    private void clear() {
        if (used > 0) {
            Arrays.fill(keys, null);
            Arrays.fill(flags, (byte) 0);
            used = 0;
        }
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
        if (++used * 2 > keys.length) {
            grow();
        }
    }

    private void grow() {
        String[] k = keys;
        long[] c = crcs;
        byte[] f = flags;
        String[] k2 = new String[k.length * 2];
        long[] c2 = new long[k.length * 2];
        byte[] f2 = new byte[k.length * 2];
        keys = k2;
        crcs = c2;
        flags = f2;
        for (int i = 0; i < k.length; i++) {
            if (k[i] != null) {
                int s = slot(k[i]);
                keys[s] = k[i];
                crcs[s] = c[i];
                flags[s] = f[i];
            }
        }
    }

    /** {@return true the first time {@code name} is asked (the symbol is checked once)} */
    boolean firstCheck(String name) {
        int s = slot(name);
        if (keys[s] == null) {
            insert(s, name);
            s = slot(name);
        }
        if ((flags[s] & 2) != 0) {
            return false;
        }
        flags[s] |= 2;
        return true;
    }

    /** {@return the CRC __versions lists for {@code name}, or null} */
    Long crc(String name) {
        int s = slot(name);
        return keys[s] != null && (flags[s] & 1) != 0 ? crcs[s] : null;
    }
}
