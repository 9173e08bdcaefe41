/**
 * The test kit: what the tests of every kobj module share, so that each oracle is written once.
 *
 * <ul>
 * <li>{@link dev.kobj.testkit.Tools}: the outside-tool rule. A test that needs a program that
 *     is not installed says plainly that it skipped ({@code SKIPPED: ...} on stderr and a JUnit
 *     abort); under CI ({@code CI=true}, where .ci/run installs every tool) it fails instead.
 *     Also the one way tests run an outside program ({@code LC_ALL=C}, bounded time).</li>
 * <li>{@link dev.kobj.testkit.Testdata}, {@link dev.kobj.testkit.Fixture},
 *     {@link dev.kobj.testkit.Corpus}: where the committed fixtures (system property
 *     {@code kobj.testdata}), their list {@code objects.tsv}, and the Debian module corpus
 *     ({@code kobj.corpus}, enabled by {@code kobj.corpus.enabled}, the Maven profile
 *     {@code corpus}) are.</li>
 * <li>{@link dev.kobj.testkit.GnuLd}, {@link dev.kobj.testkit.LdInput},
 *     {@link dev.kobj.testkit.Placement}, {@link dev.kobj.testkit.AddressPlan}: GNU ld as the
 *     oracle of relocation and linking. The object is placed (by this kit's stand-in layout or
 *     by kobj's), ld is given a copy of the object with what a loader never does taken out of
 *     its hands, and a linker script that puts every section where the placement says.</li>
 * <li>{@link dev.kobj.testkit.Readelf}: running readelf of the object's binutils and parsing
 *     its section list.</li>
 * <li>{@link dev.kobj.testkit.Depmod} and {@link dev.kobj.testkit.QemuUser}: kmod's depmod
 *     and qemu-user, the oracles of dependency computation and of execution on the
 *     architectures the host is not.</li>
 * </ul>
 *
 * <h2>Why this shape</h2>
 * The kit depends on elf-parser and nothing else of kobj: its harnesses read ELF (the copy
 * given to ld, ld's output), and every module above elf-parser (reloc-arch, symtab,
 * kobj-linker, module-registry, kobjdump, kobj-bench) uses it in test scope. elf-parser's own
 * tests cannot use it (Maven's reactor forbids the cycle elf-parser → testkit → elf-parser),
 * so they keep the one small fixture lookup they need ({@code dev.kobj.elf.Fixtures}), which
 * walks the fixture tree for the parser's oracle and shares no code with this kit. What the
 * kit checks is done by the outside tools, never by the code under test: the kit parses
 * ld's output with elf-parser only to cut section bytes out of it.
 */
package dev.kobj.testkit;
