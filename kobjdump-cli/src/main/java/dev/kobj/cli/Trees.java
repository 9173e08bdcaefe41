package dev.kobj.cli;

import dev.kobj.elf.DirectoryReader;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Predicate;

/** Walking module trees: what {@code stats}, {@code check} and friends take from a directory. */
final class Trees {
    private Trees() {
    }

    /** Kernel modules, plain or compressed. */
    static final Predicate<Path> MODULES = p -> endsWith(p, ".ko", ".ko.xz", ".ko.zst", ".ko.gz");
    /** Kernel modules and relocatable objects. */
    static final Predicate<Path> OBJECTS = MODULES.or(p -> endsWith(p, ".o"));

    static boolean endsWith(Path p, String... suffixes) {
        String n = p.getFileName() == null ? "" : p.getFileName().toString();
        for (String s : suffixes) {
            if (n.endsWith(s)) {
                return true;
            }
        }
        return false;
    }

    /**
     * {@return {@code root} itself when it is not a directory, else the regular files under it
     * that {@code wanted} accepts, sorted}; a file or directory that cannot be read is passed to
     * {@code failed} with its one-line error and the walk goes on.
     */
    static List<Path> files(Path root, Predicate<Path> wanted, BiConsumer<Path, String> failed) throws IOException {
        return files(root, wanted, failed, null);
    }

    /**
     * {@return what {@link #files(Path, Predicate, BiConsumer)} returns}; each file is also given to
     * {@code found} (when not null) as the walk finds it, in the walk's order, so that work on it can
     * start before the walk ends. {@code root} itself, when not a directory, is not given to it.
     */
    static List<Path> files(Path root, Predicate<Path> wanted, BiConsumer<Path, String> failed,
            java.util.function.Consumer<Path> found) throws IOException {
        return files(root, wanted, failed, found, null);
    }

    /**
     * {@return what {@link #files(Path, Predicate, BiConsumer, java.util.function.Consumer)} returns}; the
     * size the walk read for each regular file it returns (not for a link to one) also goes into
     * {@code sizes} when it is not null, so that no one asks the file system again.
     *
     * <p>Without {@code sizes}, a root that is a directory (not a link to one) is walked with the
     * directories' own entry types ({@link DirectoryReader}: no {@code lstat} per file); with them,
     * the JDK's walk reads each file's attributes anyway (an {@code fstatat} per module through the
     * same downcall made arm64's check 2-5 % slower, not faster).
     */
    static List<Path> files(Path root, Predicate<Path> wanted, BiConsumer<Path, String> failed,
            java.util.function.Consumer<Path> found, Map<Path, Long> sizes) throws IOException {
        if (!Files.isDirectory(root)) {
            return List.of(root);
        }
        List<Path> out = new ArrayList<>();
        java.util.function.Consumer<Path> take = file -> { // a file the walk returns
            out.add(file);
            if (found != null) {
                found.accept(file);
            }
        };
        SimpleFileVisitor<Path> visitor = new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                if (wanted.test(file) && (attrs.isRegularFile() || Files.isRegularFile(file))) {
                    if (sizes != null && attrs.isRegularFile()) {
                        sizes.put(file, attrs.size());
                    }
                    take.accept(file);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
                failed.accept(file, KobjDump.errorMessage(file.toString(), e));
                return FileVisitResult.CONTINUE;
            }
        };
        if (sizes == null && DirectoryReader.available() && Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
            walk(root, new DirectoryReader(), visitor, wanted, take);
        } else {
            Files.walkFileTree(root, visitor);
        }
        out.sort(Comparator.naturalOrder());
        return out;
    }

    /**
     * Walks {@code dir} as {@code Files.walkFileTree(dir, visitor)} would, in the same order, with
     * the directory's own entry types ({@link DirectoryReader}): a regular file that {@code wanted}
     * accepts goes to {@code take} without an {@code lstat}; a link or an entry of
     * unknown type goes to {@code visitor} with its attributes; a directory that cannot be listed
     * that way is walked by the JDK, which reports its failure as before.
     */
    private static void walk(Path dir, DirectoryReader reader, SimpleFileVisitor<Path> visitor,
            Predicate<Path> wanted, java.util.function.Consumer<Path> take) throws IOException {
        List<DirectoryReader.Entry> entries = reader.list(dir);
        if (entries == null) {
            Files.walkFileTree(dir, visitor);
            return;
        }
        for (DirectoryReader.Entry e : entries) {
            Path p = dir.resolve(e.name());
            switch (e.kind()) {
                case DIRECTORY -> walk(p, reader, visitor, wanted, take);
                case FILE -> {
                    if (wanted.test(p)) {
                        take.accept(p);
                    }
                }
                default -> {
                    BasicFileAttributes attrs;
                    try {
                        attrs = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                    } catch (IOException x) {
                        visitor.visitFileFailed(p, x);
                        continue;
                    }
                    if (attrs.isDirectory()) {
                        walk(p, reader, visitor, wanted, take);
                    } else {
                        visitor.visitFile(p, attrs);
                    }
                }
            }
        }
    }
}
