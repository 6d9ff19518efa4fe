package dev.handoff.replayer.internals;

import dev.handoff.protocol.Completion;
import dev.handoff.protocol.Topics;
import dev.handoff.protocol.json.Codecs;
import dev.handoff.protocol.common.KafkaClientSupplier;
import dev.handoff.replayer.ReplayerSettings;
import java.time.Duration;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one batch of completions and parked records together with the consumer offsets that cover
 * them, in one Kafka transaction ({@code sendOffsetsToTransaction} with the group metadata, so a
 * zombie of an older group generation is fenced). Used by one thread at a time: the commit thread for the periodic
 * transaction, the poll thread for the others once that one has ended (see {@link Commits}).
 */
final class TransactionalCommitter implements AutoCloseable {
    private static final Logger LOGGER = LoggerFactory.getLogger(TransactionalCommitter.class);

    private final Producer<String, byte[]> producer;
    private final Topics topics;

    TransactionalCommitter(ReplayerSettings settings, KafkaClientSupplier clients) {
        this.producer = clients.producer(ClientConfigs.transactionalProducer(settings));
        this.topics = settings.topics();
        // Fences a previous incarnation of this instance and aborts its open transaction.
        producer.initTransactions();
    }

    /**
     * Commits the batch.
     *
     * @throws CommitAbortedException when the transaction could not be committed; nothing of it is visible
     */
    void commit(Batch batch, ConsumerGroupMetadata group) throws CommitAbortedException {
        try {
            producer.beginTransaction();
            for (Completion c : batch.completions()) {
                producer.send(new ProducerRecord<>(topics.completions(), c.node(), Codecs.COMPLETION.encode(c)));
            }
            for (ProducerRecord<String, byte[]> produced : batch.produced()) {
                producer.send(produced);
            }
            producer.sendOffsetsToTransaction(batch.offsets(), group);
            producer.commitTransaction();
        } catch (KafkaException e) {
            boolean aborted = abortQuietly(e);
            // A rebalance bumped the group's generation under the transaction ("consumer group metadata mismatch"):
            // the producer is fine once aborted, and the batch can be committed again after the consumer rejoins.
            boolean refusedByRebalance = aborted && e instanceof CommitFailedException;
            throw new CommitAbortedException("transaction of " + batch.completions().size() + " completions failed: " + e,
                e, refusedByRebalance);
        }
    }

    /** Aborts the open transaction unless that cannot help; true when it was aborted (the producer is usable). */
    private boolean abortQuietly(KafkaException cause) {
        // Fenced: nothing to abort. Timed out: an abort would wait as long again; the next incarnation's
        // initTransactions() aborts the open transaction instead.
        if (cause instanceof ProducerFencedException || cause instanceof org.apache.kafka.common.errors.TimeoutException) {
            return false;
        }
        try {
            producer.abortTransaction();
            return true;
        } catch (KafkaException e) {
            LOGGER.atDebug().addKeyValue("error", e.toString()).log("abort after a failed commit failed too");
            return false;
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }

    /**
     * A transaction failed and nothing of it is visible. Retriable: when {@link #refusedByRebalance()}, the same
     * producer commits the batch again once the consumer has rejoined; otherwise the replayer rejoins the group
     * with fresh clients.
     */
    static final class CommitAbortedException extends dev.handoff.protocol.HandoffException {
        private static final long serialVersionUID = 1L;
        private final boolean refusedByRebalance;

        CommitAbortedException(String message, Throwable cause, boolean refusedByRebalance) {
            super(message, true, cause);
            this.refusedByRebalance = refusedByRebalance;
        }

        /** The group's generation moved under the transaction, which was aborted: the producer is still usable. */
        boolean refusedByRebalance() {
            return refusedByRebalance;
        }
    }
}
