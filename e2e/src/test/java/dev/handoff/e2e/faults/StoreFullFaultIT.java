package dev.handoff.e2e.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.handoff.datanode.DataNode;
import dev.handoff.producer.HandoffProducer;
import dev.handoff.producer.StoreFullException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Scenario 7: a full part store under concurrent enqueues, with the whole pipeline delivering what was accepted. */
class StoreFullFaultIT extends SharedClusterScenario {
    private static final Pattern NUMBERS =
        Pattern.compile("current (\\d+) bytes \\+ requested (\\d+) bytes exceeds the limit of (\\d+) bytes");
    private static final long LIMIT = 100_000;

    @Test
    void shouldRefuseWithTheNumbersNeverOvershootEvictNothingAndDeliverWhatWasAccepted(Stack stack) throws Exception {
        ExecutorService enqueuers = Executors.newFixedThreadPool(8);
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
        try {
            // Given a producer whose store holds 100,000 bytes, a topology, a replayer and a data node not yet up
            int port = Stack.freePort();
            String address = "localhost:" + port;
            stack.nodeTopic(address);
            stack.topology();
            HandoffProducer producer = stack.producer(0, List.of(address), b -> b.storeLimits(LIMIT, null));
            stack.replayer("r1");
            Ledger ledger = stack.ledger();
            List<Parts.Written> parts = Parts.writeAll(stack.source(), 32, 8_000);
            long size = Parts.size(parts.get(0));

            // When 32 bundles of 8,064 bytes are enqueued from 8 threads at once, the bytes of the part files really
            // in the store directory summed over and over meanwhile (the walk, not the producer's own counter)
            AtomicLong maxOnDisk = new AtomicLong();
            AtomicInteger samples = new AtomicInteger();
            AtomicReference<Exception> samplingFailure = new AtomicReference<>();
            sampler.scheduleWithFixedDelay(() -> {
                try {
                    maxOnDisk.accumulateAndGet(OnDisk.partFileBytes(stack.store()), Math::max);
                    samples.incrementAndGet();
                } catch (IOException | RuntimeException e) {
                    samplingFailure.compareAndSet(null, e);
                }
            }, 0, 1, TimeUnit.MILLISECONDS);
            ConcurrentLinkedQueue<String> refusals = new ConcurrentLinkedQueue<>();
            List<Future<Boolean>> results = new ArrayList<>();
            for (Parts.Written w : parts) {
                Callable<Boolean> enqueue = () -> {
                    try {
                        producer.enqueue(w.bundle(), List.of(address));
                        ledger.expect(w, address);
                        return true;
                    } catch (StoreFullException e) {
                        refusals.add(e.getMessage());
                        return false;
                    }
                };
                results.add(enqueuers.submit(enqueue));
            }
            List<Parts.Written> refused = new ArrayList<>();
            for (int i = 0; i < parts.size(); i++) {
                if (!results.get(i).get(60, TimeUnit.SECONDS)) {
                    refused.add(parts.get(i));
                }
            }
            sampler.shutdown();
            assertThat(sampler.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
            assertThat(samplingFailure.get()).as("sampling the store directory failed").isNull();

            // Then exactly as many as fit were accepted, never more in the store than the limit, nothing evicted
            int accepted = (int) (LIMIT / size);
            assertThat(parts.size() - refused.size()).as("accepted").isEqualTo(accepted);
            assertThat(samples.get()).as("samples of the store directory").isPositive();
            assertThat(maxOnDisk.get()).as("most part-file bytes ever on disk in the store").isLessThanOrEqualTo(LIMIT);
            assertThat(OnDisk.partFileBytes(stack.store())).as("part-file bytes on disk").isEqualTo(accepted * size);
            assertThat(producer.usedBytes()).isEqualTo(accepted * size);
            assertThat(ProducerKillFaultIT.bundlesOnDisk(stack.store())).as("bundles on disk").isEqualTo(accepted);
            // and every refusal states current, requested and limit, which add up to a real overflow
            assertThat(refusals).hasSize(refused.size()).allSatisfy(message -> {
                Matcher m = NUMBERS.matcher(message);
                assertThat(m.find()).as("numbers in %s", message).isTrue();
                long current = Long.parseLong(m.group(1));
                assertThat(Long.parseLong(m.group(2))).as("requested").isEqualTo(size);
                assertThat(Long.parseLong(m.group(3))).as("limit").isEqualTo(LIMIT);
                assertThat(current).isLessThanOrEqualTo(LIMIT);
                assertThat(current + size).isGreaterThan(LIMIT);
            });

            // When the data node comes up
            DataNode node = stack.dataNode("node-1", port, Duration.ZERO);
            Map<String, DataNode> nodes = Map.of(address, node);
            ledger.awaitDrained(nodes, Duration.ofSeconds(90));

            // Then every accepted bundle is delivered once, the space comes back, and refused ones now go through
            await().atMost(Duration.ofSeconds(60)).until(() -> producer.usedBytes() == 0);
            Parts.enqueue(producer, ledger, refused.subList(0, 5), address);
            ledger.awaitDrained(nodes, Duration.ofSeconds(60));
            long seconds = stack.seconds();
            ledger.check(nodes).report("store-full", "accepted=" + accepted + " refused=" + refused.size() + " maxOnDiskBytes="
                + maxOnDisk.get() + " samples=" + samples.get() + " limitBytes=" + LIMIT + " evicted=0 acceptedAfterRelease=5 seconds=" + seconds);
        } finally {
            enqueuers.shutdownNow();
            sampler.shutdownNow();
        }
    }
}
