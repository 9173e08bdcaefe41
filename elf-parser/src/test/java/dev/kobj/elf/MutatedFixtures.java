package dev.kobj.elf;

import net.jqwik.api.Arbitrary;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * The base of property tests over {@link ElfMutationFuzzTest}'s fixtures and their damaged copies:
 * loads the fixtures once per container and provides the mutations.
 */
abstract class MutatedFixtures {

    @BeforeContainer
    static void load() {
        ElfMutationFuzzTest.load();
    }

    @Provide
    Arbitrary<ElfMutationFuzzTest.Mutation> mutations() {
        return new ElfMutationFuzzTest().mutations();
    }
}
