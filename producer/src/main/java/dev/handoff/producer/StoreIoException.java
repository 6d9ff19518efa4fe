package dev.handoff.producer;

import dev.handoff.protocol.HandoffException;
import dev.handoff.protocol.common.NoSpace;
import java.io.IOException;

/**
 * The part store could not read or write its files (disk error, permissions, a source file that
 * vanished). Not retriable: repeating the same call meets the same disk. Except a full disk (ENOSPC):
 * retriable like {@link StoreFullException}, space comes back as stored bundles are delivered and deleted.
 */
public final class StoreIoException extends HandoffException {
    private static final long serialVersionUID = 1L;

    public StoreIoException(String message, IOException cause) {
        super(message + ": " + cause, NoSpace.isNoSpace(cause), cause);
    }
}
