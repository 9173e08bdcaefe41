import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.classfile.ClassElement;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassFileVersion;
import java.lang.classfile.ClassHierarchyResolver;
import java.lang.classfile.ClassModel;
import java.lang.classfile.ClassTransform;
import java.lang.classfile.CodeTransform;
import java.lang.classfile.MethodTransform;
import java.lang.classfile.attribute.StackMapTableAttribute;
import java.lang.constant.ClassDesc;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Enumeration;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;

/**
 * Build step of kobjdump (run by the JDK 25 source launcher from the pom): rewrites the
 * classes of the shaded jar whose class-file version is older than Java 6 (50) to
 * version 52 (Java 8) with StackMapTable frames computed by {@code java.lang.classfile}.
 *
 * <p>Why: JDK 25's ahead-of-time cache (JEP 483/514/515) skips "old" classes, those of
 * major version below 50, which the split verifier cannot check (JVMS 4.10.1 requires
 * StackMapTable frames from version 50). picocli's jar is compiled for Java 5, so without
 * this step none of its ~170 classes, nor kobjdump's classes that implement its
 * interfaces, can be cached. The bytecode itself is unchanged; only frames are added.
 *
 * <p>Usage: {@code java ModernizeClasses.java JAR}: the jar is rewritten in place.
 */
public final class ModernizeClasses {
    private ModernizeClasses() {
    }

    public static void main(String[] args) throws IOException {
        Path jar = Path.of(args[0]);
        Path tmp = jar.resolveSibling(jar.getFileName() + ".tmp");
        int rewritten = 0;
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null);
             JarFile in = new JarFile(jar.toFile());
             JarOutputStream out = new JarOutputStream(Files.newOutputStream(tmp))) {
            ClassHierarchyResolver resolver = ClassHierarchyResolver.defaultResolver()
                    .orElse(ClassHierarchyResolver.ofResourceParsing(loader)).cached();
            ClassFile cf = ClassFile.of(ClassFile.ClassHierarchyResolverOption.of(resolver),
                    ClassFile.StackMapsOption.GENERATE_STACK_MAPS);
            for (Enumeration<JarEntry> e = in.entries(); e.hasMoreElements(); ) {
                JarEntry entry = e.nextElement();
                byte[] bytes;
                try (InputStream is = in.getInputStream(entry)) {
                    bytes = is.readAllBytes();
                }
                String name = entry.getName();
                if (name.endsWith(".class") && !name.startsWith("META-INF/") && bytes.length > 8
                        && ((bytes[6] & 0xff) << 8 | (bytes[7] & 0xff)) < ClassFile.JAVA_6_VERSION) {
                    bytes = modernize(cf, bytes);
                    rewritten++;
                }
                JarEntry copy = new JarEntry(name);
                copy.setTime(entry.getTime());
                out.putNextEntry(copy);
                out.write(bytes);
                out.closeEntry();
            }
        }
        Files.move(tmp, jar, StandardCopyOption.REPLACE_EXISTING);
        System.out.println("ModernizeClasses: " + rewritten + " classes of " + jar + " rewritten to version 52");
    }

    private static byte[] modernize(ClassFile cf, byte[] bytes) {
        ClassModel model = cf.parse(bytes);
        // Rebuilding each code body (not passing it through) makes the library compute frames.
        ClassTransform t = ClassTransform.transformingMethodBodies(
                        CodeTransform.ofStateful(() -> (b, el) -> b.with(el)))
                .andThen((ClassTransform) (b, el) -> {
                    if (el instanceof ClassFileVersion) {
                        b.withVersion(ClassFile.JAVA_8_VERSION, 0);
                    } else {
                        b.with(el);
                    }
                });
        return cf.transformClass(model, t);
    }
}
