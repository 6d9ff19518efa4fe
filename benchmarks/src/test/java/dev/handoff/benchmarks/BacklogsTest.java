package dev.handoff.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;

/** scale-out's workload: shards whose group/shard keys Kafka's default partitioner spreads evenly. */
class BacklogsTest {
    @Test
    void shouldPickShardsThatFillEveryPartitionEqually() {
        // When 2 shards per partition are picked for 6 partitions
        int[] shards = Backlogs.evenShards(6, 2);

        // Then the producer's keys of those shards hash to every partition exactly twice, and no shard repeats
        int[] perPartition = new int[6];
        for (int shard : shards) {
            byte[] key = ("sw_metric/" + shard).getBytes(StandardCharsets.UTF_8);
            perPartition[Utils.toPositive(Utils.murmur2(key)) % 6]++;
        }
        assertThat(perPartition).containsOnly(2);
        assertThat(Arrays.stream(shards).distinct().count()).isEqualTo(12);
    }
}
