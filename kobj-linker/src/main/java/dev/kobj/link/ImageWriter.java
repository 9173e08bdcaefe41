package dev.kobj.link;

import static dev.kobj.elf.ElfConstants.*;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Writes a linked image as an ELF executable (ET_EXEC) that readelf, objdump and gdb read as
 * they read ld's output: one section per placed section at its load address (sh_addr) with
 * its relocated bytes, one PT_LOAD per region with the region's permissions, and a
 * {@code .symtab}/{@code .strtab} whose symbols carry final addresses.
 *
 * <p>The writer knows nothing of the link: it is given sections, segments and symbols and
 * lays them out. File layout (gABI, "ELF Header", "Program Header", "Section Header"):
 * <pre>
 *   ELF header | program headers | segment contents (p_offset ≡ p_vaddr mod p_align) |
 *   other sections | .symtab | .symtab_shndx? | .strtab | .shstrtab | section headers
 * </pre>
 * Sections are numbered in address order after the null section; more than 0xfeff
 * sections use the gABI's extended numbering (e_shnum = 0, e_shstrndx = SHN_XINDEX, the
 * real values in section 0, and SHT_SYMTAB_SHNDX for the symbols).
 */
public final class ImageWriter {

    /** {@link Symbol#section} for an absolute symbol (SHN_ABS). */
    public static final int ABS = -1;
    /** {@link Symbol#section} for an undefined symbol (SHN_UNDEF). */
    public static final int UNDEF = -2;

    /**
     * One output section.
     *
     * @param name    its name, as in the input object (or the stub section's name)
     * @param type    sh_type; anything that would ask readelf to follow sh_link (REL, RELA,
     *                SYMTAB, GROUP, ...) is written as SHT_PROGBITS, since those links are gone
     * @param flags   sh_flags; SHF_GROUP and SHF_INFO_LINK are dropped for the same reason
     * @param address the load address (sh_addr)
     * @param align   sh_addralign
     * @param entsize sh_entsize
     * @param size    sh_size
     * @param bytes   the relocated contents ({@code size} bytes), null for SHT_NOBITS
     */
    public record Section(String name, int type, long flags, long address, long align, long entsize, long size,
            MemorySegment bytes) {
        /** Checks that the contents are there and {@code size} bytes long (none for SHT_NOBITS). */
        public Section {
            Objects.requireNonNull(name, "name");
            if (type != SHT_NOBITS && (bytes == null || bytes.byteSize() != size)) {
                throw new IllegalArgumentException("section " + name + ": " + size + " bytes expected, got "
                        + (bytes == null ? "none" : bytes.byteSize()));
            }
        }

        boolean nobits() {
            return type == SHT_NOBITS;
        }
    }

    /**
     * One PT_LOAD.
     *
     * @param address p_vaddr (= p_paddr)
     * @param size    p_memsz; p_filesz runs to the end of the last section with file bytes
     * @param flags   p_flags: PF_R | PF_W | PF_X
     * @param align   p_align (a power of two, at least 1)
     */
    public record Segment(long address, long size, int flags, long align) {
        /** Checks that {@code p_align} is a power of two. */
        public Segment {
            if (align <= 0 || (align & (align - 1)) != 0) {
                throw new IllegalArgumentException("p_align must be a power of two: " + align);
            }
        }
    }

    /**
     * One symbol.
     *
     * @param name    its name
     * @param value   st_value: the final address (or the absolute value)
     * @param size    st_size
     * @param info    st_info (binding and type)
     * @param other   st_other
     * @param section the index of its section in the order of {@link #section} calls, or
     *                {@link #ABS} or {@link #UNDEF}
     */
    public record Symbol(String name, long value, long size, int info, int other, int section) {
        /** Checks that the name is not null. */
        public Symbol {
            Objects.requireNonNull(name, "name");
        }

        boolean local() {
            return (info >>> 4) == STB_LOCAL;
        }
    }

    private final boolean is64;
    private final ByteOrder order;
    private final int machine;
    private final long eflags;
    private final int osabi;
    private long entry;
    private final List<Section> sections = new ArrayList<>();
    private final List<Segment> segments = new ArrayList<>();
    private final List<Symbol> symbols = new ArrayList<>();

