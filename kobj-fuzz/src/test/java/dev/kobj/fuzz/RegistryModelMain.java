package dev.kobj.fuzz;

import java.nio.file.Files;

/**
 * Runs {@link RegistryModelTest} outside JUnit (scripts/registry-model.sh), on a copy of the
 * classes, so that a long run is not disturbed by builds: {@code -Dkobj.registry.model.ops=N}.
 */
public final class RegistryModelMain {
    private RegistryModelMain() {
    }

    public static void main(String[] args) throws Exception {
        RegistryModelTest t = new RegistryModelTest();
        t.tmp = Files.createTempDirectory("kobj-registry-model");
        t.eightThreadsAgreeWithTheSequentialModel();
    }
}
