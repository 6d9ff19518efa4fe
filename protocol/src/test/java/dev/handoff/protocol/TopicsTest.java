package dev.handoff.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.kafka.common.internals.Topic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TopicsTest {
    private final Topics topics = Topics.defaults();

    @Test
    void shouldNameFixedTopicsWithDefaultPrefix() {
        // Given the default prefix
        // When / Then the fixed topics are the contract's names
        assertThat(topics.prefix()).isEqualTo("handoff");
        assertThat(topics.health()).isEqualTo("handoff.health");
        assertThat(topics.control()).isEqualTo("handoff.control");
        assertThat(topics.completions()).isEqualTo("handoff.completions");
        assertThat(topics.nodeStatus()).isEqualTo("handoff.node-status");
        assertThat(topics.released()).isEqualTo("handoff.released");
        assertThat(topics.parked()).isEqualTo("handoff.parked");
        assertThat(topics.quarantine()).isEqualTo("handoff.quarantine");
        assertThat(topics.enqueued()).isEqualTo("handoff.enqueued");
        assertThat(topics.fixed()).containsExactly("handoff.health", "handoff.control", "handoff.completions",
            "handoff.node-status", "handoff.released", "handoff.parked", "handoff.quarantine", "handoff.enqueued");
    }

    @Test
    void shouldNameEveryTopicWithCustomPrefix() {
        // Given a custom prefix
        Topics custom = new Topics("prod-eu_1.handoff");

        // When / Then every topic starts with it
        assertThat(custom.fixed()).allSatisfy(t -> assertThat(t).startsWith("prod-eu_1.handoff."))
            .contains("prod-eu_1.handoff.node-status");
        assertThat(custom.node("dn:1")).isEqualTo("prod-eu_1.handoff.node.dn.3a1");
    }

    @Test
    void shouldNameNodeTopicAfterToken() {
        // Given a node address
        // When its topic is named
        String topic = topics.node("datanode-1:17912");

        // Then it is <prefix>.node.<token>, matched by the node pattern and read back to the address
        assertThat(topic).isEqualTo("handoff.node.datanode-1.3a17912");
        assertThat(topics.nodePattern().matcher(topic).matches()).isTrue();
        assertThat(topics.nodeOf(topic)).contains("datanode-1:17912");
    }

    @Test
    void shouldMatchEveryGeneratedNodeTopicAndReadItBack() {
        // Given many generated addresses
        AddressGenerator generator = new AddressGenerator(42L);
        for (int i = 0; i < 3_000; i++) {
            String node = generator.next();

            // When the node topic is named
            String topic = topics.node(node);

            // Then it is a legal Kafka topic, matches the pattern and reads back to the node
            assertThatCode(() -> Topic.validate(topic)).as(topic).doesNotThrowAnyException();
            assertThat(topics.nodePattern().matcher(topic).matches()).as(topic).isTrue();
            assertThat(topics.nodeOf(topic)).as(topic).contains(node);
        }
    }

    @Test
    void shouldNotTakeFixedTopicsForNodeTopics() {
        // Given the fixed topics of two prefixes
        for (Topics t : new Topics[] {topics, new Topics("x.node")}) {
            for (String fixed : t.fixed()) {
                // When / Then none is a node topic
                assertThat(t.nodePattern().matcher(fixed).matches()).as(fixed).isFalse();
                assertThat(t.nodeOf(fixed)).as(fixed).isEmpty();
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"handoff.node.", "handoff.node.a_b", "handoff.node.a.zz", "handoff.node.host",
        "handoff.node.a.61.3a1", "other.node.dn.3a1", "handoff.nodes.dn.3a1", "xhandoff.node.dn.3a1"})
    void shouldFindNoNodeInTopicItNeverMade(String topic) {
        // Given a topic that is not a node topic of this prefix
        // When / Then no node is read from it
        assertThat(topics.nodeOf(topic)).isEmpty();
    }

    @Test
    void shouldFindNoNodeInNullTopic() {
        // Given no topic
        // When / Then no node
        assertThat(topics.nodeOf(null)).isEmpty();
    }

    @Test
    void shouldKeepNodeTopicsOfDifferentPrefixesApart() {
        // Given two prefixes
        Topics blue = new Topics("blue");

        // When / Then one prefix's node topic is not the other's
        assertThat(blue.nodeOf(topics.node("dn:1"))).isEmpty();
        assertThat(topics.nodeOf(blue.node("dn:1"))).isEmpty();
    }

    @Test
    void shouldNameLegalTopicOrRefuseWith249ForEveryHostLength() {
        // Given addresses of every DNS name length up to 253 (labels of up to 63 characters)
        int accepted = 0;
        int refused = 0;
        for (int length = 1; length <= 253; length++) {
            String node = dnsName(length) + ":65535";
            assertThat(NodeAddress.isValid(node)).as(node).isTrue();
            String expected = "handoff.node." + NodeAddress.token(node);

            // When its topic is named
            if (expected.length() <= Topics.MAX_TOPIC_LENGTH) {
                // Then it is a legal Kafka topic when it fits
                String topic = topics.node(node);
                assertThat(topic).isEqualTo(expected);
                assertThatCode(() -> Topic.validate(topic)).doesNotThrowAnyException();
                accepted++;
            } else {
                // Or it is refused naming the node and Kafka's limit
                assertThatThrownBy(() -> topics.node(node))
                    .isInstanceOf(InvalidFieldException.class)
                    .hasMessageStartingWith("node ")
                    .hasMessageContaining("249");
                assertThatThrownBy(() -> Topic.validate(expected)).hasMessageContaining("249");
                refused++;
            }
        }
        assertThat(accepted).isPositive();
        assertThat(refused).isPositive();
    }

    @Test
    void shouldNameTopicOfExactly249Characters() {
        // Given an address whose topic is exactly at Kafka's limit
        String host = "a".repeat(63) + "." + "b".repeat(63) + "." + "c".repeat(63) + "." + "d".repeat(34);
        String node = host + ":1";
        assertThat(("handoff.node." + NodeAddress.token(node)).length()).isEqualTo(249);

        // When / Then the topic is named and legal
        String topic = topics.node(node);
        assertThat(topic).hasSize(249);
        assertThatCode(() -> Topic.validate(topic)).doesNotThrowAnyException();
        assertThat(topics.nodeOf(topic)).contains(node);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ".", "..", ".handoff", "handoff.", "a b", "a/b", "a:b", "hand\u00f6ff"})
    void shouldRefuseInvalidPrefix(String prefix) {
        // Given a prefix that cannot start a legal topic name
        // When / Then it is refused naming the option
        assertThatThrownBy(() -> new Topics(prefix))
            .isInstanceOf(InvalidNameException.class)
            .hasMessageStartingWith("topicPrefix ");
    }

    @Test
    void shouldRefuseNullAndOverlongPrefix() {
        // Given no prefix, and one of 101 characters
        // When / Then both are refused
        assertThatThrownBy(() -> new Topics(null)).isInstanceOf(InvalidNameException.class)
            .hasMessageContaining("topicPrefix null");
        assertThatThrownBy(() -> new Topics("p".repeat(101))).isInstanceOf(InvalidNameException.class)
            .hasMessageContaining("1-100 characters");
    }

    @Test
    void shouldAcceptPrefixOf100CharactersGivingLegalTopics() {
        // Given the longest prefix
        Topics longest = new Topics("p".repeat(100));

        // When / Then its fixed topics are legal Kafka topics
        assertThat(longest.fixed()).allSatisfy(t -> assertThatCode(() -> Topic.validate(t)).doesNotThrowAnyException());
    }

    /** A valid DNS name of exactly {@code length} characters, labels of up to 63 separated by dots. */
    private static String dnsName(int length) {
        StringBuilder out = new StringBuilder(length);
        char c = 'a';
        while (out.length() < length) {
            int room = length - out.length();
            int label = Math.min(63, room);
            if (room > 63 && room - 63 < 2) {
                label = room - 2;
            }
            out.append(String.valueOf(c++).repeat(label));
            if (out.length() < length) {
                out.append('.');
            }
        }
        return out.toString();
    }
}
