import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Enumeration;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * Build step of kobjdump (run by the JDK 25 source launcher from the pom): rewrites each jar of
 * a directory (target/lib, BouncyCastle's, named by kobjdump.jar's Class-Path) without its
 * signature: no META-INF/*.SF, *.RSA, *.DSA, *.EC, and a manifest of main attributes only.
 *
 * <p>Why: the class loader verifies a signed jar when it first loads a class of it (the JDK's
 * X.509, RSA and algorithm-constraint code: about 0.2 s of CPU), and the AOT cache does not
 * hold classes of signed jars (JEP 483). Cached kobj classes that name BouncyCastle types made
 * every start load and verify them. The shaded jar this replaces dropped the signatures too.
 *
 * <p>Usage: {@code java UnsignJars.java DIR}: the jars are rewritten in place, keeping their
 * modification time's order (the AOT cache records each class-path jar's size and time).
 */
public final class UnsignJars {
    private UnsignJars() {
    }

    private static boolean signature(String name) {
        String n = name.toUpperCase(java.util.Locale.ROOT);
        return n.startsWith("META-INF/") && n.indexOf('/', 9) < 0
                && (n.endsWith(".SF") || n.endsWith(".RSA") || n.endsWith(".DSA") || n.endsWith(".EC"));
    }

    public static void main(String[] args) throws IOException {
        int done = 0;
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(Path.of(args[0]), "*.jar")) {
            for (Path jar : jars) {
                Path tmp = jar.resolveSibling(jar.getFileName() + ".tmp");
                int dropped = 0;
                try (JarFile in = new JarFile(jar.toFile(), false)) {
                    Manifest m = in.getManifest();
                    Manifest main = new Manifest();
                    if (m != null) {
                        main.getMainAttributes().putAll(m.getMainAttributes());
                    } else {
                        main.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
                    }
                    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(tmp), main)) {
                        for (Enumeration<JarEntry> e = in.entries(); e.hasMoreElements(); ) {
                            JarEntry entry = e.nextElement();
                            String name = entry.getName();
                            if (name.equalsIgnoreCase("META-INF/MANIFEST.MF") || signature(name)) {
                                dropped += signature(name) ? 1 : 0;
                                continue;
                            }
                            JarEntry copy = new JarEntry(name);
                            copy.setTime(entry.getTime());
                            out.putNextEntry(copy);
                            try (InputStream is = in.getInputStream(entry)) {
                                is.transferTo(out);
                            }
                            out.closeEntry();
                        }
                    }
                }
                Files.move(tmp, jar, StandardCopyOption.REPLACE_EXISTING);
                System.out.println("UnsignJars: " + jar + " (" + dropped + " signature files dropped)");
                done++;
            }
        }
        if (done == 0) {
            System.out.println("UnsignJars: no jar in " + args[0]);
        }
    }
}
