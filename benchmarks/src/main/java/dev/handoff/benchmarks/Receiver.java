package dev.handoff.benchmarks;

import dev.handoff.datanode.DataNode;
import dev.handoff.producer.HandoffProducer;
import dev.handoff.replayer.PartSink;
import java.nio.file.Path;

/**
 * The receiving side a drain benchmark delivers to: an address the replayer's sink reaches, a count of what it
 * applied, the replayer sink that speaks its protocol and the small bundles in its own layout. The reference data
 * node is one ({@link #of}); the BanyanDB conformance receiver of {@code drain-small.banyandb} is another
 * ({@link DrainSmallBanyan}).
 */
interface Receiver extends AutoCloseable {
    /** {@code host:port} a replayer delivers to. */
    String address();

    /** Bundles applied so far. */
    long applied();

    /** The replayer's sink for this receiver; null: the default, {@code handoff.v1.PartSync}. */
    default PartSink.Factory sink() {
        return null;
    }

    /** Enqueues {@code count} small bundles (4 files, 4 KiB) for this receiver through {@code producer}, 4 threads. */
    default void enqueueSmall(HandoffProducer producer, Path liaisonDir, String liaison, int count) throws Exception {
        Backlogs.enqueueSmall(producer, liaisonDir, liaison, address(), count, 4);
    }

    /** fsyncs the receiver issued so far, or -1 if it does not count them. */
    default long fsyncs() {
        return -1;
    }

    /** Starts a receiver over {@code dir}. */
    interface Factory {
        Receiver start(Path dir) throws Exception;
    }

    /** The reference data node as a receiver. */
    static Receiver of(DataNode node) {
        return new Receiver() {
            @Override
            public String address() {
                return node.address();
            }

            @Override
            public long applied() {
                return node.totalApplied();
            }

            @Override
            public long fsyncs() {
                return node.fsyncs();
            }

            @Override
            public void close() throws Exception {
                node.close();
            }
        };
    }
}
