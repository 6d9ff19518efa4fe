package dev.handoff.protocol;

/**
 * Root of every checked failure in handoff. Each subclass says once, here, whether retrying the
 * same operation later can succeed; callers never classify failures themselves.
 */
public class HandoffException extends Exception {
    private static final long serialVersionUID = 1L;
    private final boolean retriable;

    public HandoffException(String message, boolean retriable) {
        this(message, retriable, null);
    }

    public HandoffException(String message, boolean retriable, Throwable cause) {
        super(message, cause);
        this.retriable = retriable;
    }

    /** True when the same operation may succeed later (a node or broker was unreachable). */
    public boolean retriable() {
        return retriable;
    }
}
