package dev.handoff.protocol.json;

import dev.handoff.protocol.Completion;
import dev.handoff.protocol.ControlCommand;
import dev.handoff.protocol.EnqueueRecord;
import dev.handoff.protocol.FileEntry;
import dev.handoff.protocol.Health;
import dev.handoff.protocol.HealthEvent;
import dev.handoff.protocol.NodeStatus;
import dev.handoff.protocol.PartKey;
import dev.handoff.protocol.PartTypeEntry;
import dev.handoff.protocol.Release;
import java.util.List;
import java.util.Map;

/** One valid instance of every record of the contract, with values at awkward edges. */
final class Samples {
    /** Above 2^63: negative as a Java long, the case a JSON number would get wrong. */
    static final long PART_ID = 0xfedc_ba98_7654_3210L;
    static final PartKey PART = new PartKey("liaison-0", "sw_metric", 7, PART_ID);

    private Samples() {
    }

    static EnqueueRecord enqueue(Long expiresAt) {
        PartTypeEntry core = new PartTypeEntry("core", List.of(
            new FileEntry("primary.bin", 1000, 0xFFFF_FFFFL),
            new FileEntry("meta.json", 24, 0)),
            Map.of("compressedSizeBytes", 1024L, "minTimestamp", 1_700_000_000_000L, "maxTimestamp", 1_700_000_060_000L,
                "tags", List.of("a", "b")));
        PartTypeEntry sidx = new PartTypeEntry("sidx_trace_id", List.of(new FileEntry("data.bin", 0, 123_456)), null);
        return new EnqueueRecord("datanode-1:17912", List.of("datanode-1:17912", "[2001:db8::1]:17912"), "liaison-0",
            "liaison-0.svc:18912", "sw_metric", 7, PART_ID, List.of(core, sidx), 1024, 1_700_000_100_000L, expiresAt);
    }

    static HealthEvent health() {
        return new HealthEvent("10.0.0.1:9000", Health.DOWN, "replayer-3", 1_700_000_100_000L);
    }

    static ControlCommand control() {
        return new ControlCommand("datanode-1:17912", ControlCommand.Action.TRUNCATE, "alice@ops", 1_700_000_100_000L);
    }

    static Completion completion() {
        return new Completion("datanode-1:17912", PART, Completion.Outcome.DELIVERED, "replayer-3", 2,
            "handoff.node.datanode-1.3a17912", 5, Long.MAX_VALUE, 1_700_000_100_000L);
    }

    static NodeStatus nodeStatus() {
        return new NodeStatus("datanode-1:17912", Health.UP, true, 1_700_000_000_000L, 3, 3_000_000_000L,
            1_699_000_000_000L, 1_700_000_100_000L);
    }

    static Release release() {
        return new Release("liaison-0", PART);
    }
}
