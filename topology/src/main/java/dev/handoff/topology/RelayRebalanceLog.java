package dev.handoff.topology;

import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Logs what the enqueue relay took and gave up: the node topics it copies change as nodes come and go. */
final class RelayRebalanceLog implements ConsumerRebalanceListener {
    private static final Logger LOGGER = LoggerFactory.getLogger(EnqueueRelay.class);

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
        if (!partitions.isEmpty()) {
            LOGGER.atDebug().addKeyValue("partitions", partitions.size()).log("enqueue relay gave up partitions");
        }
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        if (!partitions.isEmpty()) {
            LOGGER.atInfo().addKeyValue("partitions", partitions.size())
                .addKeyValue("topics", topicsOf(partitions).size()).log("enqueue relay took node-topic partitions");
        }
    }

    private static Set<String> topicsOf(Collection<TopicPartition> partitions) {
        Set<String> out = new TreeSet<>();
        partitions.forEach(tp -> out.add(tp.topic()));
        return out;
    }
}
