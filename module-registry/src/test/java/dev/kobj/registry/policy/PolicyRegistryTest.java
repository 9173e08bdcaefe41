package dev.kobj.registry.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kobj.link.HeapMemory;
import dev.kobj.registry.BuiltinModule;
import dev.kobj.registry.ModuleException;
import dev.kobj.registry.ModuleException.Errno;
import dev.kobj.registry.ModuleHandler;
import dev.kobj.registry.ModuleInfo;
import dev.kobj.registry.ModuleMetadata;
import dev.kobj.registry.ModuleRegistry;
import dev.kobj.registry.SecurityPolicy;
import dev.kobj.registry.sign.KeyType;
import dev.kobj.registry.sign.ModuleSigner;
import dev.kobj.registry.sign.SignatureCheck;
import dev.kobj.registry.sign.SignatureCheck.Outcome;
import dev.kobj.registry.sign.SignatureHash;
import dev.kobj.registry.sign.SigningKey;
import dev.kobj.registry.sign.TrustedKeys;
import dev.kobj.symtab.KernelSymbol;
import dev.kobj.symtab.KernelSymbolTable;
import dev.kobj.testkit.Testdata;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The policies inside a real registry: testdata/special/module-signed.ko (kobj_demo, signed by
 * openssl in build.sh) and its unsigned twin module.ko, loaded by path into heap memory at
 * kernel addresses.
 */
class PolicyRegistryTest {
    record Seen(Outcome outcome, boolean allowed) {}

    static TrustedKeys fixtureKeys;
    static TrustedKeys otherKeys;
    final List<Seen> seen = new CopyOnWriteArrayList<>();
    final SignaturePolicy.Listener listener = (SignatureCheck c, boolean allowed) -> seen.add(new Seen(c.outcome(), allowed));

    @TempDir
    Path tmp;

    @BeforeAll
    static void keys() throws Exception {
        fixtureKeys = TrustedKeys.load(List.of(Testdata.special("signing-cert.pem")));
        otherKeys = TrustedKeys.of(ModuleSigner.generateKey(KeyType.EC_P256, "other", Duration.ofDays(1)).certificate());
    }

    static ModuleRegistry registry(SecurityPolicy policy) {
        List<KernelSymbol> syms = new ArrayList<>();
        Map.of("printk", 0xffff_ffff_8100_0000L, "kmalloc", 0xffff_ffff_8100_0100L, "kfree", 0xffff_ffff_8100_0200L,
                "memcpy", 0xffff_ffff_8100_0300L, "memset", 0xffff_ffff_8100_0400L,
                "kobj_ext_value", 0xffff_ffff_8200_0000L, "kobj_ext_array", 0xffff_ffff_8200_1000L)
                .forEach((n, a) -> syms.add(new KernelSymbol(n, a, -1, KernelSymbol.VMLINUX, "EXPORT_SYMBOL", "")));
        return ModuleRegistry.builder().memory(new HeapMemory(ModuleRegistry.KERNEL_MODULE_BASE))
                .kernelSymbols(KernelSymbolTable.of("test kernel", syms, true)).security(policy).build();
    }

