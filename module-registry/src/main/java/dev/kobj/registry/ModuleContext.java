package dev.kobj.registry;

import dev.kobj.link.LoadedImage;
import java.util.Map;
import java.util.Optional;

/** What a {@link ModuleHandler} is given: its module, and the registry's kernel. */
public interface ModuleContext {

    /** {@return the module's id} */
    int id();

    /** {@return the module's name} */
    String name();

    /** {@return the module's class} */
    ModuleClass moduleClass();

    /** {@return what the module says about itself} */
    ModuleMetadata metadata();

    /** {@return the linked image; empty for builtin modules} */
    Optional<LoadedImage> image();

    /**
     * {@return the properties of the load} (NetBSD's props dictionary): the caller's, over those of
     * the {@code .properties}/{@code .plist} file beside the object
     */
    Map<String, String> properties();

    /** {@return the kernel services of the registry} (never null; {@link KernelServices#NONE} by default) */
    KernelServices kernel();

    /** {@return the registry} */
    ModuleRegistry registry();

    /**
     * Reports one status item during {@link ModuleCommand#STAT}; ignored otherwise.
     * @param key a statistic's name
     * @param value its value
     */
    void report(String key, String value);
}
