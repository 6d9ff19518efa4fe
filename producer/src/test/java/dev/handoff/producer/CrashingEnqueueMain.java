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
 * JVM (no shutdown hooks, no flush) right after the manifest is durable and before any record is sent.
 * Arguments: storeDir liaison bootstrap topicPrefix sourceTypeDir node...
 */
public final class CrashingEnqueueMain {
    /** Exit code of the deliberate crash. */
    static final int CRASH = 77;

    private CrashingEnqueueMain() {
    }

    public static void main(String[] args) throws Exception {
        Path store = Path.of(args[0]);
        String liaison = args[1];
        ProducerSettings settings = ProducerSettings.builder(store, liaison, KafkaSettings.of(args[2]))
            .topicPrefix(args[3]).listen("localhost", 0).build();
        List<String> nodes = List.of(args).subList(5, args.length);
        HandoffProducer producer = new HandoffProducer(settings, new SimpleMeterRegistry(), Clock.systemUTC(),
            part -> Runtime.getRuntime().halt(CRASH));
        producer.start();
        producer.enqueue(Bundle.of(new PartKey(liaison, "g", 5, 0xabcL), new Bundle.Type("core", Path.of(args[4]), Map.of())), nodes);
        // Reaching this line means the crash hook did not run.
        Runtime.getRuntime().halt(1);
    }
}
