package dev.handoff.e2e.faults;

import dev.handoff.datanode.DataNode;
import dev.handoff.datanode.DataNodeSettings;
import dev.handoff.producer.CrashHooks;
import dev.handoff.producer.HandoffProducer;
import dev.handoff.protocol.common.TopicAdmin.TopicSettings;
import dev.handoff.replayer.Replayer;
import dev.handoff.topology.TopologyApp;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * One role in a child JVM for the fault suite, run until killed. Prints {@code READY} once started (and the
 * producer {@code ENQUEUED <partIdHex>} after each acknowledged enqueue). Arguments:
 * <pre>
 * replayer bootstrap prefix group instance
 * datanode dir port latencyMillis
 * topology bootstrap prefix applicationId stateDir replicationFactor
 * producer bootstrap prefix storeDir port replicationFactor sourceRoot from to haltAt node
 * </pre>
 */
public final class RoleMain {
    /** Exit code of the producer's deliberate halt before publishing. */
    static final int HALTED = 77;

    private RoleMain() {
    }

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "replayer" -> new Replayer(Stack.replayerSettings(args[1], args[2], args[3], args[4], args[5]).build(),
                new SimpleMeterRegistry(), Clock.systemUTC()).start();
            case "datanode" -> new DataNode(DataNodeSettings.builder(Path.of(args[1]))
                .listen("localhost", Integer.parseInt(args[2]))
                .testLatencyPerSession(Duration.ofMillis(Long.parseLong(args[3]))).build()).start();
            case "topology" -> new TopologyApp(Stack.topologySettings(args[1], args[2], args[3], Path.of(args[4]),
                Integer.parseInt(args[5])), new SimpleMeterRegistry()).start();
            case "producer" -> producer(args);
            default -> throw new IllegalArgumentException("unknown role " + args[0]);
        }
        System.out.println("READY");
        System.out.flush();
        new CountDownLatch(1).await();
    }

    private static void producer(String[] args) throws Exception {
        short rf = Short.parseShort(args[5]);
        TopicSettings topics = new TopicSettings(2, rf, rf > 1 ? 2 : null);
        Path source = Path.of(args[6]);
        long from = Long.parseLong(args[7]);
        long to = Long.parseLong(args[8]);
        long haltAt = Long.parseLong(args[9]);
        String node = args[10];
        HandoffProducer producer = CrashHooks.haltBeforePublishing(Stack.producerSettings(args[1], args[2], Path.of(args[3]),
            Integer.parseInt(args[4]), topics).nodes(List.of(node)).build(), new SimpleMeterRegistry(), Clock.systemUTC(),
            haltAt, HALTED);
        producer.start();
        for (long id = from; id < to; id++) {
            producer.enqueue(Parts.bundle(source, id), List.of(node));
            System.out.printf("ENQUEUED %016x%n", id);
            System.out.flush();
        }
    }
}
