/**
 * The {@code kobjdump} command: readelf-like views, check, link, depmod, modprobe, sign and
 * verify over kobj's libraries. {@link dev.kobj.cli.KobjDump#run} is the whole program.
 * picocli reads and writes the commands' annotated fields by reflection, hence the
 * {@code opens}.
 */
module dev.kobj.cli {
    requires dev.kobj.registry;
    requires info.picocli;
    requires java.management;

    exports dev.kobj.cli;
    opens dev.kobj.cli to info.picocli;
}
