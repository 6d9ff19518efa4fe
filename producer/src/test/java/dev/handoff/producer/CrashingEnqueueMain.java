package dev.handoff.producer;

import dev.handoff.protocol.PartKey;
import dev.handoff.protocol.common.KafkaSettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * Run in a child JVM by {@link CrashRecoveryIT}: starts a producer, enqueues one bundle and halts the
 * JVM (no shutdown hooks, no flush) at one of the enqueue's crash windows: {@code before-publish} (the
 * manifest is durable, no record is sent) or {@code after-ack} (Kafka acknowledged every record, the
 * manifest does not say so yet). Arguments: window storeDir liaison bootstrap topicPrefix sourceTypeDir node...
 */
public final class CrashingEnqueueMain {
    /** Exit code of the deliberate crash. */
    static final int CRASH = 77;

    private CrashingEnqueueMain() {
    }

    public static void main(String[] args) throws Exception {
        String window = args[0];
        Path store = Path.of(args[1]);
        String liaison = args[2];
        ProducerSettings settings = ProducerSettings.builder(store, liaison, KafkaSettings.of(args[3]))
            .topicPrefix(args[4]).listen("localhost", 0).build();
        List<String> nodes = List.of(args).subList(6, args.length);
        Enqueuer.Hooks crash = switch (window) {
            case "before-publish" -> new Enqueuer.Hooks() {
                @Override
                public void beforePublish(PartKey part) {
                    Runtime.getRuntime().halt(CRASH);
                }
            };
            case "after-ack" -> new Enqueuer.Hooks() {
                @Override
                public void afterAcknowledged(PartKey part) {
                    Runtime.getRuntime().halt(CRASH);
                }
            };
            default -> throw new IllegalArgumentException("window: before-publish or after-ack, got " + window);
        };
        HandoffProducer producer = new HandoffProducer(settings, new SimpleMeterRegistry(), Clock.systemUTC(), crash);
        producer.start();
        producer.enqueue(Bundle.of(new PartKey(liaison, "g", 5, 0xabcL), new Bundle.Type("core", Path.of(args[5]), Map.of())), nodes);
        // Reaching this line means the crash hook did not run.
        Runtime.getRuntime().halt(1);
    }
}
