package dev.handoff.replayer.internals;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;

/**
 * Runs deliveries on the worker pool; reports unreachable nodes; measures latency (into the metrics and
 * {@link Pending#latencyNanos}, which the result queue hands to the poll thread).
 */
record PooledDispatcher(ExecutorService workers, BundleDelivery delivery, HealthReporter health,
                        ReplayerMetrics metrics) implements Scheduler.Dispatcher {
    @Override
    public void start(Pending pending, NodeState node, java.util.function.Consumer<DeliveryResult> onResult) {
        try {
            workers.execute(() -> onResult.accept(run(pending, node)));
        } catch (RejectedExecutionException e) {
            onResult.accept(new DeliveryResult.Retry(false, "replayer stopping"));
        }
    }

    private DeliveryResult run(Pending pending, NodeState node) {
        long start = System.nanoTime();
        DeliveryResult result;
        try {
            result = delivery.deliver(pending.record, node.bytes);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            result = new DeliveryResult.Retry(false, "replayer stopping");
        } catch (RuntimeException e) {
            result = new DeliveryResult.Retry(false, "delivery failed: " + e);
        }
        if (result instanceof DeliveryResult.Retry r && r.nodeUnavailable()) {
            health.reportDown(pending.record.node(), r.detail());
        } else if (result instanceof DeliveryResult.Completed) {
            health.reachable(pending.record.node());
            pending.latencyNanos = System.nanoTime() - start;
            metrics.latency(Duration.ofNanos(pending.latencyNanos));
        }
        return result;
    }
}
