package dev.handoff.cli;

import dev.handoff.banyandb.BanyanNode;
import dev.handoff.banyandb.BanyanNodeSettings;
import dev.handoff.banyandb.BanyanVersions;
import dev.handoff.datanode.DataNode;
import dev.handoff.datanode.DataNodeSettings;
import dev.handoff.protocol.common.Durable;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The receivers of a {@link LocalStack}: reference data nodes, or BanyanDB test receivers, each in its own directory
 * under the work directory, stopped and started again on the same address. Closing closes those running. Not
 * thread-safe: the stack's thread uses it.
 */
final class LocalNodes implements AutoCloseable {
    private final Path workDir;
    private final MeterRegistry registry;
    private final List<DataNode> dataNodes = new ArrayList<>();
    private final List<BanyanNode> banyanNodes = new ArrayList<>();
    private final List<Integer> ports = new ArrayList<>();
    private final List<AutoCloseable> running = new ArrayList<>();
    private final BanyanVersions banyanVersions;

    /** @param banyanVersions the versions of BanyanDB test receivers, or null for reference data nodes */
    LocalNodes(Path workDir, MeterRegistry registry, BanyanVersions banyanVersions) {
        this.workDir = workDir;
        this.registry = registry;
        this.banyanVersions = banyanVersions;
    }

    /** Starts {@code count} receivers on free ports. */
    void start(int count) throws IOException {
        for (int i = 0; i < count; i++) {
            if (banyanVersions != null) {
                startBanyanNode(i, 0);
            } else {
                startDataNode(i, 0);
            }
        }
    }

    /** Every receiver's address, in index order. */
    List<String> addresses() {
        List<String> out = new ArrayList<>();
        dataNodes.forEach(d -> out.add(d.address()));
        banyanNodes.forEach(d -> out.add(d.address()));
        return out;
    }

    private DataNode startDataNode(int index, int port) throws IOException {
        DataNode node = new DataNode(DataNodeSettings.builder(dir("datanode-" + (index + 1))).listen("localhost", port).build(),
            registry).start();
        place(dataNodes, index, node, node.port());
        return node;
    }

    private BanyanNode startBanyanNode(int index, int port) throws IOException {
        BanyanNode node = new BanyanNode(BanyanNodeSettings.forTests(dir("banyandb-node-" + (index + 1)))
            .withListen("localhost", port).withVersions(banyanVersions), Clock.systemUTC()).start();
        place(banyanNodes, index, node, node.port());
        return node;
    }

    private <T extends AutoCloseable> void place(List<T> nodes, int index, T node, int port) {
        if (index < nodes.size()) {
            nodes.set(index, node);
        } else {
            nodes.add(node);
            ports.add(port);
        }
        running.add(node);
    }

    /** Stops BanyanDB test receiver {@code index} until {@link #restartBanyanNode}. */
    void stopBanyanNode(int index) {
        BanyanNode node = banyanNodes.get(index);
        running.remove(node);
        node.close();
    }

    /** Starts BanyanDB test receiver {@code index} again on its old address and directory. */
    BanyanNode restartBanyanNode(int index) throws IOException {
        return startBanyanNode(index, ports.get(index));
    }

    /** Stops data node {@code index}: its address refuses connections until {@link #restartDataNode}. */
    void stopDataNode(int index) throws IOException {
        DataNode node = dataNodes.get(index);
        running.remove(node);
        node.close();
    }

    /** Starts data node {@code index} again on its old address and directory. */
    DataNode restartDataNode(int index) throws IOException {
        return startDataNode(index, ports.get(index));
    }

    List<DataNode> dataNodes() {
        return Collections.unmodifiableList(dataNodes);
    }

    List<BanyanNode> banyanNodes() {
        return Collections.unmodifiableList(banyanNodes);
    }

    private Path dir(String name) throws IOException {
        Path dir = workDir.resolve(name);
        Durable.createDirectories(dir);
        return dir;
    }

    @Override
    public void close() throws Exception {
        Exception first = Closeables.closeEach(new ArrayList<>(running));
        running.clear();
        if (first != null) {
            throw first;
        }
    }
}
