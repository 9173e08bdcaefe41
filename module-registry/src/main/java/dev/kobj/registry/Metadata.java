package dev.kobj.registry;

import dev.kobj.elf.ElfFile;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/** Metadata and the descriptor's properties, as read (see {@link MetadataReader}). */
record Metadata(ModuleMetadata metadata, Map<String, String> properties) {

    static Metadata read(ElfFile elf, Optional<Path> file, boolean beside) throws ModuleException {
        throw new UnsupportedOperationException("not yet");
    }
}
