package dev.handoff.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away certificate authority for TLS tests, made at test time with the JDK's {@code keytool}
 * (no private key is ever committed). {@link #issue(String)} signs an RSA identity valid for
 * {@code localhost} and {@code 127.0.0.1}, usable as a server and as a client; every file is PEM
 * (certificate chain, PKCS#8 private key), which is what handoff's {@code TlsConfig} reads.
 * Not thread-safe: create and issue from one thread.
 */
public final class TestCertificates {
    /** A certificate chain (leaf, then CA) and its private key, both PEM files. */
    public record Identity(Path certChain, Path privateKey) {
    }

    private static final char[] STORE_PASSWORD = "test-only".toCharArray();
    private static final String VALIDITY_DAYS = "2";

    private final Path dir;
    private final Path caStore;
    private final Path caCert;

    private TestCertificates(Path dir) {
        this.dir = dir;
        this.caStore = dir.resolve("ca.p12");
        this.caCert = dir.resolve("ca.pem");
    }

    /** Makes a new CA named {@code CN=<name>} under {@code dir} (created if missing). */
    public static TestCertificates createAuthority(Path dir, String name) throws IOException {
        Files.createDirectories(dir);
        TestCertificates ca = new TestCertificates(dir);
        ca.keytool("-genkeypair", "-alias", "ca", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=" + name,
            "-ext", "bc:c", "-validity", VALIDITY_DAYS, "-keystore", ca.caStore.toString(), "-storetype", "PKCS12");
        ca.keytool("-exportcert", "-rfc", "-alias", "ca", "-keystore", ca.caStore.toString(), "-file", ca.caCert.toString());
        return ca;
    }

    /** The CA certificate (PEM): the trust file of whoever should accept identities issued here. */
    public Path caCert() {
        return caCert;
    }

    /** Issues an identity {@code CN=<name>} signed by this CA, for localhost, server and client use. */
    public Identity issue(String name) throws IOException {
        Path store = dir.resolve(name + ".p12");
        Path csr = dir.resolve(name + ".csr");
        Path leaf = dir.resolve(name + ".leaf.pem");
        keytool("-genkeypair", "-alias", name, "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=" + name,
            "-validity", VALIDITY_DAYS, "-keystore", store.toString(), "-storetype", "PKCS12");
        keytool("-certreq", "-alias", name, "-keystore", store.toString(), "-file", csr.toString());
        keytool("-gencert", "-alias", "ca", "-keystore", caStore.toString(), "-infile", csr.toString(),
            "-outfile", leaf.toString(), "-rfc", "-validity", VALIDITY_DAYS,
            "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-ext", "EKU=serverAuth,clientAuth");
        Path chain = dir.resolve(name + ".pem");
        Files.writeString(chain, Files.readString(leaf) + Files.readString(caCert));
        Path key = dir.resolve(name + ".key");
        Files.writeString(key, pkcs8Pem(store, name));
        return new Identity(chain, key);
    }

    private static String pkcs8Pem(Path store, String alias) throws IOException {
        try (InputStream in = Files.newInputStream(store)) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, STORE_PASSWORD);
            Key key = ks.getKey(alias, STORE_PASSWORD);
            if (!"PKCS#8".equals(key.getFormat())) {
                throw new IOException("keytool made a " + key.getFormat() + " key, expected PKCS#8");
            }
            String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getEncoded());
            return "-----BEGIN PRIVATE KEY-----\n" + body + "\n-----END PRIVATE KEY-----\n";
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot read the key of " + alias + " from " + store + ": " + e.getMessage(), e);
        }
    }

    private void keytool(String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        command.addAll(List.of("-storepass", new String(STORE_PASSWORD), "-noprompt"));
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException("keytool " + args[0] + " failed: " + out.strip());
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running keytool " + args[0], e);
        }
    }
}
