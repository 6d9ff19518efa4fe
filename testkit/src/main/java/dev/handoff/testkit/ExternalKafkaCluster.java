package dev.handoff.testkit;

/** A cluster someone else runs; handoff only connects to it and never stops it. */
public final class ExternalKafkaCluster implements KafkaCluster {
    private final Description description;

    public ExternalKafkaCluster(String bootstrapServers, int brokers) {
        this.description = new Description(Mode.EXTERNAL, bootstrapServers, brokers);
    }

    @Override
    public Description describe() {
        return description;
    }

    @Override
    public void close() {
        // not ours to stop
    }
}
