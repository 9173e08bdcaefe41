package dev.kobj.registry;

import dev.kobj.elf.ElfFile;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Reads what a module says about itself, in this order:
 * <ol>
 * <li>a {@code .kobj.module} section: {@code key=value} lines as in a {@code .properties} file;
 * <li>a file beside the object, {@code NAME.properties} or {@code NAME.plist} (NAME: the file
 *     name without its module suffix), unless the load has {@link LoadFlag#NO_PROPS};
 * <li>Linux {@code .modinfo}.
 * </ol>
 * A descriptor (section or file) wins over {@code .modinfo} for what it says. Descriptor keys:
 * {@code name}, {@code class} (a {@link ModuleClass} name), {@code version} (an int),
 * {@code requires} (comma-separated {@code name} or {@code name:min:preferred:max}),
 * {@code noautoload} (true/false); every other key is a property given to the handler.
 * {@code .modinfo} keys used: name, depends, vermagic, license, import_ns, alias, softdep,
 * and kobj's own {@code kobj.class}/{@code kobj.version}.
 */
public final class MetadataReader {
    private MetadataReader() {
    }

    /**
     * {@return the metadata of {@code elf}}
     *
     * @param file   the object's file, when it has one (to find the descriptor beside it)
     * @param beside whether to read a {@code .properties}/{@code .plist} file beside it
     * @throws ModuleException EINVAL for a malformed descriptor, ENOEXEC for a malformed object
     * @param elf the module
     */
    public static ModuleMetadata read(ElfFile elf, Optional<Path> file, boolean beside) throws ModuleException {
        return Metadata.read(elf, file, beside).metadata();
    }
}
