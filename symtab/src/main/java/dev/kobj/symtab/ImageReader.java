package dev.kobj.symtab;

/**
 * Read access to a module image at its load addresses, as {@link KsymtabReader} needs it
 * (the linker's loaded image, or a test's placed and relocated copy of an object).
 */
public interface ImageReader {

    /**
     * {@return a copy of the {@code length} bytes at {@code address}}
     *
     * @param address the load address of the first byte
     * @param length  how many bytes
     * @throws IndexOutOfBoundsException when any of them is outside the image
     */
    byte[] read(long address, int length);

    /**
     * Copies the {@code length} bytes at {@code address} into {@code dst} from {@code offset}, the
     * bytes {@link #read} gives, unless any of them is outside the image (where {@link #read}
     * would throw): then it copies nothing. An image that can tell without an exception overrides
     * it: {@link KsymtabReader} asks for a name's bytes in chunks that may cross the image's end.
     *
     * @return true when the bytes were copied, false when {@link #read} would throw
     * @param address the load address of the first byte
     * @param dst     where the bytes go
     * @param offset  where in {@code dst}
     * @param length  how many bytes
     */
    default boolean readInto(long address, byte[] dst, int offset, int length) {
        byte[] b;
        try {
            b = read(address, length);
        } catch (IndexOutOfBoundsException e) {
            return false;
        }
        System.arraycopy(b, 0, dst, offset, length);
        return true;
    }

    /** {@return true for a little-endian image} */
    boolean littleEndian();

    /** {@return the size of a pointer in bytes: 8 or 4} */
    int pointerSize();

    /**
     * {@return an image of {@code bytes} loaded at {@code base}}
     * @param base         the load address of {@code bytes[0]}
     * @param bytes        the image, not copied
     * @param littleEndian the image's byte order
     * @param pointerSize  8 or 4
     */
    static ImageReader of(long base, byte[] bytes, boolean littleEndian, int pointerSize) {
        if (pointerSize != 4 && pointerSize != 8) {
            throw new IllegalArgumentException("pointer size " + pointerSize + " is not 4 or 8");
        }
        return new ImageReader() {
            @Override
            public byte[] read(long address, int length) {
                long off = address - base;
                if (length < 0 || off < 0 || off > bytes.length || length > bytes.length - off) {
                    throw new IndexOutOfBoundsException(String.format("0x%x+%d is outside the image [0x%x, 0x%x)",
                            address, length, base, base + bytes.length));
                }
                return java.util.Arrays.copyOfRange(bytes, (int) off, (int) off + length);
            }

            @Override
            public boolean littleEndian() {
                return littleEndian;
            }

            @Override
            public int pointerSize() {
                return pointerSize;
            }
        };
    }
}
