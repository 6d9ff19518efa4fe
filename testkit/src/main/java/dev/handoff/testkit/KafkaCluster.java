package dev.handoff.testkit;

/**
 * A real Kafka cluster: in-process KRaft, a Testcontainers broker, or an external cluster. Tests and
 * the embedded default ({@code handoff quickstart}, {@code run}) see only this interface.
 */
public interface KafkaCluster extends AutoCloseable {

    /** Where the brokers run. */
    enum Mode {
        /** KRaft brokers inside this JVM (Kafka's own test kit). */
        EMBEDDED(true),
        /** Apache Kafka brokers ({@code kafka.Kafka}), each a child JVM of its own: a stop is SIGKILL. */
        PROCESS(true),
        /** One {@code apache/kafka} container through Testcontainers. */
        CONTAINER(false),
        /** An existing cluster named by {@code HANDOFF_TEST_BOOTSTRAP}. */
        EXTERNAL(false);

        private final boolean brokerControl;

        Mode(boolean brokerControl) {
            this.brokerControl = brokerControl;
        }

        /** True when a test may stop and start this mode's brokers. */
        public boolean brokerControl() {
            return brokerControl;
        }
    }

    /** What a running cluster is, fixed from its start on: where its brokers run, their address, how many. */
    record Description(Mode mode, String bootstrapServers, int brokerCount) {
    }

    Description describe();

    default String bootstrapServers() {
        return describe().bootstrapServers();
    }

    default Mode mode() {
        return describe().mode();
    }

    default int brokerCount() {
        return describe().brokerCount();
    }

    /** True when {@link #stopBroker(int)} and {@link #startBroker(int)} work in this mode. */
    default boolean supportsBrokerControl() {
        return mode().brokerControl();
    }

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
