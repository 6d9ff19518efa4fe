package dev.handoff.cli;

import dev.handoff.protocol.Topics;
import dev.handoff.protocol.common.KafkaSettings;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Option;

/** Options every verb that talks to Kafka shares. Each also reads {@code HANDOFF_<OPTION>} from the environment. */
public final class CommonOptions {

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT[,...]", defaultValue = KafkaSettings.DEFAULT_BOOTSTRAP_SERVERS,
        description = "Kafka bootstrap servers (default: ${DEFAULT-VALUE}; env HANDOFF_BOOTSTRAP_SERVERS).")
    String bootstrapServers;

    @Option(names = "--kafka-config", paramLabel = "FILE",
        description = "Java properties file with any Kafka client setting (security.protocol, sasl.*, ssl.*, ...).")
    Path kafkaConfig;

    @Option(names = "--topic-prefix", paramLabel = "PREFIX", defaultValue = Topics.DEFAULT_PREFIX,
        description = "Prefix of every topic name (default: ${DEFAULT-VALUE}).")
    String topicPrefix;

    @Option(names = "--kafka-timeout", defaultValue = "15s", converter = DurationConverter.class, paramLabel = "DURATION",
        description = "How long a command waits for Kafka before it gives up (default: ${DEFAULT-VALUE}).")
    java.time.Duration kafkaTimeout;

    @Option(names = {"-v", "--verbose"},
        description = "Print stack traces of failures; an operator verb also shows the Kafka client's log lines.")
    boolean verbose;

    /** The Kafka settings from the options; a missing or unreadable config file is a usage error. */
    public KafkaSettings kafka() {
        Map<String, String> props = Map.of();
        if (kafkaConfig != null) {
            try {
                props = KafkaSettings.loadProperties(kafkaConfig);
            } catch (IOException e) {
                throw new UsageException("--kafka-config " + kafkaConfig + ": cannot read it (" + e.getMessage() + ")");
            }
        }
        return new KafkaSettings(bootstrapServers, props);
    }

    /** Admin client settings whose calls give up after {@code --kafka-timeout}. */
    public Map<String, Object> admin() {
        Map<String, Object> props = new java.util.HashMap<>(kafka().admin());
        int ms = (int) Math.min(Integer.MAX_VALUE, kafkaTimeout.toMillis());
        props.put("default.api.timeout.ms", ms);
        props.put("request.timeout.ms", Math.min(ms, 15_000));
        return props;
    }

    /** Producer settings whose send gives up after {@code --kafka-timeout}, not after a minute without metadata. */
    public Map<String, Object> producer(String clientId) {
        Map<String, Object> props = new java.util.HashMap<>(kafka().producer(clientId));
        props.put("max.block.ms", kafkaTimeout.toMillis());
        return props;
    }

    public Topics topics() {
        return new Topics(topicPrefix);
    }

    public java.time.Duration kafkaTimeout() {
        return kafkaTimeout;
    }

    public boolean verbose() {
        return verbose;
    }
}
