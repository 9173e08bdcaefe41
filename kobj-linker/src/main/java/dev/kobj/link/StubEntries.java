package dev.kobj.link;

import dev.kobj.reloc.StubNeeds;
import dev.kobj.reloc.TargetSet;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * The entries of a stub section ({@link LoadedImage.StubSection#entries}): the target of
 * ordinal i of the pre-scan's {@link TargetSet} has the entry at {@code base + i * entrySize},
 * as the section is laid out. The link reads the addresses from the set itself
 * ({@link #address}), so the targets are held once, in the scan's columns; a {@code Long} and a
 * map entry are made only when a caller walks or asks the map. Unmodifiable, ordered as the set.
 */
final class StubEntries extends AbstractMap<StubNeeds.Target, Long> {
    private final TargetSet targets;
    private final long base;
    private final int entrySize;

    StubEntries(TargetSet targets, long base, int entrySize) {
        this.targets = targets;
        this.base = base;
        this.entrySize = entrySize;
    }

    /** {@return the targets, in entry order} */
    TargetSet targets() {
        return targets;
    }

    /** {@return the address of the entry of ordinal {@code i}} */
    long address(int i) {
        return base + (long) i * entrySize;
    }

    /**
     * {@return the address of the entry of target (symbol, addend), or {@code missing}}
     *
     * @param symbol  the symbol index
     * @param addend  the addend of the key
     * @param missing what to return when there is no such entry
     */
    long address(long symbol, long addend, long missing) {
        int i = targets.indexOf(symbol, addend);
        return i < 0 ? missing : address(i);
    }

    @Override
    public int size() {
        return targets.size();
    }

    @Override
    public boolean containsKey(Object key) {
        return targets.contains(key);
    }

    @Override
    public Long get(Object key) {
        if (key instanceof StubNeeds.Target t) {
            int i = targets.indexOf(t.symbolIndex(), t.addend());
            return i < 0 ? null : address(i);
        }
        return null;
    }

    @Override
    public Set<Map.Entry<StubNeeds.Target, Long>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public int size() {
                return targets.size();
            }

            @Override
            public Iterator<Map.Entry<StubNeeds.Target, Long>> iterator() {
                return new Iterator<>() {
                    private int next;

                    @Override
                    public boolean hasNext() {
                        return next < targets.size();
                    }

                    @Override
                    public Map.Entry<StubNeeds.Target, Long> next() {
                        if (next >= targets.size()) {
                            throw new NoSuchElementException();
                        }
                        int i = next++;
                        return new SimpleImmutableEntry<>(new StubNeeds.Target(targets.symbol(i), targets.addend(i)),
                                address(i));
                    }
                };
            }
        };
    }
}
