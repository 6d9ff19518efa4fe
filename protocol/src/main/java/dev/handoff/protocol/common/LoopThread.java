package dev.handoff.protocol.common;

import java.time.Duration;

/**
 * The one thread of a role's background loop (a release collector, a relay, a status reader): a named daemon
 * made with the role, started once, that runs while {@link #running()} and is joined with a bound when the role
 * closes. {@link #running()} is true from {@link #start()} until {@link #stop()} (the owner closing, or the loop
 * giving up) or until its body returns (however it ends). Thread-safe: the flag is volatile, start is called once by the owner.
 */
public final class LoopThread {
    private final Thread thread;
    private volatile boolean running;
    private volatile boolean stopped;

    /** A thread named {@code name} (see {@link Daemons#factory}) that will run {@code body}; not started yet. */
    public LoopThread(String name, Runnable body) {
        this.thread = Daemons.factory(name).newThread(() -> {
            try {
                body.run();
            } finally {
                running = false;
            }
        });
    }

    /** Starts the loop: {@link #running()} is true before its body runs, unless {@link #stop()} came first. */
    public void start() {
        running = !stopped;
        thread.start();
    }

    /** True from {@link #start()} until {@link #stop()} or the body's return: the loop's condition. */
    public boolean running() {
        return running;
    }

    /** Asks the loop to end: {@link #running()} is false from now on; the body sees it at its next check. */
    public void stop() {
        stopped = true;
        running = false;
    }

    /** True once {@link #start()} was called (a role closed before it started has only its clients to close). */
    public boolean started() {
        return thread.getState() != Thread.State.NEW;
    }

    /** True while the thread runs. */
    public boolean alive() {
        return thread.isAlive();
    }

    /** Waits up to {@code wait} for the thread to end; an interrupt ends the wait and stays set on the caller. */
    public void join(Duration wait) {
        try {
            thread.join(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
