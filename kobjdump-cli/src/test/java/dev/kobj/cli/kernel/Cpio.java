package dev.kobj.cli.kernel;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.zip.GZIPOutputStream;

/**
 * A gzip-compressed cpio archive in the "newc" format (the initramfs format of
 * Documentation/driver-api/early-userspace/buffer-format.rst): per entry a 110-byte ASCII header
 * "070701" + 13 eight-digit hex fields (ino, mode, uid, gid, nlink, mtime, filesize, devmajor,
 * devminor, rdevmajor, rdevminor, namesize, check), the NUL-terminated name, padding to 4, the
 * data, padding to 4; the archive ends with the entry "TRAILER!!!". Parent directories are
 * added once, before their first entry.
 */
public final class Cpio implements AutoCloseable {
    private final GZIPOutputStream out;
    private final Set<String> dirs = new LinkedHashSet<>();
    private int ino = 1;

    public Cpio(OutputStream sink) throws IOException {
        this.out = new GZIPOutputStream(sink, 1 << 16);
    }

    /** Adds a regular file with mode {@code perm} (e.g. 0755). */
    public void file(String path, byte[] data, int perm) throws IOException {
        parents(path);
        entry(path, 0100000 | perm, data);
    }

    /** Adds a symbolic link {@code path} pointing at {@code target}. */
    public void symlink(String path, String target) throws IOException {
        parents(path);
        entry(path, 0120777, target.getBytes(StandardCharsets.UTF_8));
    }

    /** Adds a directory (and its parents). */
    public void dir(String path) throws IOException {
        parents(path + "/x");
    }

    private void parents(String path) throws IOException {
        int i = 0;
        while ((i = path.indexOf('/', i + 1)) > 0) {
            String d = path.substring(0, i);
            if (dirs.add(d)) {
                entry(d, 040755, new byte[0]);
            }
        }
    }

    private void entry(String name, int mode, byte[] data) throws IOException {
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        StringBuilder h = new StringBuilder("070701");
        long[] fields = {ino++, mode, 0, 0, (mode & 040000) != 0 ? 2 : 1, 0, data.length, 0, 0, 0, 0, n.length + 1, 0};
        for (long f : fields) {
            h.append(String.format("%08x", f));
        }
        ByteArrayOutputStream b = new ByteArrayOutputStream(h.length() + n.length + 4);
        b.write(h.toString().getBytes(StandardCharsets.US_ASCII));
        b.write(n);
        b.write(0);
        pad(b, b.size());
        out.write(b.toByteArray());
        out.write(data);
        int p = (4 - data.length % 4) % 4;
        out.write(new byte[p]);
    }

    private static void pad(ByteArrayOutputStream b, int size) {
        for (int i = size; i % 4 != 0; i++) {
            b.write(0);
        }
    }

    @Override
    public void close() throws IOException {
        entry("TRAILER!!!", 0, new byte[0]);
        out.close();
    }
}
