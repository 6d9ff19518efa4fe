package dev.handoff.protocol.common;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.protocol.Topics;
import java.util.Map;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;

class TopicAdminTest {

    @Test
    void shouldConfigureEveryFixedTopicAndKeepTheQuarantineForeverWhenListingFixedTopics() {
        // Given a prefix
        Topics topics = new Topics("ops");

        // When the fixed topics' configs are listed
        Map<String, Map<String, String>> configs = TopicAdmin.fixedTopicConfigs(topics);

        // Then they are exactly the contract's fixed topics, and quarantined records are never deleted
        assertThat(configs.keySet()).containsExactlyElementsOf(topics.fixed());
        assertThat(configs.get("ops.quarantine")).containsEntry(TopicConfig.RETENTION_MS_CONFIG, "-1")
            .containsEntry(TopicConfig.RETENTION_BYTES_CONFIG, "-1")
            .containsEntry(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE);
        // And the topology's copies of node-topic records are not deleted by time either (only once read)
        assertThat(configs.get("ops.enqueued")).containsEntry(TopicConfig.RETENTION_MS_CONFIG, "-1")
            .containsEntry(TopicConfig.RETENTION_BYTES_CONFIG, "-1");
    }
}
