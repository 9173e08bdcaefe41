package dev.kobj.cli;

import dev.kobj.elf.ElfFile;
import dev.kobj.registry.sign.KeyType;
import dev.kobj.registry.sign.ModuleSigner;
import dev.kobj.registry.sign.Pem;
import dev.kobj.registry.sign.SignatureHash;
import dev.kobj.registry.sign.SigningKey;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code kobjdump sign}: appends a Linux module signature, as {@code scripts/sign-file} does, or makes a key for it. */
@Command(name = "sign", description = {
    "Sign a module as the kernel's scripts/sign-file does, or generate a signing key.",
    "",
    "kobjdump sign --key KEY.pem --cert CERT.pem [--hash sha256] [-o OUT] FILE appends to FILE a "
            + "detached PKCS#7 signature (SignedData, no signed attributes, signer by issuer and serial "
            + "number), struct module_signature (id_type 2, be32 sig_len) and \"~Module signature "
            + "appended~\\n\", writing OUT, or FILE itself when -o is not given. Sign the uncompressed "
            + "module and compress it afterwards, as the kernel build does.",
    "",
    "kobjdump sign --generate-key [--key-type rsa2048|rsa4096|p256|p384] [--subject CN] [--days N] "
            + "--key KEY.pem --cert CERT.pem writes a new private key (PKCS#8 PEM, mode 0600) and a "
            + "self-signed certificate with the extensions of the kernel's x509.genkey."})
final class SignCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", arity = "0..1", description = "The module to sign (.ko or .o, uncompressed).")
    Path file;

    @Option(names = "--key", paramLabel = "KEY.pem", required = true,
            description = "The private key (PEM: PKCS#8, RSA or EC); written with --generate-key.")
    Path key;

    @Option(names = "--cert", paramLabel = "CERT.pem", required = true,
            description = "Its X.509 certificate (PEM or DER); written with --generate-key.")
    Path cert;

    @Option(names = "--hash", paramLabel = "ALGO", defaultValue = "sha256",
            description = "sha256, sha384 or sha512 (default: ${DEFAULT-VALUE}).")
    String hash;

    @Option(names = {"-o", "--output"}, paramLabel = "OUT", description = "Where to write the signed module "
            + "(default: replace FILE).")
    Path output;

    @Option(names = "--generate-key", description = "Generate a key and certificate instead of signing.")
    boolean generate;

    @Option(names = "--key-type", paramLabel = "TYPE", defaultValue = "rsa4096",
            description = "With --generate-key: rsa2048, rsa4096, p256 or p384 (default: ${DEFAULT-VALUE}, as "
                    + "CONFIG_MODULE_SIG_KEY_TYPE_RSA's default key).")
    String keyType;

    @Option(names = "--subject", paramLabel = "CN", defaultValue = "kobj module signing key",
            description = "With --generate-key: the certificate's common name (default: ${DEFAULT-VALUE}).")
    String subject;

    @Option(names = "--days", paramLabel = "N", defaultValue = "36500",
            description = "With --generate-key: validity in days (default: ${DEFAULT-VALUE}, as the kernel "
                    + "build's; the kernel does not check it).")
    int days;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    private final KobjDump.Context ctx;

    SignCommand(KobjDump.Context ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        if (generate) {
            if (file != null || output != null) {
                return usage("--generate-key takes no FILE and no -o");
            }
            return generate();
        }
        if (file == null) {
            return usage("missing FILE to sign");
        }
        return sign();
    }

    private int usage(String message) {
        ctx.error(message);
        return 2;
    }

    private int generate() {
        KeyType type = KeyType.byName(keyType).orElse(null);
        if (type == null) {
            return usage("unknown --key-type " + keyType + " (rsa2048, rsa4096, p256 or p384)");
        }
        if (days < 1) {
            return usage("--days must be at least 1");
        }
        try {
            SigningKey k = ModuleSigner.generateKey(type, subject, Duration.ofDays(days));
            writePrivate(key, Pem.privateKeyPem(k.privateKey()));
            Files.writeString(cert, Pem.certificatePem(k.certificate()), StandardCharsets.US_ASCII);
            return 0;
        } catch (Exception e) {
            ctx.error(KobjDump.errorMessage(key.toString(), e));
            return 1;
        }
    }

    private int sign() {
        SignatureHash h = SignatureHash.byName(hash).orElse(null);
        if (h == null) {
            return usage("unknown --hash " + hash + " (sha256, sha384 or sha512)");
        }
        PrivateKey privateKey;
        X509Certificate certificate;
        try {
            privateKey = Pem.readPrivateKey(key);
        } catch (Exception e) {
            ctx.error(KobjDump.errorMessage(key.toString(), e));
            return 1;
        }
        try {
            certificate = Pem.readCertificate(cert);
        } catch (Exception e) {
            ctx.error(KobjDump.errorMessage(cert.toString(), e));
            return 1;
        }
        String name = file.toString();
        try {
            byte[] module = Files.readAllBytes(file);
            String compressed = compression(module);
            if (compressed != null) {
                ctx.error(name + ": is " + compressed + "-compressed; sign the uncompressed module, then compress it");
                return 1;
            }
            try (ElfFile f = ElfFile.of(name, module)) {
                f.header(); // an ELF object, or ElfFormatException naming what is wrong
            }
            byte[] signed = ModuleSigner.sign(module, privateKey, certificate, h);
            Path out = output != null ? output : file;
            Path tmp = Files.createTempFile(out.toAbsolutePath().getParent(), ".kobj-sign", ".tmp");
            try {
                Files.write(tmp, signed);
                if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                    // the temporary file is 0600: give it the replaced file's mode, or 0644
                    Files.setPosixFilePermissions(tmp, Files.exists(out) ? Files.getPosixFilePermissions(out)
                            : PosixFilePermissions.fromString("rw-r--r--"));
                }
                Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
            return 0;
        } catch (Exception e) {
            ctx.error(KobjDump.errorMessage(name, e));
            return 1;
        }
    }

    /** {@return "gzip", "xz" or "zstd" when the bytes start with that format's magic, else null} */
    static String compression(byte[] b) {
        if (b.length >= 2 && (b[0] & 0xff) == 0x1f && (b[1] & 0xff) == 0x8b) {
            return "gzip";
        }
        if (b.length >= 6 && Arrays.equals(b, 0, 6, new byte[] {(byte) 0xfd, '7', 'z', 'X', 'Z', 0}, 0, 6)) {
            return "xz";
        }
        if (b.length >= 4 && Arrays.equals(b, 0, 4, new byte[] {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd}, 0, 4)) {
            return "zstd";
        }
        return null;
    }

    private static void writePrivate(Path path, String pem) throws java.io.IOException {
        Files.deleteIfExists(path);
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            Files.createFile(path, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        Files.writeString(path, pem, StandardCharsets.US_ASCII);
    }
}
