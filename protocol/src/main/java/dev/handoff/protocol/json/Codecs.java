package dev.handoff.protocol.json;

import dev.handoff.protocol.Completion;
import dev.handoff.protocol.ControlCommand;
import dev.handoff.protocol.EnqueueRecord;
import dev.handoff.protocol.HealthEvent;
import dev.handoff.protocol.NodeStatus;
import dev.handoff.protocol.Release;

/** One codec per record of the contract. */
public final class Codecs {
    public static final JsonCodec<EnqueueRecord> ENQUEUE = JsonCodec.of(EnqueueRecord.class);
    public static final JsonCodec<HealthEvent> HEALTH = JsonCodec.of(HealthEvent.class);
    public static final JsonCodec<ControlCommand> CONTROL = JsonCodec.of(ControlCommand.class);
    public static final JsonCodec<Completion> COMPLETION = JsonCodec.of(Completion.class);
    public static final JsonCodec<NodeStatus> NODE_STATUS = JsonCodec.of(NodeStatus.class);
    public static final JsonCodec<Release> RELEASE = JsonCodec.of(Release.class);

    private Codecs() {
    }
}
