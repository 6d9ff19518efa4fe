package dev.handoff.testkit;

/**
 * A real Kafka cluster: in-process KRaft, a Testcontainers broker, or an external cluster. Tests and
 * the embedded default ({@code handoff quickstart}, {@code run}) see only this interface.
 */
public interface KafkaCluster extends AutoCloseable {

    /** Where the brokers run. */
    enum Mode {
        /** KRaft brokers inside this JVM (Kafka's own test kit). */
        EMBEDDED,
        /** Apache Kafka brokers ({@code kafka.Kafka}), each a child JVM of its own: a stop is SIGKILL. */
        PROCESS,
        /** One {@code apache/kafka} container through Testcontainers. */
        CONTAINER,
        /** An existing cluster named by {@code HANDOFF_TEST_BOOTSTRAP}. */
        EXTERNAL
    }

    String bootstrapServers();

    Mode mode();

    int brokerCount();

    /** True when {@link #stopBroker(int)} and {@link #startBroker(int)} work in this mode. */
    boolean supportsBrokerControl();

    /** Stops broker {@code index} (0-based); its data stays. Refused where {@link #supportsBrokerControl()} is false. */
    default void stopBroker(int index) {
        throw new BrokerControlUnsupportedException(mode());
    }

    /** Starts a stopped broker again on the same address. Refused where {@link #supportsBrokerControl()} is false. */
    default void startBroker(int index) {
        throw new BrokerControlUnsupportedException(mode());
    }

    /** Whether broker {@code index} runs now (not stopped by {@link #stopBroker(int)}). */
    default boolean isBrokerRunning(int index) {
        return true;
    }

    /** Stops everything and deletes what this cluster created on disk. */
    @Override
    void close();
}
