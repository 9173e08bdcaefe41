package dev.kobj.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@link StatsWork}'s workers: one fewer while the walk's thread is busy, all of them once it
 * has ended, and the same figures whichever way the files were shared out.
 */
class StatsWorkTest {

    @Test
    void theWalkKeepsAProcessorOfItsOwn() {
        assertThat(StatsWork.whileWalking(2, 2)).isEqualTo(1);
        assertThat(StatsWork.whileWalking(8, 8)).isEqualTo(7);
        assertThat(StatsWork.whileWalking(2, 8)).as("--threads 2 on eight processors").isEqualTo(2);
        assertThat(StatsWork.whileWalking(1, 2)).isEqualTo(1);
        assertThat(StatsWork.whileWalking(1, 1)).as("one processor: one worker all the same").isEqualTo(1);
    }

    @Test
    void theOtherWorkersComeWhenTheWalkEndsAndTheFiguresDoNotDependOnIt() throws IOException {
        List<Path> files = objects();
        assertThat(files).hasSizeGreaterThan(50);

        StatsWork ramped = new StatsWork(2, 2);
        StatsCommand.Stats a;
        try (ramped) {
            assertThat(ramped.workers()).isEqualTo(1);
            files.subList(0, files.size() / 2).forEach(ramped::submit);
            ramped.walked();
            assertThat(ramped.workers()).isEqualTo(2);
            ramped.walked(); // a second call changes nothing
            assertThat(ramped.workers()).isEqualTo(2);
            files.subList(files.size() / 2, files.size()).forEach(ramped::submit);
            a = ramped.finish(new ArrayList<>());
        }

        // Two workers from the start (eight processors).
        StatsCommand.Stats b;
        try (StatsWork all = new StatsWork(2, 8)) {
            assertThat(all.workers()).isEqualTo(2);
            files.forEach(all::submit);
            b = all.finish(new ArrayList<>());
        }
        // A walk whose end is never told: the one worker still parses every file.
        StatsCommand.Stats c;
        try (StatsWork lone = new StatsWork(2, 2)) {
            files.forEach(lone::submit);
            c = lone.finish(new ArrayList<>());
            assertThat(lone.workers()).isEqualTo(1);
        }

        assertThat(a.relocations).isPositive();
        for (StatsCommand.Stats s : List.of(b, c)) {
            assertThat(s.relocations).isEqualTo(a.relocations);
            assertThat(s.symbols).isEqualTo(a.symbols);
            assertThat(s.sections).isEqualTo(a.sections);
            assertThat(s.bytesRead).isEqualTo(a.bytesRead);
            assertThat(s.machines.keySet()).containsExactlyElementsOf(a.machines.keySet());
            for (String arch : a.machines.keySet()) {
                assertThat(s.machines.get(arch).total).as(arch).isEqualTo(a.machines.get(arch).total);
                assertThat(s.machines.get(arch).machine).as(arch).isEqualTo(a.machines.get(arch).machine);
            }
        }
        assertThat(a.machines).containsKeys("x86_64", "aarch64", "riscv64");
    }

    /** The committed objects of every machine and code model. */
    private static List<Path> objects() throws IOException {
        try (Stream<Path> s = Files.walk(KobjDumpCliTest.fixture("obj"))) {
            return s.filter(p -> p.toString().endsWith(".o")).sorted().toList();
        }
    }
}
