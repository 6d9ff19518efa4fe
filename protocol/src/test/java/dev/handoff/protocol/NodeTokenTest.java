package dev.handoff.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.internals.Topic;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Properties of the node token over many generated addresses; the seed makes any failure reproducible. */
class NodeTokenTest {
    private static final long SEED = 0x5eed_17912L;
    private static final int COUNT = 12_000;
    private static List<String> addresses;

    @BeforeAll
    static void generate() {
        AddressGenerator generator = new AddressGenerator(SEED);
        Set<String> distinct = new LinkedHashSet<>();
        while (distinct.size() < COUNT) {
            distinct.add(generator.next());
        }
        addresses = List.copyOf(distinct);
    }

    @Test
    void shouldGenerateValidAddressesOfEveryKind() {
        // Given the generated addresses
        // When / Then every one is valid, and DNS names of mixed case, IPv4 and IPv6 are all present
        assertThat(addresses).hasSize(COUNT).allSatisfy(a -> assertThat(NodeAddress.isValid(a)).as(a).isTrue());
        assertThat(addresses).anyMatch(a -> a.startsWith("["))
            .anyMatch(a -> a.matches("\\d+\\.\\d+\\.\\d+\\.\\d+:\\d+"))
            .anyMatch(a -> a.matches(".*[a-z].*[A-Z].*-.*\\..*:\\d+"));
    }

    @Test
    void shouldReadBackEveryToken() {
        // Given many generated addresses
        for (String address : addresses) {
            // When each is escaped and read back
            String back = NodeAddress.fromToken(NodeAddress.token(address));

            // Then the address is unchanged
            assertThat(back).as("seed %s", SEED).isEqualTo(address);
        }
    }

    @Test
    void shouldUseOnlyKafkaTopicCharactersWithoutUnderscore() {
        // Given many generated addresses
        // When / Then each token is of [A-Za-z0-9.-] only
        assertThat(addresses).map(NodeAddress::token)
            .allSatisfy(t -> assertThat(t).matches("[A-Za-z0-9.-]+"));
    }

    @Test
    void shouldGiveDistinctAddressesDistinctTokens() {
        // Given many distinct generated addresses
        Map<String, String> addressByToken = new HashMap<>();

        // When each is escaped
        for (String address : addresses) {
            String previous = addressByToken.put(NodeAddress.token(address), address);

            // Then no token was already taken by another address
            assertThat(previous).as("token of %s", address).isNull();
        }
        assertThat(addressByToken).hasSize(COUNT);
    }

    @Test
    void shouldNeverCollideUnderKafkaDotUnderscoreRule() {
        // Given the tokens of many distinct addresses
        List<String> tokens = addresses.stream().map(NodeAddress::token).toList();

        // When '.' and '_' are treated as the same character, as Kafka does for topic names
        Set<String> unified = new LinkedHashSet<>();
        for (String token : tokens) {
            unified.add(Topic.unifyCollisionChars(token));
        }

        // Then they are still all distinct
        assertThat(unified).hasSize(tokens.size());
        assertThat(tokens.get(0).replace('.', '_')).isEqualTo(Topic.unifyCollisionChars(tokens.get(0)));
    }

    @Test
    void shouldPassKafkaCollisionCheckPairwiseOnASample() {
        // Given node topics of a sample of the addresses
        Topics topics = Topics.defaults();
        List<String> sample = new ArrayList<>();
        for (int i = 0; i < addresses.size(); i += 40) {
            sample.add(topics.node(addresses.get(i)));
        }

        // When / Then Kafka's own check finds no two colliding topics
        int pairs = 0;
        for (int i = 0; i < sample.size(); i++) {
            for (int j = i + 1; j < sample.size(); j++) {
                assertThat(Topic.hasCollision(sample.get(i), sample.get(j))).as("%s vs %s", sample.get(i), sample.get(j))
                    .isFalse();
                pairs++;
            }
        }
        assertThat(pairs).isEqualTo(sample.size() * (sample.size() - 1) / 2);
    }

    @Test
    void shouldDetectCollisionWhenAlphabetHadBothDotAndUnderscore() {
        // Given two topics that differ only by '.' versus '_' (what an escaping with '_' could make)
        // When / Then Kafka's check calls them colliding: this is the case the token alphabet rules out
        assertThat(Topic.hasCollision("handoff.node.a.2eb", "handoff.node.a_2eb")).isTrue();
    }
}
