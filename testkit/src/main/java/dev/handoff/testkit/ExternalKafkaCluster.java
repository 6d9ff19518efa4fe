package dev.handoff.testkit;

/** A cluster someone else runs; handoff only connects to it and never stops it. */
public final class ExternalKafkaCluster implements KafkaCluster {
    private final String bootstrapServers;
    private final int brokers;

    public ExternalKafkaCluster(String bootstrapServers, int brokers) {
        this.bootstrapServers = bootstrapServers;
        this.brokers = brokers;
    }

    @Override
    public String bootstrapServers() {
        return bootstrapServers;
    }

    @Override
    public Mode mode() {
        return Mode.EXTERNAL;
    }

    @Override
    public int brokerCount() {
        return brokers;
    }

    @Override
    public boolean supportsBrokerControl() {
        return false;
    }

    @Override
    public void close() {
        // not ours to stop
    }
}
