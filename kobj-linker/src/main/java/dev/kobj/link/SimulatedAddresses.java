package dev.kobj.link;

import java.util.TreeMap;

/**
 * Address bookkeeping shared by the simulated memories: the live ranges, and the choice of a
 * non-overlapping address at or above a base when the caller asks for none.
 */
final class SimulatedAddresses {
    private final long base;
    /** Live ranges: start → end (exclusive), unsigned order does not matter below 2^63. */
    private final TreeMap<Long, Long> live = new TreeMap<>(Long::compareUnsigned);

    SimulatedAddresses(long base) {
        this.base = base;
    }

    /** {@return {@code address} when not 0, else the lowest free aligned address at or above the base} */
    synchronized long reserve(long address, long size, long alignment) throws LinkException {
        long a = Math.max(1, alignment);
        if (Long.bitCount(a) != 1) {
            throw new LinkException("alignment " + alignment + " is not a power of two");
        }
        if (address != 0) {
            if ((address & (a - 1)) != 0) {
                throw new LinkException(String.format("address 0x%x is not aligned to 0x%x", address, a));
            }
            live.merge(address, address + size, (x, y) -> Long.compareUnsigned(x, y) >= 0 ? x : y);
            return address;
        }
        long at = (base + a - 1) & -a;
        for (var e : live.entrySet()) {
            long s = e.getKey();
            long end = e.getValue();
            if (Long.compareUnsigned(at + size, s) <= 0) {
                break;
            }
            if (Long.compareUnsigned(end, at) > 0) {
                at = (end + a - 1) & -a;
            }
        }
        if (Long.compareUnsigned(at + size, at) < 0) {
            throw new LinkException("no room for 0x" + Long.toHexString(size) + " bytes above 0x" + Long.toHexString(base));
        }
        live.put(at, at + size);
        return at;
    }

    synchronized void release(long address) {
        live.remove(address);
    }

    synchronized int liveCount() {
        return live.size();
    }
}