    /**
     * A writer of an executable with this ELF header.
     *
     * @param is64    ELFCLASS64 (else ELFCLASS32)
     * @param order   the data byte order
     * @param machine e_machine
     * @param eflags  e_flags (the input object's: RISC-V's float ABI, for example)
     * @param osabi   e_ident[EI_OSABI]
     */
    public ImageWriter(boolean is64, ByteOrder order, int machine, long eflags, int osabi) {
        this.is64 = is64;
        this.order = Objects.requireNonNull(order, "order");
        this.machine = machine;
        this.eflags = eflags;
        this.osabi = osabi;
    }

    /**
     * {@return a writer holding {@code image}}: its placed sections (relocated bytes read back
     * from the image's memory, NOBITS for bss), its stub sections under their own names, one
     * PT_LOAD per region with the region's final permissions, and every symbol of the object
     * with its final address. Symbols that were undefined become SHN_ABS at the address they
     * resolved to (0 for an unresolved weak one); symbols of sections that are not loaded
     * (.modinfo, debug info) are kept as SHN_ABS at their st_value, so the image holds every
     * symbol of the object; each stub entry gets a local
     * symbol {@code NAME@plt} or {@code NAME@got} ({@code NAME+0xA@...} with an addend), so
     * that a disassembler names the veneer a call goes through.
     *
     * @param image the linked image
     */
    public static ImageWriter of(LoadedImage image) {
        return ImageContents.of(image);
    }

    /**
     * Sets e_entry (0 by default).
     * @param address the entry point ({@code e_entry})
     * @return this builder
     */
    public ImageWriter entry(long address) {
        this.entry = address;
        return this;
    }

    /**
     * {@return the index of the section just added, for {@link Symbol#section}}
     * @param s what to add
     */
    public int section(Section s) {
        sections.add(Objects.requireNonNull(s));
        return sections.size() - 1;
    }

    /**
     * Adds a PT_LOAD.
     * @param s what to add
     * @return this builder
     */
    public ImageWriter segment(Segment s) {
        segments.add(Objects.requireNonNull(s));
        return this;
    }

    /**
     * Adds a symbol; locals are written before globals whatever the order of the calls.
     * @param s what to add
     * @return this builder
     */
    public ImageWriter symbol(Symbol s) {
        if (s.section() < UNDEF || s.section() >= sections.size()) {
            throw new IllegalArgumentException("symbol " + s.name() + ": no section " + s.section());
        }
        symbols.add(s);
        return this;
    }

    /**
     * Writes the file.
     * @param out the file to write
     * @throws IOException when the file cannot be written
     */
    public void write(Path out) throws IOException {
        Files.write(out, toBytes());
    }

    // ------------------------------------------------------------------ layout

    private int ehsize() {
        return is64 ? 64 : 52;
    }

    private int phentsize() {
        return is64 ? 56 : 32;
    }

    private int shentsize() {
        return is64 ? 64 : 40;
    }

    private int symentsize() {
        return is64 ? 24 : 16;
    }

    private static long alignUp(long v, long align) {
        return align <= 1 ? v : (v + align - 1) & -align;
    }

    /** The smallest offset ≥ {@code from} with {@code offset ≡ vaddr (mod align)}. */
    private static long congruent(long from, long vaddr, long align) {
        long want = vaddr & (align - 1);
        long off = (from & -align) + want;
        return off < from ? off + align : off;
    }

