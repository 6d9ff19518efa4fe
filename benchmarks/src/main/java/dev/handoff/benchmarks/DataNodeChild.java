package dev.handoff.benchmarks;

import dev.handoff.datanode.DataNode;
import dev.handoff.datanode.DataNodeSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * A reference data node in its own JVM, so recovery-after-death can kill it with SIGKILL. Prints {@code READY}
 * once serving, then runs until killed. Arguments: data dir, port, test latency per session in ms.
 */
public final class DataNodeChild {
    private DataNodeChild() {
    }

    public static void main(String[] args) throws Exception {
        new DataNode(DataNodeSettings.builder(Path.of(args[0])).listen("localhost", Integer.parseInt(args[1]))
            .testLatencyPerSession(Duration.ofMillis(Long.parseLong(args[2]))).build()).start();
        System.out.println("READY");
        System.out.flush();
        new CountDownLatch(1).await();
    }
}
