/**
 * What the tests of every kobj module share: the oracle harnesses, fixture and corpus
 * location, and the outside-tool rule. Test scope only; see {@link dev.kobj.testkit}.
 */
module dev.kobj.testkit {
    requires transitive dev.kobj.elf;
    requires transitive org.junit.jupiter.api;

    exports dev.kobj.testkit;
}