    /** {@return the whole file} */
    public byte[] toBytes() {
        // Output order: sections by address (stable), then the tables.
        List<Integer> byAddress = new ArrayList<>();
        for (int i = 0; i < sections.size(); i++) {
            byAddress.add(i);
        }
        byAddress.sort(Comparator.comparingLong((Integer i) -> sections.get(i).address())
                .thenComparingInt(i -> i));
        int[] shndx = new int[sections.size()]; // writer index -> header index
        for (int k = 0; k < byAddress.size(); k++) {
            shndx[byAddress.get(k)] = k + 1;
        }
        int nSections = sections.size();
        int symtabIndex = nSections + 1;
        // Symbols: null, locals, globals.
        List<Symbol> ordered = new ArrayList<>(symbols.size());
        symbols.stream().filter(Symbol::local).forEach(ordered::add);
        int firstGlobal = ordered.size() + 1;
        symbols.stream().filter(s -> !s.local()).forEach(ordered::add);
        boolean needShndx = false;
        for (Symbol s : ordered) {
            if (s.section() >= 0 && shndx[s.section()] >= SHN_LORESERVE) {
                needShndx = true;
                break;
            }
        }
        int strtabIndex = symtabIndex + (needShndx ? 2 : 1);
        int shstrtabIndex = strtabIndex + 1;
        int shnum = shstrtabIndex + 1;

        Strtab strtab = new Strtab();
        Strtab shstrtab = new Strtab();
        int[] symName = new int[ordered.size()];
        for (int i = 0; i < ordered.size(); i++) {
            symName[i] = strtab.add(ordered.get(i).name());
        }
        int[] secName = new int[nSections];
        for (int i = 0; i < nSections; i++) {
            secName[i] = shstrtab.add(sections.get(i).name());
        }
        int symtabName = shstrtab.add(".symtab");
        int shndxName = needShndx ? shstrtab.add(".symtab_shndx") : 0;
        int strtabName = shstrtab.add(".strtab");
        int shstrtabName = shstrtab.add(".shstrtab");

        // File offsets: segments first, each at an offset congruent to its address.
        List<Segment> segs = new ArrayList<>(segments);
        segs.sort(Comparator.comparingLong(Segment::address));
        long cursor = ehsize() + (long) phentsize() * segs.size();
        long[] offset = new long[nSections];
        boolean[] placed = new boolean[nSections];
        long[] segOffset = new long[segs.size()];
        long[] segFilesz = new long[segs.size()];
        for (int k = 0; k < segs.size(); k++) {
            Segment g = segs.get(k);
            long off = congruent(cursor, g.address(), g.align());
            long filesz = 0;
            for (int i = 0; i < nSections; i++) {
                Section s = sections.get(i);
                if (placed[i] || !inside(s, g)) {
                    continue;
                }
                placed[i] = true;
                offset[i] = off + (s.address() - g.address());
                if (!s.nobits()) {
                    filesz = Math.max(filesz, s.address() + s.size() - g.address());
                }
            }
            segOffset[k] = off;
            segFilesz[k] = filesz;
            cursor = Math.max(cursor, off + filesz);
        }
        for (int i : byAddress) {
            Section s = sections.get(i);
            if (!placed[i]) {
                offset[i] = s.nobits() ? cursor : alignUp(cursor, Math.max(1, s.align()));
                cursor = offset[i] + (s.nobits() ? 0 : s.size());
            }
        }
        int align = is64 ? 8 : 4;
        long symtabOff = alignUp(cursor, align);
        long symtabSize = (long) (ordered.size() + 1) * symentsize();
        long shndxOff = alignUp(symtabOff + symtabSize, 4);
        long shndxSize = needShndx ? 4L * (ordered.size() + 1) : 0;
        long strtabOff = shndxOff + shndxSize;
        long shstrtabOff = strtabOff + strtab.bytes.size();
        long shoff = alignUp(shstrtabOff + shstrtab.bytes.size(), align);
        long total = shoff + (long) shnum * shentsize();
        if (total > Integer.MAX_VALUE - 16) {
            throw new IllegalStateException("image of " + total + " bytes is too large to write");
        }

        ByteBuffer b = ByteBuffer.allocate((int) total).order(order);
        // ELF header (gABI, "ELF Header").
        b.put(new byte[] {0x7f, 'E', 'L', 'F'});
        b.put((byte) (is64 ? ELFCLASS64 : ELFCLASS32));
        b.put((byte) (order == ByteOrder.LITTLE_ENDIAN ? ELFDATA2LSB : ELFDATA2MSB));
        b.put((byte) EV_CURRENT);
        b.put((byte) osabi);
        b.position(EI_NIDENT);
        b.putShort((short) ET_EXEC);
        b.putShort((short) machine);
        b.putInt(EV_CURRENT);
        word(b, entry);
        word(b, segs.isEmpty() ? 0 : ehsize());
        word(b, shoff);
        b.putInt((int) eflags);
        b.putShort((short) ehsize());
        b.putShort((short) phentsize());
        b.putShort((short) Math.min(segs.size(), PN_XNUM));
        b.putShort((short) shentsize());
        b.putShort((short) (shnum >= SHN_LORESERVE ? 0 : shnum));
        b.putShort((short) (shstrtabIndex >= SHN_LORESERVE ? SHN_XINDEX : shstrtabIndex));
        // Program headers (gABI, "Program Header"): p_flags sits after p_type on ELF64 only.
        b.position(ehsize());
        for (int k = 0; k < segs.size(); k++) {
            Segment g = segs.get(k);
            b.putInt(PT_LOAD);
            if (is64) {
                b.putInt(g.flags());
            }
            word(b, segOffset[k]);
            word(b, g.address());
            word(b, g.address());
            word(b, segFilesz[k]);
            word(b, g.size());
            if (!is64) {
                b.putInt(g.flags());
            }
            word(b, g.align());
        }
        // Section contents.
        for (int i = 0; i < nSections; i++) {
            Section s = sections.get(i);
            if (!s.nobits() && s.size() > 0) {
                MemorySegment.copy(s.bytes(), ValueLayout.JAVA_BYTE, 0, b.array(), (int) offset[i], (int) s.size());
            }
        }
        // .symtab (gABI, "Symbol Table"): ELF64 is name, info, other, shndx, value, size;
        // ELF32 is name, value, size, info, other, shndx.
        b.position((int) symtabOff + symentsize());
        for (int i = 0; i < ordered.size(); i++) {
            Symbol s = ordered.get(i);
            int ndx = switch (s.section()) {
                case ABS -> SHN_ABS;
                case UNDEF -> SHN_UNDEF;
                default -> shndx[s.section()];
            };
            int raw = ndx >= SHN_LORESERVE && s.section() >= 0 ? SHN_XINDEX : ndx;
            if (needShndx && s.section() >= 0) {
                b.putInt((int) shndxOff + 4 * (i + 1), ndx);
            }
            b.putInt(symName[i]);
            if (is64) {
                b.put((byte) s.info()).put((byte) s.other()).putShort((short) raw);
                b.putLong(s.value()).putLong(s.size());
            } else {
                b.putInt((int) s.value()).putInt((int) s.size());
                b.put((byte) s.info()).put((byte) s.other()).putShort((short) raw);
            }
        }
        b.put((int) strtabOff, strtab.bytes.array(), 0, strtab.bytes.size());
        b.put((int) shstrtabOff, shstrtab.bytes.array(), 0, shstrtab.bytes.size());
        // Section headers (gABI, "Section Header"); section 0 holds the extended counts.
        b.position((int) shoff);
        header(b, 0, SHT_NULL, 0, 0, 0, shnum >= SHN_LORESERVE ? shnum : 0,
                shstrtabIndex >= SHN_LORESERVE ? shstrtabIndex : 0, 0, 0, 0);
        for (int i : byAddress) {
            Section s = sections.get(i);
            header(b, secName[i], outputType(s.type()), s.flags() & ~(SHF_GROUP | SHF_INFO_LINK), s.address(),
                    offset[i], s.size(), 0, 0, s.align(), s.entsize());
        }
        header(b, symtabName, SHT_SYMTAB, 0, 0, symtabOff, symtabSize, strtabIndex, firstGlobal, align,
                symentsize());
        if (needShndx) {
            header(b, shndxName, SHT_SYMTAB_SHNDX, 0, 0, shndxOff, shndxSize, symtabIndex, 0, 4, 4);
        }
        header(b, strtabName, SHT_STRTAB, 0, 0, strtabOff, strtab.bytes.size(), 0, 0, 1, 0);
        header(b, shstrtabName, SHT_STRTAB, 0, 0, shstrtabOff, shstrtab.bytes.size(), 0, 0, 1, 0);
        return b.array();
    }

