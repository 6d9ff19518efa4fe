package dev.handoff.topology;

import dev.handoff.protocol.common.PerValueCounters;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Locale;

/** What the topology counts. Implementations are thread-safe (stream threads share one instance). */
public interface TopologyMetrics {

    /** The inputs the topology reads. */
    enum Input {
        HEALTH, CONTROL, ENQUEUE, COMPLETION
    }

    /** What happened to a completion. */
    enum CompletionOutcome {
        /** Matched its pending enqueue record: the record is no longer pending. */
        MATCHED,
        /** Seen before its enqueue record; kept as a marker until the record arrives. */
        EARLY,
        /** Its record was already completed (or the completion was already seen). */
        DUPLICATE,
        /** An early completion whose record was deleted from the node topic before the topology read it. */
        ORPHANED
    }

    /** An input record could not be read (quarantined, or skipped for node topics, whose records the replayer parks). */
    void unreadable(Input input);

    void completion(CompletionOutcome outcome);

    /** A Release was emitted. */
    void released();

    /** The enqueue relay copied {@code records} node-topic records to the enqueued topic. */
    void relayed(long records);

    /** A relay transaction or poll failed and is made again with new clients. */
    void relayFailure();

    /** A Kafka Streams thread failed (and was replaced, or shut the instance down). */
    void streamThreadFailure();

    /**
     * Micrometer: {@code handoff.topology.unreadable{reason=health|control|enqueue|completion}},
     * {@code handoff.topology.completions{outcome}}, {@code handoff.topology.releases}, {@code handoff.topology.relayed},
     * {@code handoff.topology.relay.failures} and {@code handoff.topology.stream.thread.failures}, each registered once here.
     */
    static TopologyMetrics micrometer(MeterRegistry registry) {
        Counter[] unreadable = PerValueCounters.register(registry, Input.class, i -> Counter.builder(
                "handoff.topology.unreadable")
            .description("Input records that could not be read, by input (quarantined; node-topic ones skipped)")
            .tag("reason", i.name().toLowerCase(Locale.ROOT)));
        Counter[] completions = PerValueCounters.register(registry, CompletionOutcome.class,
            o -> Counter.builder("handoff.topology.completions")
                .description("Completions read, by what they did").tag("outcome", o.name()));
        Counter releases = Counter.builder("handoff.topology.releases")
            .description("Release records emitted").register(registry);
        Counter relayed = Counter.builder("handoff.topology.relayed")
            .description("Node-topic records copied to the enqueued topic the topology reads").register(registry);
        Counter relayFailures = Counter.builder("handoff.topology.relay.failures")
            .description("Relay transactions or polls that failed and were retried").register(registry);
        Counter threadFailures = Counter.builder("handoff.topology.stream.thread.failures")
            .description("Stream threads that failed (and were replaced, or shut the instance down)").register(registry);
        return new TopologyMetrics() {
            @Override
            public void unreadable(Input input) {
                unreadable[input.ordinal()].increment();
            }

            @Override
            public void completion(CompletionOutcome outcome) {
                completions[outcome.ordinal()].increment();
            }

            @Override
            public void released() {
                releases.increment();
            }

            @Override
            public void relayed(long records) {
                relayed.increment(records);
            }

            @Override
            public void relayFailure() {
                relayFailures.increment();
            }

            @Override
            public void streamThreadFailure() {
                threadFailures.increment();
            }
        };
    }

    /** Counts into a private registry nobody reads. */
    static TopologyMetrics none() {
        return micrometer(new SimpleMeterRegistry());
    }
}
