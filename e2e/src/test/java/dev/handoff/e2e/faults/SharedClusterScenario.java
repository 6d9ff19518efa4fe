package dev.handoff.e2e.faults;

import dev.handoff.testkit.KafkaClusterExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A fault scenario on the run's shared single-broker cluster (one that stops no broker): each of its tests that
 * takes a {@link Stack} gets a fresh one there ({@link StackExtension}).
 */
abstract class SharedClusterScenario {
    @RegisterExtension
    static final StackExtension STACKS = StackExtension.on(KafkaClusterExtension.shared());
}
