package dev.handoff.protocol.common;

/**
 * Undoes a step after it failed, without letting the undo's own failure hide the first one: the one place the
 * "close it (abort it, cut it back) on failure, add what that throws as suppressed, rethrow the first" idiom lives.
 * Stateless.
 */
public final class Undo {
    private Undo() {
    }

    /** An undo step that may fail with {@code X}. */
    @FunctionalInterface
    public interface Step<X extends Exception> {
        void run() throws X;
    }

    /**
     * Runs {@code undo} after {@code failure}; a {@code caught} failure of the undo is added to {@code failure} as
     * suppressed, any other (unchecked) one propagates as before. Returns {@code failure}, for the caller to throw:
     * {@code throw Undo.after(e, KafkaException.class, producer::abortTransaction);}.
     */
    public static <E extends Throwable, X extends Exception> E after(E failure, Class<X> caught, Step<? extends X> undo) {
        try {
            undo.run();
        } catch (RuntimeException e) {
            if (!caught.isInstance(e)) {
                throw e;
            }
            failure.addSuppressed(e);
        } catch (Exception e) {
            // Checked, so an X: the step's signature allows no other.
            failure.addSuppressed(e);
        }
        return failure;
    }
}
