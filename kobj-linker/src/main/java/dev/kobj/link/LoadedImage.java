package dev.kobj.link;

import dev.kobj.elf.Arch;
import dev.kobj.elf.ElfFile;
import dev.kobj.elf.ElfSymbol;
import dev.kobj.elf.SectionHeader;
import dev.kobj.reloc.StubNeeds;
import dev.kobj.symtab.KernelSymbol;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A linked module in its {@link HostMemory}: regions, placed sections, stubs, symbols with
 * their final addresses, and the bytes. Closing it frees every allocation (safe twice).
 *
 * <p>After {@link Linker#link} the regions have their final permissions (W^X), except
 * ro_after_init regions, which stay RW until {@link #completeInit()} as in the kernel.
 */
public interface LoadedImage extends AutoCloseable {

    /** The two layouts of a Linux module: freed after init, or kept. */
    enum Layout {
        /** What stays loaded until the module is removed (Linux's {@code core_layout}). */
        CORE,
        /** What {@code do_init_module} frees once the init function has returned ({@code .init*}). */
        INIT
    }

    /** The parts of a layout, in address order (Linux 6.1 {@code layout_sections}, plus bss apart). */
    enum Part {
        /** SHF_EXECINSTR, and the PLT/veneer stubs: RX. */
        TEXT(Allocation.Permissions.RX),
        /** SHF_ALLOC without SHF_WRITE, and the GOT: R. */
        RODATA(Allocation.Permissions.R),
        /** {@code .data..ro_after_init} and {@code __jump_table}: RW until init is complete, then R. */
        RO_AFTER_INIT(Allocation.Permissions.R),
        /** SHF_WRITE PROGBITS: RW. */
        DATA(Allocation.Permissions.RW),
        /** SHF_WRITE NOBITS: RW, zero. */
        BSS(Allocation.Permissions.RW);

        private final Allocation.Permissions permissions;

        Part(Allocation.Permissions permissions) {
            this.permissions = permissions;
        }

        /** {@return the final permissions of a region of this part} */
        public Allocation.Permissions permissions() {
            return permissions;
        }
    }

    /**
     * One page-aligned region, e.g. {@code core.text}. A part that holds no section and no stub
     * has no region; a part whose sections are all empty has a region of size 0 (not
     * allocated, not protected) so that those sections still have a region and an address.
     *
     * @param name        "core.text", "core.rodata", "core.ro_after_init", "core.data", "core.bss", "init.text", ...
     * @param layout      core or init
     * @param part        text, rodata, ro_after_init, data or bss
     * @param address     its first address (a multiple of {@link Linker#PAGE_SIZE})
     * @param size        its size, a multiple of the page size
     * @param used        the bytes used by sections and stubs (the rest of the last page is zero)
     * @param permissions its final permissions
     */
    record Region(String name, Layout layout, Part part, long address, long size, long used,
            Allocation.Permissions permissions) {

        /**
         * {@return true when {@code addr} lies inside the region}
         * @param addr an address
         */
        public boolean contains(long addr) {
            return Long.compareUnsigned(addr - address, size) < 0;
        }
    }

    /**
     * One input section placed in the image.
     *
     * @param name    the section's name
     * @param index   its index in the object's section header table
     * @param address its load address
     * @param size    sh_size
     * @param region  the region holding it
     * @param header  its section header, as read
     */
    record PlacedSection(String name, int index, long address, long size, Region region, SectionHeader header) {

        /** {@return true for SHT_NOBITS (bss): no bytes in the file} */
        public boolean nobits() {
            return header.isNobits();
        }
    }

    /**
     * One allocation: the kernel's ({@code core}, {@code init} in Linux 6.1; {@code text},
     * {@code data}, {@code rodata}, {@code ro_after_init}, {@code init_text}, {@code init_data},
     * {@code init_rodata} from 6.4) or one kobj adds ({@code kobj_stubs} for its GOT/PLT/veneers,
     * {@code percpu} for the per-CPU section, which the kernel puts in its per-CPU area).
     *
     * @param name       its name (the kernel's for the kernel's allocations)
     * @param layout     CORE, or INIT for those freed after init
     * @param address    its first address (page-aligned)
     * @param size       the bytes kobj allocated (a page multiple)
     * @param kernelSize the size the kernel records for it (core_layout.size in 6.1,
     *                   mod->mem[type].size from 6.4: both page multiples); 0 for kobj's extras
     * @param kernel     true when the kernel makes this allocation
     * @param regions    its regions, in address order
     */
    record Area(String name, Layout layout, long address, long size, long kernelSize, boolean kernel,
            List<Region> regions) {

        /**
         * {@return true when {@code addr} lies inside the area}
         * @param addr an address
         */
        public boolean contains(long addr) {
            return Long.compareUnsigned(addr - address, size) < 0;
        }
    }

    /** The kinds of stub section. */
    enum StubKind {
        /** GOT entries: each holds S + key addend ({@code RelocationEngine.stubTarget}). */
        GOT,
        /** PLT entries or branch veneers: each reaches S + key addend. */
        PLT,
        /**
         * Place-specific veneers ({@code .kobj.veneers}, {@code RelocationEngine}'s
         * {@code VeneerPool}): each serves one place, so {@link StubSection#entries()} is empty;
         * AArch64's Cortex-A53 erratum 843419 ADRP veneers. Slots the link did not need stay zero.
         */
        VENEER
    }

    /**
     * A stub section kobj made from the engine's pre-scan ({@code .kobj.got}, {@code .kobj.plt},
     * {@code .kobj.veneers}).
     *
     * @param name      the section name to show and to write
     * @param kind      GOT, PLT or VENEER
     * @param address   its address
     * @param size      its size in bytes
     * @param entrySize bytes per entry
     * @param region    the region holding it
     * @param entries   the address of the entry for each (symbol index, addend) key
     */
    record StubSection(String name, StubKind kind, long address, long size, int entrySize, Region region,
            Map<StubNeeds.Target, Long> entries) {
    }

    /** Where a symbol's final address came from. */
    enum Source {
        /** The null symbol (index 0). */
        NULL,
        /** Defined in a placed section: section address + st_value. */
        DEFINED,
        /** Defined in a section that is not loaded (debug info, .modinfo...): st_value, relative. */
        NOT_LOADED,
        /** SHN_ABS: st_value. */
        ABSOLUTE,
        /** Undefined, found in the request's {@link dev.kobj.symtab.SymbolLookup} (a loaded module or the kernel). */
        LOOKUP,
        /** Undefined, found in the request's bindings. */
        BINDING,
        /** Weak undefined and found nowhere: 0. */
        WEAK_UNDEFINED
    }

    /**
     * One symbol of the object's symbol table with its final address.
     *
     * @param symbol   the entry as read (index, name, st_value, st_size, binding, type, shndx)
     * @param address  its final address (an undefined symbol: the address it resolved to)
     * @param source   where the address came from
     * @param provider for {@link Source#LOOKUP}: the owner of the symbol ("vmlinux" or a
     *                 module name); for {@link Source#BINDING}: "binding"; otherwise ""
     */
    record LinkedSymbol(ElfSymbol symbol, long address, Source source, String provider) {

        /** {@return the symbol's name} */
        public String name() {
            return symbol.name();
        }

        /** {@return true when the object did not define it (SHN_UNDEF)} */
        public boolean wasUndefined() {
            return symbol.isUndefined();
        }
    }

    /** {@return the module name: {@code .gnu.linkonce.this_module}'s, else .modinfo's name=, else the file name} */
    String name();

    /** {@return the object that was linked (still open: the image does not own it)} */
    ElfFile object();

    /** {@return the architecture} */
    Arch arch();

    /** {@return the memory holding the image} */
    HostMemory memory();

    /** {@return the regions of the parts that hold sections or stubs, core before init, each in part order} */
    List<Region> regions();

    /** {@return the layout that placed the image (the module's vermagic release's, or the one asked for)} */
    LayoutStrategy layout();

    /** {@return the allocations, in allocation order; after {@link #completeInit()} the core ones only} */
    List<Area> areas();

    /**
     * {@return the area holding {@code region}, if it is one of this image's}
     * @param region one of the image's regions
     */
    default Optional<Area> area(Region region) {
        for (Area a : areas()) {
            if (a.regions().contains(region)) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }

    /**
     * {@return the size /proc/modules shows once init is done}: the core allocation's size in
     * Linux 6.1, the sum of the core types' page-rounded sizes from 6.4 (kobj's layout: the
     * core allocation's bytes)
     */
    long moduleSize();

    /** {@return the address /proc/modules shows: the core allocation's in 6.1, the text allocation's from 6.4} */
    long moduleBase();

    /** {@return every placed section, in address order} */
    List<PlacedSection> sections();

    /**
     * {@return the placed section with header index {@code index}, if it was loaded}
     * @param index the section's index in the object
     */
    Optional<PlacedSection> section(int index);

    /**
     * {@return the first placed section named {@code name}, if any}
     * @param name its name
     */
    Optional<PlacedSection> section(String name);

    /** {@return the stub sections that are not empty (GOT, PLT)} */
    List<StubSection> stubs();

    /** {@return every symbol of the object's table (index order, index 0 included) with its final address} */
    List<LinkedSymbol> symbols();

    /**
     * {@return the address of the symbol the object defines under {@code name}}: a global or weak
     * definition first, else the first local one. Undefined symbols are not looked at.
     *
     * @param name its name
     */
    OptionalLong symbol(String name);

    /**
     * {@return the defined, named, non-section symbol at or nearest below {@code address}, inside the image}
     * @param address an address in the image
     */
    Optional<LinkedSymbol> symbolAt(long address);

    /**
     * {@return the symbols the module exports ({@code __ksymtab}, {@code __ksymtab_gpl}), read after
     * relocation, with their final addresses, CRCs from {@code __kcrctab*} and namespaces}
     */
    List<KernelSymbol> exports();

    /** {@return the number of relocations applied} */
    long relocationCount();

    /**
     * {@return a copy of {@code length} bytes at {@code address}}; the range must lie in one region
     * @param address an address in the image
     * @param length how many bytes
     */
    byte[] read(long address, int length);

    /**
     * Writes {@code bytes} at {@code address}; the range must lie in one region that is writable now.
     * @param address an address in the image
     * @param bytes the bytes to write
     */
    void write(long address, byte[] bytes);

    /**
     * {@return the live bytes of {@code [address, address+length)}}, which must lie in one region;
     * read-only unless the region is writable now (as {@link #write} requires)
     *
     * @param address an address in the image
     * @param length how many bytes
     */
    MemorySegment segment(long address, long length);

    /**
     * {@return a handle that calls the function symbol {@code name} (defined by the object)}.
     * Only memories that can run code support it ({@link HostMemory#function}).
     *
     * @throws UnsupportedOperationException in memories that cannot run code
     * @throws IllegalArgumentException when the object defines no such symbol
     * @param name its name
     * @param descriptor its C signature
     */
    default MethodHandle function(String name, FunctionDescriptor descriptor) {
        long address = symbol(name).orElseThrow(() -> new IllegalArgumentException(
                object().name() + ": no symbol " + name));
        return memory().function(address, descriptor);
    }

    /**
     * What the kernel does once the module's init returned ({@code do_init_module}): the
     * ro_after_init regions become read-only and the init regions are freed. Idempotent.
     *
     * @throws LinkException when the permissions cannot be changed
     */
    void completeInit() throws LinkException;

    /** Frees every allocation; safe to call twice. */
    @Override
    void close();
}
