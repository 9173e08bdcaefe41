package dev.kobj.symtab;

import java.net.URISyntaxException;
import java.nio.file.Path;

/** The hand-written samples in resources (the fixtures and the corpus are the test kit's: Testdata, Corpus). */
final class Samples {
    private Samples() {
    }

    static Path resource(String name) {
        try {
            return Path.of(Samples.class.getResource(name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
