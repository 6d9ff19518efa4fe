package dev.handoff.protocol.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.common.errors.DisconnectException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Which Kafka failures stop a role (retrying cannot help) and which are retried. */
class KafkaFailuresTest {

    static Stream<Arguments> failures() {
        return Stream.of(
            Arguments.of(new TopicAuthorizationException("denied"), true),
            Arguments.of(new GroupAuthorizationException("denied"), true),
            Arguments.of(new TransactionalIdAuthorizationException("denied"), true),
            Arguments.of(new SaslAuthenticationException("invalid credentials"), true),
            Arguments.of(new ConfigException("security.protocol", "BOGUS", "not a protocol"), true),
            Arguments.of(new InvalidTopicException("bad name"), true),
            Arguments.of(new UnsupportedVersionException("broker too old"), true),
            Arguments.of(new KafkaException("wrapped", new TopicAuthorizationException("denied")), true),
            Arguments.of(new TimeoutException("slow"), false),
            Arguments.of(new NotLeaderOrFollowerException("moving"), false),
            Arguments.of(new ProducerFencedException("newer incarnation"), false),
            Arguments.of(new CommitFailedException(), false),
            Arguments.of(new DisconnectException("gone"), false),
            Arguments.of(new KafkaException("anything else"), false),
            Arguments.of(new IllegalStateException("a bug"), false));
    }

    @ParameterizedTest
    @MethodSource("failures")
    void shouldStopOnlyOnFailuresThatRetryingCannotFix(Throwable failure, boolean fatal) {
        assertThat(KafkaFailures.isFatal(failure)).as(failure.toString()).isEqualTo(fatal);
    }

    @ParameterizedTest
    @MethodSource("failures")
    void shouldDescribeAFatalFailureByItsCauseInOneLine(Throwable failure, boolean fatal) {
        String line = KafkaFailures.describe("replayer", failure);
        assertThat(line).startsWith("replayer stopped: ").doesNotContain("\n");
        if (fatal) {
            assertThat(line).containsPattern("Authorization|Authentication|Config|InvalidTopic|UnsupportedVersion");
        }
    }
}
