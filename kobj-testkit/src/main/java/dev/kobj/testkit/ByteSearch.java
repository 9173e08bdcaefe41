package dev.kobj.testkit;

/** Finding a byte string in a fixture's bytes, for the tests that patch a copy of a real object. */
public final class ByteSearch {
    private ByteSearch() {
    }

    /** {@return the index of the first occurrence of {@code needle} in {@code hay}, or -1} */
    public static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