    static Errno errno(ThrowingRunnable r) {
        try {
            r.run();
        } catch (ModuleException e) {
            return e.errno();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("no ModuleException");
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    Path copyTampered(String name, int offset) throws Exception {
        byte[] b = Files.readAllBytes(Testdata.special("module-signed.ko"));
        b[offset] ^= 1;
        return Files.write(tmp.resolve(name), b);
    }

    @Test
    void enforceLoadsTheSignedModule() throws Exception {
        ModuleRegistry reg = registry(new SignaturePolicy(SignatureMode.ENFORCE, fixtureKeys, listener));
        ModuleInfo m = reg.load(Testdata.special("module-signed.ko").toString());
        assertThat(m.name()).isEqualTo("kobj_demo");
        assertThat(seen).containsExactly(new Seen(Outcome.VERIFIED, true));
        reg.unload("kobj_demo");
    }

    @Test
    void enforceRefusesTamperedUnsignedAndUnknownKeyWithEkeyrejected() throws Exception {
        ModuleRegistry reg = registry(new SignaturePolicy(SignatureMode.ENFORCE, fixtureKeys, listener));
        Path tampered = copyTampered("tampered.ko", 200);
        assertThatThrownBy(() -> reg.load(tampered.toString()))
                .isInstanceOfSatisfying(ModuleException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EKEYREJECTED))
                .hasMessageContaining(tampered.toString()).hasMessageContaining("does not match");
        assertThatThrownBy(() -> reg.load(Testdata.special("module.ko").toString()))
                .isInstanceOfSatisfying(ModuleException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EKEYREJECTED))
                .hasMessageContaining("module.ko").hasMessageContaining("unsigned");
        assertThat(reg.list()).isEmpty();

        ModuleRegistry other = registry(new SignaturePolicy(SignatureMode.ENFORCE, otherKeys, listener));
        assertThatThrownBy(() -> other.load(Testdata.special("module-signed.ko").toString()))
                .isInstanceOfSatisfying(ModuleException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EKEYREJECTED))
                .hasMessageContaining("module-signed.ko").hasMessageContaining("unknown key");
        assertThat(seen).containsExactly(new Seen(Outcome.REJECTED, false), new Seen(Outcome.UNSIGNED, false),
                new Seen(Outcome.UNKNOWN_KEY, false));
    }

    @Test
    void warnLetsUnsignedAndUnknownKeysInButNotABadSignature() throws Exception {
        SignaturePolicy p = new SignaturePolicy(SignatureMode.WARN, otherKeys, listener);
        ModuleRegistry reg = registry(p);
        assertThat(p.tainted()).isFalse();
        reg.load(Testdata.special("module.ko").toString());
        assertThat(p.tainted()).isTrue();
        reg.unload("kobj_demo");
        reg.load(Testdata.special("module-signed.ko").toString()); // signed by a key we do not trust: ENOKEY, tolerated
        reg.unload("kobj_demo");
        // A tampered copy signed by a key we do not have: without the key, unknown key is all
        // that can be said of it (Linux: ENOKEY), so WARN lets it in too.
        reg.load(copyTampered("tampered.ko", 300).toString());
        reg.unload("kobj_demo");
        assertThat(seen).containsExactly(new Seen(Outcome.UNSIGNED, true), new Seen(Outcome.UNKNOWN_KEY, true),
                new Seen(Outcome.UNKNOWN_KEY, true));

        // Raised to ENFORCE at run time: no way back.
        p.enforce();
        assertThat(p.mode()).isEqualTo(SignatureMode.ENFORCE);
        assertThat(errno(() -> reg.load(Testdata.special("module.ko").toString()))).isEqualTo(Errno.EKEYREJECTED);
    }

    @Test
    void warnRefusesATamperedModuleSignedByATrustedKey() throws Exception {
        ModuleRegistry reg = registry(new SignaturePolicy(SignatureMode.WARN, fixtureKeys, listener));
        Path tampered = copyTampered("tampered.ko", 300);
        assertThat(errno(() -> reg.load(tampered.toString()))).isEqualTo(Errno.EKEYREJECTED);
        assertThat(seen).containsExactly(new Seen(Outcome.REJECTED, false));
    }

    @Test
    void offChecksNothing() throws Exception {
        ModuleRegistry reg = registry(new SignaturePolicy(SignatureMode.OFF, fixtureKeys, listener));
        reg.load(copyTampered("tampered.ko", 300).toString());
        assertThat(seen).isEmpty();
    }

    @Test
    void aCompressedModuleIsCheckedAfterDecompression() throws Exception {
        // Linux signs, then compresses; the kernel checks the decompressed bytes.
        SigningKey key = ModuleSigner.generateKey(KeyType.EC_P384, "gz", Duration.ofDays(1));
        byte[] signed = ModuleSigner.sign(Files.readAllBytes(Testdata.special("module.ko")), key.privateKey(), key.certificate(),
                SignatureHash.SHA384);
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(signed);
        }
        Path file = Files.write(tmp.resolve("kobj_demo.ko.gz"), gz.toByteArray());
        registry(new SignaturePolicy(SignatureMode.ENFORCE, TrustedKeys.of(key.certificate()), listener)).load(file.toString());
        assertThat(errno(() -> registry(new SignaturePolicy(SignatureMode.ENFORCE, fixtureKeys, listener))
                .load(file.toString()))).isEqualTo(Errno.EKEYREJECTED);
        assertThat(errno(() -> registry(new SignaturePolicy(SignatureMode.ENFORCE, fixtureKeys, listener))
                .load(Testdata.special("module.ko.xz").toString()))).isEqualTo(Errno.EKEYREJECTED);
    }

    @Test
    void builtinsHaveNoSignatureToCheck() throws Exception {
        ModuleRegistry reg = registry(new SignaturePolicy(SignatureMode.ENFORCE, fixtureKeys, listener));
        reg.registerBuiltin(new BuiltinModule(ModuleMetadata.of("builtin_thing"), ModuleHandler.NONE));
        reg.load("builtin_thing");
        assertThat(reg.status("builtin_thing")).isPresent();
        assertThat(seen).isEmpty();
    }

    @Test
    void securelevelRefusesLoadsAndUnloadsAndOnlyRises() throws Exception {
        SecureLevel level = new SecureLevel(0);
        ModuleRegistry reg = registry(level);
        reg.load(Testdata.special("module.ko").toString());
        level.set(1);
        assertThatThrownBy(() -> reg.unload("kobj_demo"))
                .isInstanceOfSatisfying(ModuleException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EPERM))
                .hasMessageContaining("securelevel is 1").hasMessageContaining("kobj_demo");
        assertThat(reg.status("kobj_demo")).isPresent();
        reg.registerBuiltin(new BuiltinModule(ModuleMetadata.of("builtin_thing"), ModuleHandler.NONE));
        assertThat(errno(() -> reg.load("builtin_thing"))).isEqualTo(Errno.EPERM);
        assertThat(errno(() -> level.set(0))).isEqualTo(Errno.EPERM);
        assertThat(level.level()).isEqualTo(1);
        level.set(2);
        Path exporter = Testdata.special("module.ko").resolveSibling("../obj/x86_64-gcc-kernel/exporter.o").normalize();
        assertThat(errno(() -> reg.load(exporter.toString()))).isEqualTo(Errno.EPERM);
        assertThat(reg.list()).extracting(ModuleInfo::name).containsExactly("kobj_demo");
    }

    @Test
    void permanentlyInsecureLevelAllowsEverything() throws Exception {
        ModuleRegistry reg = registry(new SecureLevel(-1));
        reg.load(Testdata.special("module.ko").toString());
        reg.unload("kobj_demo");
    }

    @Test
    void blacklistRefusesByModuleNameWithDashesAsUnderscores() throws Exception {
        Blacklist b = Blacklist.of("kobj-demo");
        ModuleRegistry reg = registry(b);
        assertThatThrownBy(() -> reg.load(Testdata.special("module.ko").toString()))
                .isInstanceOfSatisfying(ModuleException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EPERM))
                .hasMessageContaining("kobj_demo is blacklisted").hasMessageContaining("module.ko");
        assertThat(reg.list()).isEmpty();
        b.remove("kobj_demo");
        reg.load(Testdata.special("module.ko").toString());
        b.add("kobj_demo");
        reg.unload("kobj_demo"); // unloads are not affected
    }

    @Test
    void anAliasIsNotABlacklistEntry() throws Exception {
        // module.ko's .modinfo has alias=kobj-demo and alias=devname:kobj_demo (readelf -p .modinfo).
        ModuleRegistry reg = registry(Blacklist.of("devname:kobj_demo"));
        reg.load(Testdata.special("module.ko").toString());
    }

    @Test
    void blacklistFromModprobeConfAndKernelCommandLine() throws Exception {
        Path conf = Files.writeString(tmp.resolve("blacklist.conf"),
                "# comment\nblacklist pcspkr\n  blacklist   kobj-demo # trailing\ninstall foo /bin/true\noptions bar x=1\n");
        assertThat(Blacklist.fromModprobeConf(List.of(conf)).names()).containsExactly("kobj_demo", "pcspkr");
        assertThat(Blacklist.fromKernelCommandLine("ro quiet module_blacklist=nouveau,kobj_demo root=/dev/sda1")
                .names()).containsExactly("kobj_demo", "nouveau");
    }

    @Test
    void policiesAllAsksInOrderAndTheFirstRefusalWins() throws Exception {
        SecureLevel level = new SecureLevel(0);
        SignaturePolicy sig = new SignaturePolicy(SignatureMode.ENFORCE, fixtureKeys, listener);
        ModuleRegistry reg = registry(Policies.all(level, Blacklist.of("kobj_demo"), sig));
        assertThat(errno(() -> reg.load(Testdata.special("module-signed.ko").toString()))).isEqualTo(Errno.EPERM);
        assertThat(seen).isEmpty(); // the signature was never read
        ModuleRegistry reg2 = registry(Policies.all(level, Policies.blacklist("other"), sig));
        reg2.load(Testdata.special("module-signed.ko").toString());
        assertThat(errno(() -> reg2.load(Testdata.special("module.ko").toString()))).isIn(Errno.EKEYREJECTED, Errno.EEXIST);
        level.set(1);
        assertThat(errno(() -> reg2.unload("kobj_demo"))).isEqualTo(Errno.EPERM);
    }
}
