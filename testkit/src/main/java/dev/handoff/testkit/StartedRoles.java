package dev.handoff.testkit;

import dev.handoff.protocol.common.Undo;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * The roles (or any resources) a test or benchmark starts, closed in reverse order of start: how the fault suite's
 * stack and the benchmarks' roles are wired. A role whose start fails is closed at once and not kept.
 * Confined to the thread that starts and closes the stack; the roles themselves may be thread-safe.
 */
public final class StartedRoles implements AutoCloseable {
    /** Starts a role: {@code HandoffProducer::start}, {@code DataNode::start}, ... */
    @FunctionalInterface
    public interface Starter<T, E extends Exception> {
        void start(T role) throws E;
    }

    private final Deque<AutoCloseable> owned = new ArrayDeque<>();

    /** Starts {@code role} and owns it; when its start fails it is closed and the failure thrown. */
    public <T extends AutoCloseable, E extends Exception> T start(T role, Starter<T, E> starter) throws E {
        return own(started(role, starter));
    }

    /** Owns a resource that is already running (or needs no start). */
    public <T extends AutoCloseable> T own(T resource) {
        owned.push(resource);
        return resource;
    }

    /** Closes one owned role now (a graceful stop, or the end of a scenario's phase). */
    public void stop(AutoCloseable role) throws Exception {
        owned.remove(role);
        role.close();
    }

    /** Closes every owned role, last started first; the first failure is thrown, later ones suppressed on it. */
    @Override
    public void close() throws Exception {
        List<AutoCloseable> reverse = new ArrayList<>(owned);
        owned.clear();
        Exception[] first = {null};
        closeInOrder(reverse, (role, e) -> {
            if (first[0] == null) {
                first[0] = e;
            } else {
                first[0].addSuppressed(e);
            }
        });
        if (first[0] != null) {
            throw first[0];
        }
    }

    /** Starts {@code role} without owning it; when its start fails it is closed and the failure thrown. */
    public static <T extends AutoCloseable, E extends Exception> T started(T role, Starter<T, E> starter) throws E {
        try {
            starter.start(role);
            return role;
        } catch (Exception e) {
            Undo.after(e, Exception.class, role::close);
            throw e; // rethrown as itself, so only the starter's E (or an unchecked one) is thrown
        }
    }

    /** Closes {@code roles} last first (the reverse of a start-order list), telling {@code onFailure} of each failure. */
    public static void closeAll(List<? extends AutoCloseable> roles, BiConsumer<AutoCloseable, Exception> onFailure) {
        List<AutoCloseable> reverse = new ArrayList<>(roles);
        java.util.Collections.reverse(reverse);
        closeInOrder(reverse, onFailure);
    }

    private static void closeInOrder(List<AutoCloseable> roles, BiConsumer<AutoCloseable, Exception> onFailure) {
        for (AutoCloseable role : roles) {
            try {
                role.close();
            } catch (Exception e) {
                onFailure.accept(role, e);
            }
        }
    }
}
