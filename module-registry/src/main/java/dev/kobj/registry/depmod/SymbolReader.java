package dev.kobj.registry.depmod;

import dev.kobj.elf.Compression;
import dev.kobj.elf.ElfFormatException;
import dev.kobj.elf.ModuleDecompressor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * Reads what depmod needs of one module ({@link ModuleSymbols}: the exports and imports) with a
 * few positional reads into a buffer that stays from one file to the next: the ELF header, the
 * section header table with the signature trailer after it, {@code .symtab}, {@code .strtab} and
 * {@code .shstrtab} (next to each other in a module, so read at once) and {@code __versions}.
 * Nothing else of the file is read; no file is mapped; names stay bytes ({@link NameList}).
 * Compressed modules are decompressed whole into a buffer that stays ({@link ModuleDecompressor}).
 *
 * <p>The layouts are the gABI's ("ELF Header", "Sections", "Symbol Table"; Elf32/Elf64, either
 * byte order) and Linux's ({@code struct modversion_info}: a CRC word then a 64-byte-wide
 * NUL-terminated name; the appended signature of module-signing.rst).
 *
 * <p>A fast path only: it gives up ({@link #read} returns null) on anything that is not a
 * plain well-formed module, and the caller then reads the file through {@link
 * dev.kobj.elf.ElfFile} and {@link ModuleSymbols#read}, which give the same answer or the
 * error message. Every check that path makes on the parts read here is made here too (and
 * gives up when it fails), so this reader never accepts a file that path refuses: extended
 * section numbering, program headers, SHF_COMPRESSED tables and SHT_SYMTAB_SHNDX are left to
 * it. Not thread-safe: one reader per thread.
 */
final class SymbolReader {
    private static final byte[] PREFIX = ModuleSymbols.KSYMTAB_PREFIX.getBytes(StandardCharsets.ISO_8859_1);
    private static final byte[] VERSIONS = "__versions".getBytes(StandardCharsets.ISO_8859_1);
    private static final byte[] MARKER = "~Module signature appended~\n".getBytes(StandardCharsets.ISO_8859_1);
    private static final int SHT_SYMTAB = 2;
    private static final int SHT_STRTAB = 3;
    private static final int SHT_NOBITS = 8;
    private static final int SHT_SYMTAB_SHNDX = 18;
    private static final long SHF_COMPRESSED = 0x800;
    /** Bytes between two tables that are still read with them rather than apart. */
    private static final long SLACK = 64 << 10;
    private static final int MAX_FILE = Integer.MAX_VALUE - 16;

    // The file's bytes: for a plain file the regions read so far, each at rPos in buf; for a
    // compressed one the whole decompressed file (one region at 0 in the decompressor's buffer).
    private byte[] buf = new byte[256 << 10];
    private byte[] data;
    private int used;
    private long[] rOff = new long[8];
    private int[] rLen = new int[8];
    private int[] rPos = new int[8];
    private int regions;
    private FileChannel ch;
    private ModuleDecompressor decompressor;
    private boolean le;

    // Section headers of the current file.
    private int[] shType = new int[64];
    private int[] shName = new int[64];
    private long[] shFlags = new long[64];
    private long[] shOff = new long[64];
    private long[] shSize = new long[64];
    private long[] shLink = new long[64];
    private long[] shEnt = new long[64];

    // The names found: exports and imports, each name's end in its own byte array.
    private final Names exports = new Names();
    private final Names imports = new Names();
    private int[] undefSlots = new int[256]; // open addressing over imports' hashes (index + 1)

    /**
     * {@return the module's exports and imports, as {@link ModuleSymbols#read} would give them,
     * or null when the file is not one this reader takes (or cannot be read): the caller reads it
     * the general way}
     *
     * @param file the module
     */
    ModuleSymbols read(Path file) {
        regions = 0;
        used = 0;
        data = buf;
        exports.clear();
        imports.clear();
        try (FileChannel c = FileChannel.open(file, StandardOpenOption.READ)) {
            ch = c;
            return parse(file, c.size());
        } catch (IOException | ElfFormatException | RuntimeException e) {
            return null;
        } finally {
            ch = null;
        }
    }

    private ModuleSymbols parse(Path file, long fileSize) throws IOException, ElfFormatException {
        if (fileSize < 64 || fileSize > MAX_FILE) {
            return null;
        }
        long size = fileSize;
        int h = load(0, 64);
        if (h < 0) {
            return null;
        }
        Compression kind = ModuleDecompressor.detect(data, 64); // h is 0: the first read
        if (kind != Compression.NONE) {
            regions = 0;
            used = 0;
            if (load(0, size) != 0) {
                return null;
            }
            if (decompressor == null) {
                decompressor = new ModuleDecompressor();
            }
            size = decompressor.decompress(file.toString(), kind, data, (int) size);
            data = decompressor.buffer();
            regions = 1;
            rOff[0] = 0;
            rLen[0] = (int) size;
            rPos[0] = 0;
            h = 0;
            if (size < 64) {
                return null;
            }
        }
        byte[] d = data;
        if (d[h] != 0x7f || d[h + 1] != 'E' || d[h + 2] != 'L' || d[h + 3] != 'F' || d[h + 6] != 1
                || (d[h + 5] != 1 && d[h + 5] != 2) || (d[h + 4] != 1 && d[h + 4] != 2)) {
            return null;
        }
        boolean is64 = d[h + 4] == 2;
        le = d[h + 5] == 1;
        long shoff = is64 ? u64(h + 40) : u32(h + 32);
        int base = is64 ? 52 : 40;
        int phnum = u16(h + base + 4);
        int shentsize = u16(h + base + 6);
        int shnum = u16(h + base + 8);
        int shstrndx = u16(h + base + 10);
        int shdr = is64 ? 64 : 40;
        if (phnum != 0 || shoff <= 0 || shentsize != shdr || shnum == 0 || shstrndx == 0xffff) {
            return null; // program headers, no sections or extended numbering: the general reader
        }
        long table = (long) shnum * shdr;
        if (shoff < size && size - shoff <= table + SLACK && load(shoff, size - shoff) < 0) {
            return null; // the section header table and the signature after it, at once
        }
        long elf = elfLength(size);
        if (elf < (is64 ? 64 : 52) || shoff > elf || table > elf - shoff || shstrndx >= shnum) {
            return null;
        }
        int t = load(shoff, table);
        if (t < 0 || !sectionHeaders(t, shnum, is64)) {
            return null;
        }
        int sym = -1;
        for (int i = 0; i < shnum; i++) {
            if (shType[i] == SHT_SYMTAB_SHNDX) {
                return null;
            }
            if (sym < 0 && shType[i] == SHT_SYMTAB) {
                sym = i;
            }
        }
        int str = -1;
        if (sym >= 0) {
            if (shLink[sym] <= 0 || shLink[sym] >= shnum) {
                return null;
            }
            str = (int) shLink[sym];
        }
        preload(shstrndx, sym, str, elf);
        if (shType[shstrndx] != SHT_STRTAB || !inside(shstrndx, elf)) {
            return null;
        }
        int names = shSize[shstrndx] == 0 ? 0 : load(shOff[shstrndx], shSize[shstrndx]);
        if (names < 0) {
            return null;
        }
        int versions = -1;
        for (int i = 0; i < shnum; i++) {
            int e = nameEnd(names, shSize[shstrndx], shName[i] & 0xffffffffL);
            if (e == -2) {
                return null;
            }
            if (versions < 0 && e >= 0) {
                int s = names + shName[i];
                if (Arrays.equals(data, s, e, VERSIONS, 0, VERSIONS.length)) {
                    versions = i;
                }
            }
        }
        if (sym >= 0 && !symbols(sym, str, is64, elf)) {
            return null;
        }
        if (versions >= 0 && shType[versions] != SHT_NOBITS && !versions(versions, is64, elf)) {
            return null;
        }
        return new ModuleSymbols(exports.list(), imports.list());
    }

    /** {@return the length of the ELF object: the file without its appended signature, -1 when the trailer is bad} */
    private long elfLength(long size) throws IOException {
        int m = MARKER.length;
        if (size < m + 12) {
            return size;
        }
        int p = load(size - m - 12, m + 12);
        if (p < 0) {
            return -1;
        }
        if (!Arrays.equals(data, p + 12, p + 12 + m, MARKER, 0, m)) {
            return size;
        }
        // struct module_signature: algo, hash, id_type, signer_len, key_id_len, pad[3], sig_len (big-endian u32)
        long s = size - m - 12;
        long signerLen = data[p + 3] & 0xff;
        long keyIdLen = data[p + 4] & 0xff;
        long sigLen = ((data[p + 8] & 0xffL) << 24) | ((data[p + 9] & 0xff) << 16) | ((data[p + 10] & 0xff) << 8)
                | (data[p + 11] & 0xff);
        long total = sigLen + signerLen + keyIdLen;
        return total > s ? -1 : s - total;
    }

    /** Reads the section header table at {@code t}; {@return false when a count or size does not fit} */
    private boolean sectionHeaders(int t, int n, boolean is64) {
        if (shType.length < n) {
            int c = Math.max(n, shType.length * 2);
            shType = new int[c];
            shName = new int[c];
            shFlags = new long[c];
            shOff = new long[c];
            shSize = new long[c];
            shLink = new long[c];
            shEnt = new long[c];
        }
        for (int i = 0; i < n; i++) {
            int p = t + i * (is64 ? 64 : 40);
            shName[i] = (int) u32(p);
            shType[i] = (int) u32(p + 4);
            if (is64) {
                shFlags[i] = u64(p + 8);
                shOff[i] = u64(p + 24);
                shSize[i] = u64(p + 32);
                shLink[i] = u32(p + 40);
                shEnt[i] = u64(p + 56);
            } else {
                shFlags[i] = u32(p + 8);
                shOff[i] = u32(p + 16);
                shSize[i] = u32(p + 20);
                shLink[i] = u32(p + 24);
                shEnt[i] = u32(p + 36);
            }
        }
        return true;
    }

    /** {@return whether section {@code i}'s bytes lie inside the ELF object} (NOBITS and empty ones do) */
    private boolean inside(int i, long elf) {
        if (shType[i] == SHT_NOBITS || shSize[i] == 0) {
            return true;
        }
        return shOff[i] >= 0 && shSize[i] >= 0 && shOff[i] <= elf && shSize[i] <= elf - shOff[i];
    }

    /** Reads the symbol, string and section-name tables in one read when they lie close together. */
    private void preload(int shstrndx, int sym, int str, long elf) throws IOException {
        long lo = Long.MAX_VALUE;
        long hi = 0;
        long sum = 0;
        for (int i : new int[] {shstrndx, sym, str}) {
            if (i >= 0 && shType[i] != SHT_NOBITS && shSize[i] > 0 && inside(i, elf)) {
                lo = Math.min(lo, shOff[i]);
                hi = Math.max(hi, shOff[i] + shSize[i]);
                sum += shSize[i];
            }
        }
        if (lo < hi && hi - lo <= sum + SLACK) {
            load(lo, hi - lo);
        }
    }

    /**
     * Collects the exports and imports of the symbol table {@code sym} (strings in {@code str}),
     * as {@link ModuleSymbols#read} does; {@return false when a check fails}
     */
    private boolean symbols(int sym, int str, boolean is64, long elf) throws IOException {
        int ent = is64 ? 24 : 16;
        if (!inside(sym, elf) || shEnt[sym] != ent || shSize[sym] % ent != 0 || shSize[sym] / ent > Integer.MAX_VALUE
                || shType[str] != SHT_STRTAB || !inside(str, elf)
                || (shFlags[sym] & SHF_COMPRESSED) != 0 || (shFlags[str] & SHF_COMPRESSED) != 0) {
            return false;
        }
        int count = (int) (shSize[sym] / ent);
        int s = count == 0 ? 0 : load(shOff[sym], shSize[sym]);
        long strSize = shSize[str];
        int st = strSize == 0 ? 0 : load(shOff[str], strSize);
        if (s < 0 || st < 0) {
            return false;
        }
        byte[] d = data;
        int shndxAt = is64 ? 6 : 14;
        for (int i = 1; i < count; i++) {
            int p = s + i * ent;
            long name = u32(p);
            int shndx = u16(p + shndxAt);
            if (shndx == 0) {
                int e = nameEnd(st, strSize, name);
                if (e == -2) {
                    return false;
                }
                if (e > st + name) {
                    imports.add(d, (int) (st + name), e);
                }
            } else if (name > 0 && name <= strSize - PREFIX.length
                    && Arrays.equals(d, (int) (st + name), (int) (st + name) + PREFIX.length, PREFIX, 0, PREFIX.length)) {
                int e = nameEnd(st, strSize, name);
                if (e == -2) {
                    return false;
                }
                if (e > st + name + PREFIX.length) {
                    exports.add(d, (int) (st + name) + PREFIX.length, e);
                }
            }
        }
        return true;
    }

    /** Adds the {@code __versions} names that no undefined symbol names; {@return false when a check fails} */
    private boolean versions(int v, boolean is64, long elf) throws IOException {
        if (!inside(v, elf) || (shFlags[v] & SHF_COMPRESSED) != 0 || shSize[v] % 64 != 0) {
            return false;
        }
        if (shSize[v] == 0) {
            return true;
        }
        int p = load(shOff[v], shSize[v]);
        if (p < 0) {
            return false;
        }
        int undefined = imports.size;
        int slots = Integer.highestOneBit(Math.max(4, undefined * 2)) * 2;
        if (undefSlots.length < slots) {
            undefSlots = new int[slots];
        } else {
            Arrays.fill(undefSlots, 0, slots, 0);
        }
        for (int k = 0; k < undefined; k++) {
            int x = imports.hashes[k] & (slots - 1);
            while (undefSlots[x] != 0) {
                x = (x + 1) & (slots - 1);
            }
            undefSlots[x] = k + 1;
        }
        int crc = is64 ? 8 : 4;
        byte[] d = data;
        for (int e = p + (int) shSize[v]; p < e; p += 64) {
            int n = p + crc;
            int end = n;
            while (end < p + 64 && d[end] != 0) {
                end++;
            }
            if (end == p + 64) {
                return false; // not NUL-terminated
            }
            if (end > n && !undefinedName(d, n, end, slots, undefined)) {
                imports.add(d, n, end);
            }
        }
        return true;
    }

    private boolean undefinedName(byte[] d, int from, int to, int slots, int undefined) {
        int h = NameList.hash(d, from, to);
        for (int x = h & (slots - 1); undefSlots[x] != 0; x = (x + 1) & (slots - 1)) {
            int k = undefSlots[x] - 1;
            if (k < undefined && imports.hashes[k] == h && imports.equal(k, d, from, to)) {
                return true;
            }
        }
        return false;
    }

    /**
     * {@return the index in {@code data} of the NUL ending the string at {@code off} of the table
     * at {@code tab} ({@code size} bytes), -1 for the empty name of an empty table, -2 when the
     * offset is outside the table or the string is not terminated inside it}
     */
    private int nameEnd(int tab, long size, long off) {
        if (off < 0 || off >= size) {
            return off == 0 && size == 0 ? -1 : -2;
        }
        byte[] d = data;
        int end = (int) (tab + size);
        for (int q = (int) (tab + off); q < end; q++) {
            if (d[q] == 0) {
                return q;
            }
        }
        return -2;
    }

    /**
     * {@return where the file's bytes [off, off + len) are in {@link #data}}, reading them when
     * no region read so far holds them; -1 when the file is shorter
     */
    private int load(long off, long len) throws IOException {
        for (int r = 0; r < regions; r++) {
            if (off >= rOff[r] && off + len <= rOff[r] + rLen[r]) {
                return (int) (rPos[r] + off - rOff[r]);
            }
        }
        if (data != buf || len > MAX_FILE - used) {
            return -1; // a compressed file is whole in memory already
        }
        int n = (int) len;
        if (buf.length - used < n) {
            buf = Arrays.copyOf(buf, (int) Math.min(MAX_FILE, Math.max((long) used + n, buf.length * 2L)));
            data = buf;
        }
        ByteBuffer bb = ByteBuffer.wrap(buf, used, n);
        while (bb.hasRemaining()) {
            if (ch.read(bb, off + bb.position() - used) < 0) {
                return -1;
            }
        }
        if (regions == rOff.length) {
            rOff = Arrays.copyOf(rOff, regions * 2);
            rLen = Arrays.copyOf(rLen, regions * 2);
            rPos = Arrays.copyOf(rPos, regions * 2);
        }
        rOff[regions] = off;
        rLen[regions] = n;
        rPos[regions] = used;
        regions++;
        used += n;
        return rPos[regions - 1];
    }

    private int u16(int p) {
        byte[] d = data;
        return le ? (d[p] & 0xff) | (d[p + 1] & 0xff) << 8 : (d[p] & 0xff) << 8 | (d[p + 1] & 0xff);
    }

    private long u32(int p) {
        byte[] d = data;
        int v = le ? (d[p] & 0xff) | (d[p + 1] & 0xff) << 8 | (d[p + 2] & 0xff) << 16 | (d[p + 3] & 0xff) << 24
                : (d[p] & 0xff) << 24 | (d[p + 1] & 0xff) << 16 | (d[p + 2] & 0xff) << 8 | (d[p + 3] & 0xff);
        return v & 0xffffffffL;
    }

    private long u64(int p) {
        return le ? u32(p) | u32(p + 4) << 32 : u32(p) << 32 | u32(p + 4);
    }

    /** Names collected for one module: their bytes, ends and hashes, reused from module to module. */
    private static final class Names {
        byte[] bytes = new byte[16 << 10];
        int[] ends = new int[512];
        int[] hashes = new int[512];
        int size;
        int length;

        void clear() {
            size = 0;
            length = 0;
        }

        void add(byte[] src, int from, int to) {
            int n = to - from;
            if (bytes.length - length < n) {
                bytes = Arrays.copyOf(bytes, Math.max(length + n, bytes.length * 2));
            }
            if (size == ends.length) {
                ends = Arrays.copyOf(ends, size * 2);
                hashes = Arrays.copyOf(hashes, size * 2);
            }
            System.arraycopy(src, from, bytes, length, n);
            hashes[size] = NameList.hash(bytes, length, length + n);
            length += n;
            ends[size++] = length;
        }

        boolean equal(int k, byte[] src, int from, int to) {
            int s = k == 0 ? 0 : ends[k - 1];
            return Arrays.equals(bytes, s, ends[k], src, from, to);
        }

        NameList list() {
            return size == 0 ? NameList.EMPTY : new NameList(Arrays.copyOf(bytes, length),
                    Arrays.copyOf(ends, size), Arrays.copyOf(hashes, size), size);
        }
    }
}
