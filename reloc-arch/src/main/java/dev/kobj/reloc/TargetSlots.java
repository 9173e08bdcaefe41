package dev.kobj.reloc;

import java.util.Arrays;
import java.util.Map;

/**
 * A map from a stub key (symbol index, addend), {@link StubNeeds.Target}, to a long, looked up
 * with the two numbers themselves: open addressing over primitive arrays, so that finding the
 * GOT entry or PLT entry of a relocation makes no key object. Used by the pre-scan to
 * deduplicate targets (one {@link StubNeeds.Target} per distinct target, not per relocation)
 * and by the linker to find each fixup's entries.
 */
public final class TargetSlots {
    private long[] symbols;
    private long[] addends;
    private long[] values;
    private boolean[] used;
    private int size;

    /** An empty map. */
    public TargetSlots() {
        allocate(16);
    }

    /**
     * {@return a map holding the entries of {@code slots}; null when it is null or empty}
     *
     * @param slots entries by target, or null
     */
    public static TargetSlots of(Map<StubNeeds.Target, Long> slots) {
        if (slots == null || slots.isEmpty()) {
            return null;
        }
        TargetSlots t = new TargetSlots();
        // room for every entry at once (at most half full): no rehash while filling
        t.allocate(Math.max(16, Integer.highestOneBit(Math.max(1, slots.size()) * 4 - 1)));
        for (Map.Entry<StubNeeds.Target, Long> e : slots.entrySet()) {
            t.putIfAbsent(e.getKey().symbolIndex(), e.getKey().addend(), e.getValue());
        }
        return t;
    }

    private void allocate(int capacity) {
        symbols = new long[capacity];
        addends = new long[capacity];
        values = new long[capacity];
        used = new boolean[capacity];
    }

    /** {@return how many keys the map holds} */
    public int size() {
        return size;
    }

    /** {@return the hash of a (symbol, addend) pair}, which {@link TargetSet} indexes by too */
    static int hash(long symbol, long addend) {
        long h = symbol * 0x9E3779B97F4A7C15L + addend * 0xC2B2AE3D27D4EB4FL;
        return (int) (h ^ (h >>> 29));
    }

    private int slot(long symbol, long addend) {
        int mask = used.length - 1;
        int i = hash(symbol, addend) & mask;
        while (used[i] && (symbols[i] != symbol || addends[i] != addend)) {
            i = (i + 1) & mask;
        }
        return i;
    }

    /**
     * Adds the key with {@code value} unless it is there.
     *
     * @param symbol the key's symbol index
     * @param addend the key's addend
     * @param value the value to hold
     * @return true when the key was new
     */
    public boolean putIfAbsent(long symbol, long addend, long value) {
        int i = slot(symbol, addend);
        if (used[i]) {
            return false;
        }
        used[i] = true;
        symbols[i] = symbol;
        addends[i] = addend;
        values[i] = value;
        if (++size * 2 > used.length) {
            rehash();
        }
        return true;
    }

    /**
     * {@return the value of the key, or {@code missing} when it is not there}
     *
     * @param symbol the key's symbol index
     * @param addend the key's addend
     * @param missing what to return when the key is not there
     */
    public long get(long symbol, long addend, long missing) {
        int i = slot(symbol, addend);
        return used[i] ? values[i] : missing;
    }

    /**
     * Empties the map, keeping its arrays unless they are over four times what its last contents
     * needed (then smaller ones: a map reused per module does not clear the room of its largest
     * module every time).
     */
    public void clear() {
        int fit = Math.max(16, Integer.highestOneBit(Math.max(1, size) * 4 - 1));
        if (used.length > 4 * fit) {
            allocate(fit);
        } else {
            Arrays.fill(used, false);
        }
        size = 0;
    }

    private void rehash() {
        long[] s = symbols;
        long[] a = addends;
        long[] v = values;
        boolean[] u = used;
        allocate(u.length * 2);
        for (int i = 0; i < u.length; i++) {
            if (u[i]) {
                int j = slot(s[i], a[i]);
                used[j] = true;
                symbols[j] = s[i];
                addends[j] = a[i];
                values[j] = v[i];
            }
        }
    }
}
