package dev.kobj.link;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kobj.elf.ModVersion;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@link VersionTable} against a {@code HashMap} filled first-entry-wins (as check_version reads
 * __versions) and a {@code HashSet} of checked names, over tables large enough to grow it
 * several times (i915.ko lists 4,645 entries), reused on one thread for a smaller one after.
 */
class VersionTableTest {

    private static List<ModVersion> versions(int n, String prefix) {
        List<ModVersion> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new ModVersion(0x1000L + i, prefix + i));
            if (i % 7 == 0) {
                out.add(new ModVersion(0xdead0000L + i, prefix + i)); // a second entry: the first wins
            }
        }
        return out;
    }

    @Test
    void answersAsAFirstWinsMap() {
        for (int n : new int[] {5000, 3, 0, 300}) {
            List<ModVersion> list = versions(n, "sym_" + n + "_");
            Map<String, Long> expected = new HashMap<>();
            list.forEach(v -> expected.putIfAbsent(v.name(), v.crc()));
            VersionTable t = VersionTable.of(list);
            Set<String> checked = new HashSet<>();
            for (int i = 0; i < n + 50; i++) {
                String name = "sym_" + n + "_" + i;
                assertThat(t.crc(name)).as(name).isEqualTo(expected.get(name));
                if (i % 2 == 0) {
                    assertThat(t.firstCheck(name)).as(name).isEqualTo(checked.add(name));
                } else {
                    int s = t.checkFirst(name);
                    assertThat(s >= 0).as(name).isEqualTo(checked.add(name));
                    assertThat(t.listed(s)).as(name).isEqualTo(expected.containsKey(name));
                    if (t.listed(s)) {
                        assertThat(t.crcAt(s)).as(name).isEqualTo(expected.get(name));
                    }
                }
                assertThat(t.firstCheck(name)).as(name).isFalse();
                assertThat(t.checkFirst(name)).as(name).isNegative();
                assertThat(t.crc(name)).as(name).isEqualTo(expected.get(name));
            }
            assertThat(t.crc("sym_other")).isNull();
        }
    }
}
