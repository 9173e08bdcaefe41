package dev.kobj.link;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** A string table being written (gABI, "String Table"): a NUL first, each string once. */
final class Strtab {
    final ByteArrayOut bytes = new ByteArrayOut();
    final Map<String, Integer> offsets = new HashMap<>();

    Strtab() {
        bytes.write(0);
        offsets.put("", 0);
    }

    /** {@return the offset of {@code s}}, added when new */
    int add(String s) {
        Integer at = offsets.get(s);
        if (at != null) {
            return at;
        }
        int off = bytes.size();
        bytes.writeBytes(s.getBytes(StandardCharsets.UTF_8));
        bytes.write(0);
        offsets.put(s, off);
        return off;
    }

    /** A byte stream whose buffer can be copied from without a copy of its own. */
    static final class ByteArrayOut extends java.io.ByteArrayOutputStream {
        byte[] array() {
            return buf;
        }
    }
}
