package dev.handoff.testkit;

import dev.handoff.embedded.EmbeddedKafkaCluster;

/** The product's embedded KRaft brokers seen as a test {@link KafkaCluster}: the mode whose brokers a test may stop. */
final class InProcessKafkaCluster implements KafkaCluster {
    private final EmbeddedKafkaCluster brokers;
    private final Description description;

    InProcessKafkaCluster(EmbeddedKafkaCluster brokers) {
        this.brokers = brokers;
        this.description = new Description(Mode.EMBEDDED, brokers.bootstrapServers(), brokers.brokerCount());
    }

    static InProcessKafkaCluster start(int brokers) {
        return new InProcessKafkaCluster(EmbeddedKafkaCluster.start(brokers));
    }

    @Override
    public Description describe() {
        return description;
    }

    @Override
    public void stopBroker(int index) {
        brokers.stopBroker(index);
    }

    @Override
    public void startBroker(int index) {
        brokers.startBroker(index);
    }

    @Override
    public boolean isBrokerRunning(int index) {
        return brokers.isBrokerRunning(index);
    }

    @Override
    public void close() {
        brokers.close();
    }
}
