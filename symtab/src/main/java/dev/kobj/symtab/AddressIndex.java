package dev.kobj.symtab;

import java.util.Arrays;
import java.util.List;

/**
 * Address → symbol in O(log n): the symbols sorted by unsigned address in one {@code long[]}
 * and a parallel array, binary-searched. Keys are stored with the sign bit flipped
 * ({@code address ^ Long.MIN_VALUE}) so that a signed comparison of keys is an unsigned
 * comparison of addresses. The sort is stable: of several symbols at one address, the one
 * that came first in the input answers.
 */
final class AddressIndex {
    private final long[] keys;
    private final KernelSymbol[] symbols;

    AddressIndex(List<KernelSymbol> input) {
        int n = input.size();
        long[] k = new long[n];
        boolean ascending = true;
        for (int i = 0; i < n; i++) {
            k[i] = input.get(i).address() ^ Long.MIN_VALUE;
            ascending &= i == 0 || k[i - 1] <= k[i];
        }
        if (ascending) { // already in the order the sort gives (a synthesized table, System.map): no sort
            keys = k;
            symbols = input.toArray(new KernelSymbol[0]);
            return;
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> {
            int c = Long.compare(k[a], k[b]);
            return c != 0 ? c : Integer.compare(a, b);
        });
        keys = new long[n];
        symbols = new KernelSymbol[n];
        for (int i = 0; i < n; i++) {
            keys[i] = k[order[i]];
            symbols[i] = input.get(order[i]);
        }
    }

    int size() {
        return keys.length;
    }

    /** {@return the first-listed symbol with the greatest address ≤ {@code address} (unsigned), or null} */
    KernelSymbol nearest(long address) {
        long key = address ^ Long.MIN_VALUE;
        // Find the last index whose key is <= key, then walk back to the first of equal keys.
        int lo = 0;
        int hi = keys.length - 1;
        int found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (keys[mid] <= key) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        if (found < 0) {
            return null;
        }
        long at = keys[found];
        lo = 0;
        hi = found;
        while (lo < hi) { // first index with keys[i] == at
            int mid = (lo + hi) >>> 1;
            if (keys[mid] < at) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return symbols[lo];
    }
}
