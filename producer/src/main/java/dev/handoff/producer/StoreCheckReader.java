package dev.handoff.producer;

import dev.handoff.protocol.Completion;
import dev.handoff.protocol.EnqueueRecord;
import dev.handoff.protocol.InvalidRecordException;
import dev.handoff.protocol.Topics;
import dev.handoff.protocol.common.KafkaSettings;
import dev.handoff.protocol.common.TopicRanges;
import dev.handoff.protocol.json.Codecs;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The Kafka half of {@link StoreCheck}: the pending records of every node topic (from the replayer group's committed
 * offset, or the log start, to the end offset seen when the read began) and the completions topic, each read to its
 * end within the timeout, or the check fails (it never answers from half a topic). Owns one admin client and one
 * group-less consumer; one thread.
 */
final class StoreCheckReader implements AutoCloseable {
    /** A pending record and where it is. */
    record Pending(EnqueueRecord record, String where) {
    }

    private final Admin admin;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Duration timeout;

    StoreCheckReader(KafkaSettings kafka, Duration timeout) {
        this.timeout = timeout;
        Map<String, Object> adminProps = new HashMap<>(kafka.admin());
        adminProps.put("default.api.timeout.ms", (int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
        this.admin = Admin.create(adminProps);
        Map<String, Object> props = new HashMap<>(kafka.consumer(null, "handoff-store-check"));
        props.put("default.api.timeout.ms", (int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
        this.consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** Hands every readable pending record of every node topic to {@code each}; returns how many records were pending. */
    long pendingRecords(Topics topics, String group, Consumer<Pending> each) {
        try {
            Set<String> names = admin.listTopics().names().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            List<String> nodeTopics = names.stream().filter(t -> topics.nodeOf(t).isPresent()).sorted().toList();
            if (nodeTopics.isEmpty()) {
                return 0;
            }
            List<TopicPartition> partitions = new ArrayList<>();
            for (TopicDescription d : admin.describeTopics(nodeTopics).allTopicNames()
                .get(timeout.toMillis(), TimeUnit.MILLISECONDS).values()) {
                d.partitions().forEach(p -> partitions.add(new TopicPartition(d.name(), p.partition())));
            }
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            Map<TopicPartition, Long> start = consumer.beginningOffsets(partitions, timeout);
            Map<TopicPartition, Long> from = new HashMap<>();
            for (TopicPartition tp : partitions) {
                OffsetAndMetadata c = committed.get(tp);
                from.put(tp, Math.max(start.get(tp), c == null ? 0 : c.offset()));
            }
            long[] count = {0};
            readRange(from, r -> {
                count[0]++;
                try {
                    each.accept(new Pending(Codecs.ENQUEUE.decode(r.value()), r.topic() + "/" + r.partition() + "@" + r.offset()));
                } catch (InvalidRecordException e) {
                    // unreadable: the replayer parks it; it references no bundle
                }
            });
            return count[0];
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot read the node topics: " + e.getCause().getMessage(), e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("Kafka did not answer within " + timeout.toSeconds() + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Hands every readable completion, oldest first, to {@code each}. */
    void completions(Topics topics, Consumer<Completion> each) {
        List<TopicPartition> partitions = consumer.partitionsFor(topics.completions(), timeout).stream()
            .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        readRange(consumer.beginningOffsets(partitions, timeout), r -> {
            try {
                each.accept(Codecs.COMPLETION.decode(r.value()));
            } catch (InvalidRecordException e) {
                // the topology quarantines it
            }
        });
    }

    private void readRange(Map<TopicPartition, Long> from, Consumer<ConsumerRecord<byte[], byte[]>> each) {
        if (!TopicRanges.read(consumer, from, consumer.endOffsets(from.keySet(), timeout), timeout, each)) {
            throw new IllegalStateException("could not read " + from.keySet() + " to the end within "
                + timeout.toSeconds() + " s");
        }
    }

    /** True when consumer group {@code group} has members (a running producer's garbage collection). */
    boolean hasMembers(String group) {
        try {
            return !admin.describeConsumerGroups(List.of(group)).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .get(group).members().isEmpty();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof org.apache.kafka.common.errors.GroupIdNotFoundException) {
                return false;
            }
            throw new IllegalStateException("cannot describe group " + group + ": " + e.getCause().getMessage(), e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("Kafka did not describe group " + group + " within " + timeout.toSeconds() + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(5));
        admin.close(Duration.ofSeconds(5));
    }
}
