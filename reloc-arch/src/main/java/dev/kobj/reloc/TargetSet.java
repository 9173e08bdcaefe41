package dev.kobj.reloc;

import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * The GOT or PLT targets of one object, (symbol index, addend) pairs in the order a pre-scan
 * first met them, each once: what {@link StubNeeds#empty} hands an engine's scan. The pairs are
 * held in primitive columns with an open-addressing index over them, so that a scan adds a
 * target and a linker finds the ordinal of a relocation's target (the entry's place in its stub
 * section) without making a key object; the {@link StubNeeds.Target} of the {@link java.util.Set}
 * view is made only when the set is walked as one. Insertion-ordered, as a
 * {@link java.util.LinkedHashSet} of targets; no element can be removed. Not thread-safe.
 */
public final class TargetSet extends AbstractSet<StubNeeds.Target> {
    private long[] symbols = new long[8];
    private long[] addends = new long[8];
    /** Slots: ordinal + 1, 0 for an empty slot; a power of two, at most half full. */
    private int[] slots = new int[16];
    private int size;

    /** An empty set. */
    public TargetSet() {
    }

    /**
     * {@return the targets of {@code targets}, in its order: the set itself when it is a
     * {@code TargetSet}}
     *
     * @param targets any set of targets
     */
    public static TargetSet of(java.util.Set<StubNeeds.Target> targets) {
        if (targets instanceof TargetSet t) {
            return t;
        }
        TargetSet t = new TargetSet();
        for (StubNeeds.Target x : targets) {
            t.add(x.symbolIndex(), x.addend());
        }
        return t;
    }

    /** {@return the slot holding the pair, or the empty slot where it would go} */
    private int slot(long symbol, long addend) {
        int mask = slots.length - 1;
        int i = TargetSlots.hash(symbol, addend) & mask;
        for (int e; (e = slots[i]) != 0; i = (i + 1) & mask) {
            if (symbols[e - 1] == symbol && addends[e - 1] == addend) {
                break;
            }
        }
        return i;
    }

    /**
     * Adds the target (symbol, addend) unless it is there.
     *
     * @param symbol the symbol index
     * @param addend the addend of the key
     * @return true when it was new
     */
    public boolean add(long symbol, long addend) {
        int i = slot(symbol, addend);
        if (slots[i] != 0) {
            return false;
        }
        if (size == symbols.length) {
            int n = size * 2;
            long[] s = Arrays.copyOf(symbols, n);
            long[] a = Arrays.copyOf(addends, n);
            symbols = s;
            addends = a;
        }
        symbols[size] = symbol;
        addends[size] = addend;
        slots[i] = ++size;
        if (size * 2 > slots.length) {
            rehash();
        }
        return true;
    }

    private void rehash() {
        int[] grown = new int[slots.length * 2];
        int mask = grown.length - 1;
        for (int o = 0; o < size; o++) {
            int i = TargetSlots.hash(symbols[o], addends[o]) & mask;
            while (grown[i] != 0) {
                i = (i + 1) & mask;
            }
            grown[i] = o + 1;
        }
        slots = grown;
    }

    /**
     * {@return the ordinal of the target (its place in insertion order, from 0), or -1}
     *
     * @param symbol the symbol index
     * @param addend the addend of the key
     */
    public int indexOf(long symbol, long addend) {
        return slots[slot(symbol, addend)] - 1;
    }

    /**
     * {@return the symbol index of the target of ordinal {@code i}}
     *
     * @param i from 0 to {@link #size()} - 1
     */
    public long symbol(int i) {
        return symbols[java.util.Objects.checkIndex(i, size)];
    }

    /**
     * {@return the addend of the target of ordinal {@code i}}
     *
     * @param i from 0 to {@link #size()} - 1
     */
    public long addend(int i) {
        return addends[java.util.Objects.checkIndex(i, size)];
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public boolean add(StubNeeds.Target t) {
        return add(t.symbolIndex(), t.addend());
    }

    @Override
    public boolean contains(Object o) {
        return o instanceof StubNeeds.Target t && indexOf(t.symbolIndex(), t.addend()) >= 0;
    }

    @Override
    public Iterator<StubNeeds.Target> iterator() {
        return new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return next < size;
            }

            @Override
            public StubNeeds.Target next() {
                if (next >= size) {
                    throw new NoSuchElementException();
                }
                int i = next++;
                return new StubNeeds.Target(symbols[i], addends[i]);
            }
        };
    }
}
