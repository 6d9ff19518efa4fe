package dev.handoff.protocol.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.handoff.protocol.InvalidFieldException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KafkaSettingsTest {
    private static final String JAAS = "org.apache.kafka.common.security.scram.ScramLoginModule required "
        + "username=\"u\" password=\"s3cr3t-value\";";

    @TempDir
    Path tmp;

    @Test
    void shouldHideEverySecretInToString() {
        // Given settings carrying SASL and SSL secrets next to harmless properties
        KafkaSettings s = new KafkaSettings("broker:9093", Map.of(
            "sasl.jaas.config", JAAS,
            "ssl.keystore.password", "ks-s3cr3t",
            "ssl.key.password", "key-s3cr3t",
            "ssl.truststore.password", "ts-s3cr3t",
            "sasl.oauthbearer.client.credentials.client.secret", "oauth-s3cr3t",
            "security.protocol", "SASL_SSL"));

        // When it is printed, Then no secret shows, the harmless values do
        assertThat(s.toString()).doesNotContain("s3cr3t").contains("security.protocol=SASL_SSL", "broker:9093",
            "sasl.jaas.config=[hidden]");
    }

    @ParameterizedTest
    @ValueSource(strings = {"sasl.jaas.config", "ssl.keystore.password", "ssl.key.password", "ssl.keystore.key",
        "sasl.login.token", "basic.auth.user.info.credential", "SSL.TRUSTSTORE.PASSWORD"})
    void shouldTreatCredentialPropertiesAsSecret(String key) {
        assertThat(KafkaSettings.isSecret(key)).isTrue();
    }

    @Test
    void shouldReadAKafkaConfigFileAndKeepDurabilityItTriesToWeaken() throws Exception {
        // Given a kafka-config file with SASL settings that also tries acks=1 and read_uncommitted
        Path file = tmp.resolve("client.properties");
        Files.writeString(file, "security.protocol=SASL_SSL\nsasl.mechanism=SCRAM-SHA-512\nsasl.jaas.config=" + JAAS
            + "\nacks=1\nenable.idempotence=false\nisolation.level=read_uncommitted\nallow.auto.create.topics=true\n");

        // When it is loaded and used
        KafkaSettings s = new KafkaSettings("broker:9093", KafkaSettings.loadProperties(file));

        // Then the security settings reach every client; durability does not weaken
        assertThat(s.admin()).containsEntry("sasl.jaas.config", JAAS).containsEntry("security.protocol", "SASL_SSL");
        assertThat(s.producer("p")).containsEntry("acks", "all").containsEntry("enable.idempotence", true)
            .containsEntry("sasl.mechanism", "SCRAM-SHA-512");
        assertThat(s.consumer("g", "c")).containsEntry("isolation.level", "read_committed")
            // and no consumer creates a topic it asks about (a misspelt prefix must not make topics)
            .containsEntry("allow.auto.create.topics", false);
    }

    @Test
    void shouldNameAMissingKafkaConfigFileAndABlankBootstrap() {
        Path missing = tmp.resolve("nope.properties");
        assertThatThrownBy(() -> KafkaSettings.loadProperties(missing))
            .isInstanceOf(NoSuchFileException.class).hasMessageContaining(missing.toString());
        assertThatThrownBy(() -> new KafkaSettings(" ", Map.of()))
            .isInstanceOf(InvalidFieldException.class).hasMessageContaining("bootstrapServers");
    }
}
