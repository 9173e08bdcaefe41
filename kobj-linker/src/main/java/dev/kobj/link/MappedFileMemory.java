package dev.kobj.link;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The image written to one file as it is linked. Each allocation is a READ_WRITE mapping of
 * the next page-aligned range of the file ({@link FileChannel#map(FileChannel.MapMode, long, long, Arena)}),
 * so a linked image's regions sit in the file in allocation order: core, then init. Addresses
 * are simulated as in {@link HeapMemory} (any address honoured; chosen from a base otherwise);
 * {@link #mappings()} says which address range is at which file offset. Closing an allocation
 * unmaps it; its bytes stay in the file. Permissions are recorded only.
 *
 * <p>The file is created or truncated when the memory is made; close the memory to close it.
 */
public final class MappedFileMemory implements HostMemory, AutoCloseable {

    /**
     * Where one allocation lives in the file.
     *
     * @param address    its (simulated) address
     * @param size       its size
     * @param fileOffset the file offset of its first byte
     */
    public record Mapping(long address, long size, long fileOffset) {
    }

    private final Path path;
    private final FileChannel channel;
    private final SimulatedAddresses addresses;
    private final List<Mapping> mappings = new ArrayList<>();
    private long next;
    private int live;

    /**
     * A memory writing to {@code path}, choosing addresses from {@link HeapMemory#DEFAULT_BASE}.
     * @param path the file, created or truncated
     * @throws IOException when the file cannot be created
     */
    public MappedFileMemory(Path path) throws IOException {
        this(path, HeapMemory.DEFAULT_BASE);
    }

    /**
     * A memory writing to {@code path}, choosing addresses from {@code base}.
     * @param path the file, created or truncated
     * @param base the lowest address chosen when the caller asks for none
     * @throws IOException when the file cannot be created
     */
    public MappedFileMemory(Path path, long base) throws IOException {
        this.path = path;
        this.channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.READ, StandardOpenOption.WRITE);
        this.addresses = new SimulatedAddresses(base);
    }

    /** {@return the file} */
    public Path path() {
        return path;
    }

    /** {@return every allocation made so far, live or closed, in allocation order} */
    public synchronized List<Mapping> mappings() {
        return List.copyOf(mappings);
    }

    /**
     * {@return the file offset of the byte at {@code address}, if a mapping holds it} (the latest one wins)
     * @param address an address of the image
     */
    public synchronized Optional<Long> fileOffset(long address) {
        for (int i = mappings.size() - 1; i >= 0; i--) {
            Mapping m = mappings.get(i);
            if (Long.compareUnsigned(address - m.address(), m.size()) < 0) {
                return Optional.of(m.fileOffset() + (address - m.address()));
            }
        }
        return Optional.empty();
    }

    /** {@return the number of allocations not yet closed} */
    public synchronized int liveAllocations() {
        return live;
    }

    @Override
    public synchronized Allocation allocate(long address, long size, long alignment) throws LinkException {
        if (size < 0 || size > (1L << 40)) {
            throw new LinkException("file memory: cannot allocate 0x" + Long.toHexString(size) + " bytes");
        }
        long at = addresses.reserve(address, size, alignment);
        long offset = next;
        Arena arena = Arena.ofShared();
        MemorySegment seg;
        try {
            seg = size == 0 ? MemorySegment.NULL.reinterpret(0)
                    : channel.map(FileChannel.MapMode.READ_WRITE, offset, size, arena);
        } catch (IOException | RuntimeException e) {
            arena.close();
            addresses.release(at);
            throw new LinkException("file memory: cannot map 0x" + Long.toHexString(size) + " bytes of " + path
                    + " at offset 0x" + Long.toHexString(offset) + ": " + e.getMessage(), e);
        }
        next = Layout.align(offset + size, Linker.PAGE_SIZE);
        mappings.add(new Mapping(at, size, offset));
        live++;
        return new FileAllocation(at, size, seg, arena);
    }

    @Override
    public String kind() {
        return "file";
    }

    @Override
    public synchronized void close() throws IOException {
        channel.close();
    }

    private final class FileAllocation extends ArenaAllocation {
        private final MemorySegment segment;

        FileAllocation(long address, long size, MemorySegment segment, Arena arena) {
            super(address, size, arena);
            this.segment = segment;
        }

        @Override
        public MemorySegment segment() {
            return segment;
        }

        @Override
        public void protect(long offset, long length, Permissions permissions) throws LinkException {
            checkProtectRange("file", offset, length);
        }

        /** The bytes reach the file before the mapping goes. */
        @Override
        protected void beforeArenaClose() {
            if (segment.byteSize() > 0) {
                segment.force();
            }
        }

        @Override
        protected void afterArenaClose() {
            synchronized (MappedFileMemory.this) {
                addresses.release(address());
                live--;
            }
        }
    }
}
