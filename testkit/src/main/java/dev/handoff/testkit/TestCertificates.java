package dev.handoff.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away certificate authority for TLS tests, made at test time with the JDK's {@code keytool}
 * (no private key is ever committed). {@link #create} makes the CA and signs EC (P-256) identities valid for
 * {@code localhost} and {@code 127.0.0.1}, usable as servers and as clients; every file is PEM
 * (certificate chain, PKCS#8 private key), which is what handoff's {@code TlsConfig} reads. All
 * keytool commands run in one child JVM (a JVM per command would cost a second each).
 * Not thread-safe: create and read from one thread.
 */
public final class TestCertificates {
    /** A certificate chain (leaf, then CA) and its private key, both PEM files. */
    public record Identity(Path certChain, Path privateKey) {
    }

    private static final String STORE_PASSWORD = "test-only";
    private static final String VALIDITY_DAYS = "2";
    private static final String SEPARATOR = "--next--";

    private final Path caCert;
    private final Map<String, Identity> identities;

    private TestCertificates(Path caCert, Map<String, Identity> identities) {
        this.caCert = caCert;
        this.identities = identities;
    }

    /** Makes a CA {@code CN=<caName>} under {@code dir} (created if missing) and one identity {@code CN=<name>} per name. */
    public static TestCertificates create(Path dir, String caName, String... names) throws IOException {
        Files.createDirectories(dir);
        Path caStore = dir.resolve("ca.p12");
        Path caCert = dir.resolve("ca.pem");
        List<List<String>> commands = new ArrayList<>();
        commands.add(List.of("-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + caName,
            "-ext", "bc:c", "-validity", VALIDITY_DAYS, "-keystore", caStore.toString(), "-storetype", "PKCS12"));
        commands.add(List.of("-exportcert", "-rfc", "-alias", "ca", "-keystore", caStore.toString(), "-file", caCert.toString()));
        for (String name : names) {
            Path store = dir.resolve(name + ".p12");
            Path csr = dir.resolve(name + ".csr");
            commands.add(List.of("-genkeypair", "-alias", name, "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + name,
                "-validity", VALIDITY_DAYS, "-keystore", store.toString(), "-storetype", "PKCS12"));
            commands.add(List.of("-certreq", "-alias", name, "-keystore", store.toString(), "-file", csr.toString()));
            commands.add(List.of("-gencert", "-alias", "ca", "-keystore", caStore.toString(), "-infile", csr.toString(),
                "-outfile", dir.resolve(name + ".leaf.pem").toString(), "-rfc", "-validity", VALIDITY_DAYS,
                "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-ext", "EKU=serverAuth,clientAuth"));
        }
        runKeytool(dir, commands);
        Map<String, Identity> issued = new LinkedHashMap<>();
        for (String name : names) {
            Path chain = dir.resolve(name + ".pem");
            Files.writeString(chain, Files.readString(dir.resolve(name + ".leaf.pem")) + Files.readString(caCert));
            Path key = dir.resolve(name + ".key");
            Files.writeString(key, pkcs8Pem(dir.resolve(name + ".p12"), name));
            issued.put(name, new Identity(chain, key));
        }
        return new TestCertificates(caCert, issued);
    }

    /** The CA certificate (PEM): the trust file of whoever should accept identities issued here. */
    public Path caCert() {
        return caCert;
    }

    /** An identity made by {@link #create}. */
    public Identity identity(String name) {
        Identity id = identities.get(name);
        if (id == null) {
            throw new IllegalArgumentException("no identity " + name + "; issued: " + identities.keySet());
        }
        return id;
    }

    private static String pkcs8Pem(Path store, String alias) throws IOException {
        try (InputStream in = Files.newInputStream(store)) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, STORE_PASSWORD.toCharArray());
            Key key = ks.getKey(alias, STORE_PASSWORD.toCharArray());
            if (!"PKCS#8".equals(key.getFormat())) {
                throw new IOException("keytool made a " + key.getFormat() + " key, expected PKCS#8");
            }
            String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getEncoded());
            return "-----BEGIN PRIVATE KEY-----\n" + body + "\n-----END PRIVATE KEY-----\n";
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot read the key of " + alias + " from " + store + ": " + e.getMessage(), e);
        }
    }

    private static void runKeytool(Path dir, List<List<String>> commands) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto",
            "--add-exports", "java.base/sun.security.tools.keytool=ALL-UNNAMED",
            "-cp", codeLocation(), Batch.class.getName()));
        for (List<String> c : commands) {
            command.addAll(c);
            command.addAll(List.of("-storepass", STORE_PASSWORD, "-noprompt", SEPARATOR));
        }
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException("keytool failed: " + out.strip());
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running keytool", e);
        }
    }

    private static String codeLocation() throws IOException {
        try {
            return Path.of(TestCertificates.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (java.net.URISyntaxException e) {
            throw new IOException("cannot locate the testkit classes: " + e.getMessage(), e);
        }
    }

    /** Child-JVM entry point: runs keytool commands separated by {@value #SEPARATOR}, in order, in this JVM. */
    public static final class Batch {
        private Batch() {
        }

        public static void main(String[] args) throws ReflectiveOperationException {
            Method keytool = Class.forName("sun.security.tools.keytool.Main").getMethod("main", String[].class);
            List<String> current = new ArrayList<>();
            for (String a : args) {
                if (a.equals(SEPARATOR)) {
                    keytool.invoke(null, (Object) current.toArray(new String[0]));
                    current.clear();
                } else {
                    current.add(a);
                }
            }
        }
    }
}
