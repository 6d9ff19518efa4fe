package dev.handoff.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.handoff.banyandb.BanyanNode;
import dev.handoff.banyandb.ReceiverLayout;
import dev.handoff.cli.sim.SimulationRunner;
import dev.handoff.testkit.SharedKafkaTest;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The producer's simulated BanyanDB liaison ({@code --simulate-layout banyandb}, the compose file's banyandb
 * profile) on a real broker: every part it writes reaches a BanyanDB test receiver through a replayer with
 * {@code --sink banyandb}, once, with its core and both sidx parts in one commit.
 */
class SimulatedBanyanLiaisonIT extends SharedKafkaTest {
    private static final int PARTS = 6;

    @Test
    void shouldDeliverEverySimulatedBanyanDbPartWithItsSidxPartsOnce() throws Exception {
        // Given a stack with one BanyanDB test receiver and replayers speaking its protocol
        SinkOptions sink = new SinkOptions();
        new CommandLine(sink).parseArgs("--sink=banyandb");
        LocalStack.Plan plan = new LocalStack.Plan(KAFKA.bootstrapServers(), 1, 1, "liaison-sim", Duration.ofMillis(250), 0, 0,
            null, null, 95.0, new dev.handoff.protocol.common.TopicAdmin.TopicSettings(2, (short) 1, null)).withSink(sink);
        try (LocalStack stack = LocalStack.start(tmp.resolve("stack"), new SimpleMeterRegistry(), plan)) {
            BanyanNode node = stack.banyanNodes().get(0);

            // When the producer's simulated liaison writes BanyanDB parts for it
            try (SimulationRunner simulation = new SimulationRunner(stack.producer(), stack.kafka(), tmp.resolve("stack/store")
                .resolve(".simulated-liaison-data"), "liaison-sim", List.of(node.address()), PARTS, Duration.ofMillis(20), true)) {
                simulation.start();

                // Then each part id is committed exactly once, with its core part and the two sidx parts together
                await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> assertThat(node.commitLog()).hasSize(PARTS));
            }
            Map<Long, List<ReceiverLayout.Commit>> byPart = node.commitLog().stream()
                .collect(Collectors.groupingBy(ReceiverLayout.Commit::senderPartId));
            assertThat(byPart).hasSize(PARTS);
            assertThat(byPart.values()).allSatisfy(commits -> assertThat(commits).singleElement()
                .satisfies(c -> assertThat(c.types()).hasSize(3).contains("duration", "timestamp")));
        }
    }
}
