package dev.kobj.emu;

import dev.kobj.elf.ElfFile;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class DebugTest {
    @Test
    void debug() throws Exception {
        for (String f : System.getProperty("emu.debug").split(",")) {
            Path p = Path.of(f);
            Options.Builder o = Machine.options(Cpu.X86_64).tracer(new Tracer() {
                @Override
                public void call(String name, long caller, long[] args, long result) {
                    StringBuilder a = new StringBuilder();
                    for (long x : args) a.append(String.format("0x%x ", x));
                    System.out.printf("  call %s(%s) = 0x%x%n", name, a, result);
                }
            });
            Handlers h = Handlers.standard();
            KernelFunction orig = h.get("crypto_register_alg").orElseThrow();
            h.put("crypto_register_alg", c -> {
                byte[] b = c.guest().read(c.arg(0), 256);
                System.out.println(java.util.HexFormat.of().formatHex(b));
                try { System.out.println(CryptoAlgs.find(c.guest(), c.arg(0), c.arg(0) + 8192)); } catch (Exception e) { e.printStackTrace(System.out); }
                return orig.call(c);
            });
            o.handlers(h);
            try (ElfFile elf = ElfFile.open(p); Machine m = Machine.forObject(elf, o)) {
                var img = m.load(elf);
                Run r = m.run(img, "init_module");
                System.out.println(p.getFileName() + ": " + r.outcome().describe());
                m.kernel().console().forEach(l -> System.out.println("  console: " + l));
                m.kernel().registrations().forEach(l -> System.out.println("  reg: " + l));
            }
        }
    }
}
