package dev.handoff.datanode;

import dev.handoff.protocol.HandoffException;

/**
 * A sync session broke a rule of the PartSync protocol; the message is the reason sent back with
 * {@code REJECTED}, and starts with the rule: {@code order}, {@code names}, {@code header}, {@code size}
 * or {@code checksum}. Not retriable: the same bytes break the same rule again.
 */
public class SessionRejectedException extends HandoffException {
    private static final long serialVersionUID = 1L;

    public SessionRejectedException(String rule, String detail) {
        super(rule + ": " + detail, false);
    }
}
