package dev.kobj.registry;

import dev.kobj.elf.ElfFile;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A module about to be loaded, as a {@link SecurityPolicy} sees it: before anything is linked
 * or allocated. The ELF object is open while the policy looks at it and must not be kept.
 *
 * @param name       the module name (from its metadata)
 * @param source     builtin, preloaded or file
 * @param path       the file, for {@link ModuleSource#FILE}
 * @param elf        the parsed object (decompressed; {@link ElfFile#fileBytes()} keeps the
 *                   appended signature, {@link ElfFile#signature()} parses it); empty for builtins
 * @param metadata   what the module says about itself
 * @param flags      the load flags
 * @param properties the load's properties (caller's, then the {@code .properties}/{@code .plist} file's)
 * @param autoload   true when the load is an autoload or a dependency's
 */
public record ModuleCandidate(String name, ModuleSource source, Optional<Path> path, Optional<ElfFile> elf,
        ModuleMetadata metadata, Set<LoadFlag> flags, Map<String, String> properties, boolean autoload) {

    /** Copies the flags and properties. */
    public ModuleCandidate {
        flags = Set.copyOf(flags);
        properties = Map.copyOf(properties);
    }

    /** {@return the whole file as loaded (decompressed, signature included); empty for builtins} */
    public Optional<MemorySegment> fileBytes() {
        return elf.map(ElfFile::fileBytes);
    }
}
