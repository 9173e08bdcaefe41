package dev.kobj.registry;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a module says about itself: Linux {@code .modinfo}, or a kobj module descriptor (the
 * {@code .kobj.module} section, or a {@code .properties}/{@code .plist} file beside the object),
 * or what a builtin module was registered with. See {@link MetadataReader}.
 *
 * @param name       the module name
 * @param moduleClass its class (Linux modules: MISC unless a descriptor says otherwise)
 * @param version    its version (FreeBSD MODULE_VERSION); 1 when not given
 * @param requires   the declared required modules ({@code depends=}, descriptor {@code requires});
 *                   implied dependencies are not listed here
 * @param noAutoload true when the module must not be autounloaded
 * @param license    {@code .modinfo} license, "" when none
 * @param vermagic   {@code .modinfo} vermagic, "" when none
 * @param aliases    {@code .modinfo} alias entries
 * @param importNamespaces {@code .modinfo} import_ns entries
 * @param softdeps   {@code .modinfo} softdep entries, raw ("pre: a b post: c")
 * @param origin     where the metadata came from
 * @param raw        every key with its values, as read (modinfo keys, or descriptor keys)
 */
public record ModuleMetadata(String name, ModuleClass moduleClass, int version, List<Dependency> requires,
        boolean noAutoload, String license, String vermagic, List<String> aliases, List<String> importNamespaces,
        List<String> softdeps, Origin origin, Map<String, List<String>> raw) {

    /** Where metadata came from. */
    public enum Origin {
        /** Linux {@code .modinfo}. */
        MODINFO,
        /** The {@code .kobj.module} section (key=value lines, as {@code .properties}). */
        DESCRIPTOR_SECTION,
        /** A {@code NAME.properties} file beside the object. */
        PROPERTIES_FILE,
        /** A {@code NAME.plist} file beside the object (XML property list dictionary). */
        PLIST_FILE,
        /** Given in code (builtin modules, tests). */
        CODE,
        /** Nothing: the name is the file's. */
        NONE
    }

    /** Checks that nothing is null; the lists and the map are copied. */
    public ModuleMetadata {
        Objects.requireNonNull(name);
        Objects.requireNonNull(moduleClass);
        requires = List.copyOf(requires);
        aliases = List.copyOf(aliases);
        importNamespaces = List.copyOf(importNamespaces);
        softdeps = List.copyOf(softdeps);
        raw = Map.copyOf(raw);
        Objects.requireNonNull(license);
        Objects.requireNonNull(vermagic);
        Objects.requireNonNull(origin);
    }

    /**
     * {@return metadata given in code: a name, a class, a version and required modules}
     * @param name the module's name
     * @param moduleClass its class
     * @param version its version
     * @param requires the modules it requires
     */
    public static ModuleMetadata of(String name, ModuleClass moduleClass, int version, List<Dependency> requires) {
        return new ModuleMetadata(name, moduleClass, version, requires, false, "", "", List.of(), List.of(), List.of(),
                Origin.CODE, Map.of());
    }

    /**
     * {@return metadata given in code for a MISC module of version 1 requiring {@code requires}}
     * @param name the module's name
     * @param requires the modules it requires
     */
    public static ModuleMetadata of(String name, String... requires) {
        return of(name, ModuleClass.MISC, 1, java.util.Arrays.stream(requires).map(Dependency::on).toList());
    }

    /**
     * {@return the same metadata marked noautoload (or not)}
     * @param on true for noautoload
     */
    public ModuleMetadata withNoAutoload(boolean on) {
        return new ModuleMetadata(name, moduleClass, version, requires, on, license, vermagic, aliases,
                importNamespaces, softdeps, origin, raw);
    }

    /**
     * {@return the same metadata with another class}
     * @param c the class
     */
    public ModuleMetadata withClass(ModuleClass c) {
        return new ModuleMetadata(name, c, version, requires, noAutoload, license, vermagic, aliases,
                importNamespaces, softdeps, origin, raw);
    }
}
