package dev.handoff.protocol.common;

import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.utils.Utils;

/**
 * Sends through an idempotent producer so that the first write to each partition goes alone: until one
 * record to a partition has been acknowledged, every other record for it waits here instead of being in
 * flight beside it. Later writes keep the producer's full concurrency.
 *
 * <p>Why: on a just-created partition the first of two produce requests in flight can arrive before the
 * broker has applied the partition and fail, while the second is appended; the first can then never be
 * written (OUT_OF_ORDER_SEQUENCE_NUMBER until {@code delivery.timeout.ms}) and everything behind it waits.
 * That is Kafka's KAFKA-15591 (also KAFKA-14312, KAFKA-19880), fixed in brokers only from 4.5. With one
 * request in flight the retry of the first write simply succeeds. See docs/DECISIONS.md.
 *
 * <p>Records are partitioned here, as the producer's built-in partitioner does for keyed records
 * (murmur2 of the serialized key), and sent with that partition set. Records to one partition leave in
 * the order they were given. A waiting record whose future was cancelled (its caller gave up) is
 * never sent. Thread-safe; owns one thread that releases waiting records, closed by {@link #close()}.
 * The producer is not closed here: its owner closes it.
 */
public final class FirstWriteGuard<K, V> implements AutoCloseable {
    private final Producer<K, V> producer;
    private final Serializer<K> keySerializer;
    private final Map<TopicPartition, Gate> gates = new ConcurrentHashMap<>();
    private final ExecutorService releaser;

    public FirstWriteGuard(Producer<K, V> producer, Serializer<K> keySerializer, String threadName) {
        this.producer = Objects.requireNonNull(producer, "producer");
        this.keySerializer = Objects.requireNonNull(keySerializer, "keySerializer");
        this.releaser = Executors.newSingleThreadExecutor(Daemons.factory(threadName));
    }

    /**
     * Sends the record (a keyed one, or one with its partition set) and returns its acknowledgement.
     * May block as {@link Producer#send} does (metadata, buffer), up to the producer's {@code max.block.ms}.
     *
     * @throws org.apache.kafka.common.KafkaException when the producer refuses at once (closed, no metadata)
     */
    public CompletableFuture<RecordMetadata> send(ProducerRecord<K, V> record) {
        ProducerRecord<K, V> placed = placed(record);
        TopicPartition tp = new TopicPartition(placed.topic(), placed.partition());
        Gate gate = gates.computeIfAbsent(tp, t -> new Gate());
        if (gate.open) {
            return sendNow(placed);
        }
        Pending pending = new Pending(placed);
        synchronized (gate) {
            if (gate.open) {
                return sendNow(placed);
            }
            if (gate.firstInFlight) {
                gate.waiting.add(pending);
                return pending.ack;
            }
            gate.firstInFlight = true;
        }
        sendFirst(gate, pending);
        return pending.ack;
    }

    /** True once a write to the partition was acknowledged through this guard (for tests and metrics). */
    public boolean isOpen(TopicPartition tp) {
        Gate gate = gates.get(tp);
        return gate != null && gate.open;
    }

    private ProducerRecord<K, V> placed(ProducerRecord<K, V> r) {
        if (r.partition() != null) {
            return r;
        }
        if (r.key() == null) {
            throw new IllegalArgumentException("record for " + r.topic() + " has neither a key nor a partition");
        }
        List<PartitionInfo> partitions = producer.partitionsFor(r.topic());
        if (partitions == null || partitions.isEmpty()) {
            throw new org.apache.kafka.common.KafkaException("no partitions known for topic " + r.topic());
        }
        byte[] key = keySerializer.serialize(r.topic(), r.headers(), r.key());
        int partition = Utils.toPositive(Utils.murmur2(key)) % partitions.size();
        return new ProducerRecord<>(r.topic(), partition, r.timestamp(), r.key(), r.value(), r.headers());
    }

    private CompletableFuture<RecordMetadata> sendNow(ProducerRecord<K, V> record) {
        CompletableFuture<RecordMetadata> ack = new CompletableFuture<>();
        producer.send(record, (md, e) -> complete(ack, md, e));
        return ack;
    }

    /** Sends the partition's first write; its acknowledgement opens the gate, its failure passes the turn on. */
    private void sendFirst(Gate gate, Pending first) {
        try {
            producer.send(first.record, (md, e) -> {
                complete(first.ack, md, e);
                try {
                    releaser.execute(() -> firstDone(gate, e == null));
                } catch (java.util.concurrent.RejectedExecutionException closed) {
                    // The guard is closing with its client: the records still waiting are not sent.
                }
            });
        } catch (RuntimeException e) {
            first.ack.completeExceptionally(e);
            firstDone(gate, false);
        }
    }

    private void firstDone(Gate gate, boolean acknowledged) {
        Pending next;
        synchronized (gate) {
            if (acknowledged) {
                // Under the lock: a record given meanwhile waits for these, so each partition keeps its order.
                for (Pending p = nextLive(gate); p != null; p = nextLive(gate)) {
                    release(p);
                }
                gate.open = true;
                return;
            }
            next = nextLive(gate);
            gate.firstInFlight = next != null;
        }
        if (next != null) {
            sendFirst(gate, next);
        }
    }

    private void release(Pending p) {
        try {
            producer.send(p.record, (md, e) -> complete(p.ack, md, e));
        } catch (RuntimeException e) {
            p.ack.completeExceptionally(e);
        }
    }

    private Pending nextLive(Gate gate) {
        for (Pending p = gate.waiting.poll(); p != null; p = gate.waiting.poll()) {
            if (!p.ack.isDone()) {
                return p;
            }
        }
        return null;
    }

    private static void complete(CompletableFuture<RecordMetadata> ack, RecordMetadata md, Exception e) {
        if (e == null) {
            ack.complete(md);
        } else {
            ack.completeExceptionally(e);
        }
    }

    /** Stops releasing waiting records; the producer stays open (its owner closes it). */
    @Override
    public void close() {
        releaser.shutdownNow();
        try {
            releaser.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One partition's state: open once a write was acknowledged; guarded by its own monitor. */
    private final class Gate {
        volatile boolean open;
        boolean firstInFlight;
        final ArrayDeque<Pending> waiting = new ArrayDeque<>();
    }

    /** A record waiting for its partition's first acknowledgement, and its own. */
    private final class Pending {
        final ProducerRecord<K, V> record;
        final CompletableFuture<RecordMetadata> ack = new CompletableFuture<>();

        Pending(ProducerRecord<K, V> record) {
            this.record = record;
        }
    }
}
