package dev.handoff.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.handoff.embedded.EmbeddedKafkaCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The secure fixtures other modules' security tests stand on: a SASL broker and a test CA. */
class SecureFixturesIT {

    @TempDir
    Path tmp;

    @Test
    void shouldAuthenticateScramUsersAndAuthorizeOnlyWhatAnAclGrants() throws Exception {
        try (EmbeddedKafkaCluster cluster = EmbeddedKafkaCluster.startSasl(Map.of())) {
            // Given a SCRAM user without any ACL
            cluster.createScramUser("alice", "alice-pw");
            String topic = KafkaClusterExtension.unique("sasl");

            // When it authenticates with the right password, Then it is authenticated but not authorized
            try (Admin alice = Admin.create(scram(cluster, "alice", "alice-pw"))) {
                assertThatThrownBy(() -> alice.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get())
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(TopicAuthorizationException.class);
            }
            // And with a wrong password it is refused as an authentication failure
            try (Admin wrong = Admin.create(scram(cluster, "alice", "not-her-password"))) {
                assertThatThrownBy(() -> wrong.listTopics().names().get())
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(SaslAuthenticationException.class);
            }
            // And the super user may create it
            Map<String, Object> su = new HashMap<>(cluster.superUserClientProperties());
            su.put("bootstrap.servers", cluster.bootstrapServers());
            try (Admin admin = Admin.create(su)) {
                admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
                // the broker's metadata cache follows the controller's commit a moment later
                org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30))
                    .untilAsserted(() -> assertThat(admin.listTopics().names().get()).contains(topic));
            }
        }
    }

    @Test
    void shouldIssueLocalhostIdentitiesSignedByTheTestAuthority() throws Exception {
        // When a CA issues an identity
        TestCertificates ca = TestCertificates.create(tmp, "test-ca", "server");
        TestCertificates.Identity id = ca.identity("server");

        // Then the chain is leaf + CA, the leaf is signed by the CA and names localhost, the key is PKCS#8 PEM
        CertificateFactory cf = CertificateFactory.getInstance("X.509");
        List<X509Certificate> chain;
        try (var in = Files.newInputStream(id.certChain())) {
            chain = cf.generateCertificates(in).stream().map(X509Certificate.class::cast).toList();
        }
        assertThat(chain).hasSize(2);
        chain.get(0).verify(chain.get(1).getPublicKey());
        assertThat(chain.get(0).getSubjectX500Principal().getName()).isEqualTo("CN=server");
        assertThat(chain.get(0).getSubjectAlternativeNames().stream().map(l -> (Object) l.get(1)).toList())
            .contains("localhost", "127.0.0.1");
        assertThat(Files.readString(id.privateKey())).startsWith("-----BEGIN PRIVATE KEY-----\n");
    }

    static Map<String, Object> scram(EmbeddedKafkaCluster cluster, String user, String password) {
        return Map.of("bootstrap.servers", cluster.bootstrapServers(), "security.protocol", "SASL_PLAINTEXT",
            "sasl.mechanism", "SCRAM-SHA-512", "default.api.timeout.ms", 20_000, "request.timeout.ms", 10_000,
            "sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                + user + "\" password=\"" + password + "\";");
    }
}
