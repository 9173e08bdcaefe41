package dev.kobj.registry;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** kmadmin's search: each directory in order, each suffix in order, no subdirectories. */
final class SearchPathLocator implements ModuleLocator {
    static final SearchPathLocator INSTANCE = new SearchPathLocator();

    private SearchPathLocator() {
    }

    @Override
    public Optional<Path> find(String name, List<Path> searchPath) {
        List<String> spellings = name.indexOf('-') >= 0 || name.indexOf('_') >= 0
                ? List.of(name, name.replace('-', '_'), name.replace('_', '-'))
                : List.of(name);
        for (Path dir : searchPath) {
            for (String suffix : SUFFIXES) {
                for (String n : spellings) {
                    Path p = dir.resolve(n + suffix);
                    if (Files.isRegularFile(p)) {
                        return Optional.of(p);
                    }
                }
            }
        }
        return Optional.empty();
    }

    @Override
    public List<Path> candidates(List<Path> searchPath) {
        List<Path> out = new ArrayList<>();
        for (Path dir : searchPath) {
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> s = Files.list(dir)) {
                s.filter(Files::isRegularFile).filter(p -> moduleName(p) != null).sorted().forEach(out::add);
            } catch (IOException e) {
                // an unreadable directory offers no candidates, as a missing one
            }
        }
        return out;
    }

    /** {@return the file name without a module suffix, or null when it has none} */
    static String moduleName(Path p) {
        String f = p.getFileName().toString();
        for (String suffix : SUFFIXES) {
            if (f.endsWith(suffix) && f.length() > suffix.length()) {
                return f.substring(0, f.length() - suffix.length());
            }
        }
        return null;
    }
}
