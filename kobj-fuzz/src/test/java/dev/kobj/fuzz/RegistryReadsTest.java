package dev.kobj.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kobj.link.FaultyMemory;
import dev.kobj.registry.ModuleCommand;
import dev.kobj.registry.ModuleInfo;
import dev.kobj.registry.ModuleRegistry;
import dev.kobj.registry.ModuleState;
import dev.kobj.registry.SecurityPolicy;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 11, point 3: reads (status by name and id, the listing, look-ups in the export table)
 * never wait for a load in progress. The load of a sample's top module is held inside its INIT
 * until another thread has read: if a read waited for the load, the two would wait for each
 * other and the latch would time out. What the reader sees is the state before the load (the
 * load is not visible until it completes), and after the load the new state.
 */
class RegistryReadsTest {

    static List<Samples> samples() throws Exception {
        return Samples.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void readsDoNotWaitForALoadInProgress(Samples sample) throws Exception {
        CountDownLatch inInit = new CountDownLatch(1);
        CountDownLatch readDone = new CountDownLatch(1);
        AtomicReference<Boolean> readerFinished = new AtomicReference<>(false);
        FaultyMemory memory = new FaultyMemory(sample.base(), 1L << 30);
        try (ModuleRegistry r = sample.registry(memory, SecurityPolicy.PERMISSIVE, (cmd, ctx) -> {
            if (cmd == ModuleCommand.INIT && ctx.name().equals(sample.top())) {
                inInit.countDown();
                try {
                    readerFinished.set(readDone.await(60, TimeUnit.SECONDS));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        })) {
            if (!sample.shared().isEmpty()) {
                r.load(sample.shared());
            }
            List<ModuleInfo> before = r.list();
            Thread loader = Thread.ofPlatform().start(() -> {
                try {
                    r.load(sample.top());
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            assertThat(inInit.await(60, TimeUnit.SECONDS)).as("the load reached INIT").isTrue();
            // The loader holds the registry inside INIT now: these reads must not wait for it.
            List<ModuleInfo> during = r.list();
            Optional<ModuleInfo> top = r.status(sample.top());
            Optional<ModuleInfo> first = before.isEmpty() ? Optional.empty() : r.status(before.getFirst().id());
            String listing = r.listing(true);
            boolean export = r.exports().lookup("no_such_symbol").isPresent();
            readDone.countDown();
            loader.join();
            assertThat(readerFinished.get()).as("the reads finished while the load waited in INIT").isTrue();
            assertThat(during).as("a load in progress is not visible").isEqualTo(before);
            assertThat(top).isEmpty();
            assertThat(first).isEqualTo(before.stream().findFirst());
            assertThat(listing).doesNotContain(sample.top());
            assertThat(export).isFalse();
            assertThat(r.status(sample.top())).map(ModuleInfo::state).contains(ModuleState.LOADED);
            assertThat(r.list()).hasSize(sample.files().size());
        }
    }
}
