package dev.handoff.benchmarks;

import dev.handoff.datanode.DataNode;
import java.nio.file.Path;

/**
 * The receiving side a drain benchmark delivers to: an address the replayer's sink reaches and a count of what
 * it applied. The reference data node is one; a BanyanDB-native receiver (for {@code drain-small.banyandb})
 * will be another, started by its own {@link Factory}.
 */
interface Receiver extends AutoCloseable {
    /** {@code host:port} a replayer delivers to. */
    String address();

    /** Bundles applied so far. */
    long applied();

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