    private static boolean inside(Section s, Segment g) {
        long end = g.address() + g.size();
        return Long.compareUnsigned(s.address(), g.address()) >= 0
                && Long.compareUnsigned(s.address() + s.size(), end) <= 0
                && (s.size() > 0 || Long.compareUnsigned(s.address(), end) < 0);
    }

    /** Types whose sh_link/sh_info would point at sections that are not in the image become PROGBITS. */
    static int outputType(int type) {
        return switch (type) {
            case SHT_PROGBITS, SHT_NOBITS, SHT_NOTE, SHT_INIT_ARRAY, SHT_FINI_ARRAY, SHT_PREINIT_ARRAY -> type;
            default -> Integer.compareUnsigned(type, SHT_LOPROC) >= 0
                    && Integer.compareUnsigned(type, SHT_HIPROC) <= 0 ? type : SHT_PROGBITS;
        };
    }

    private void word(ByteBuffer b, long v) {
        if (is64) {
            b.putLong(v);
        } else {
            b.putInt((int) v);
        }
    }

    private void header(ByteBuffer b, int name, int type, long flags, long addr, long offset, long size, long link,
            long info, long align, long entsize) {
        b.putInt(name);
        b.putInt(type);
        word(b, flags);
        word(b, addr);
        word(b, offset);
        word(b, size);
        b.putInt((int) link);
        b.putInt((int) info);
        word(b, align);
        word(b, entsize);
    }
}
