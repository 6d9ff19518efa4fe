package dev.handoff.testkit;

/** Thrown when a test asks an external or container cluster to stop or start a broker. */
public class BrokerControlUnsupportedException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    public BrokerControlUnsupportedException(KafkaCluster.Mode mode) {
        super("stopping or starting a broker needs the in-process cluster; this one is " + mode);
    }
}
