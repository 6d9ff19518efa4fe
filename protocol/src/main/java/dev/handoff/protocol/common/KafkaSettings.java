package dev.handoff.protocol.common;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * How every role reaches Kafka: bootstrap servers plus any client property (SASL, SSL, ...) from
 * {@code --kafka-config}. Builds admin, producer and consumer configurations with handoff's
 * durability defaults; explicit properties win. {@link #toString()} never shows secrets.
 */
public record KafkaSettings(String bootstrapServers, Map<String, String> properties) {

    /** Where every role looks for Kafka when it is not told ({@code --bootstrap-servers}). */
    public static final String DEFAULT_BOOTSTRAP_SERVERS = "localhost:9092";

    public KafkaSettings {
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw new dev.handoff.protocol.InvalidFieldException("bootstrapServers", bootstrapServers, "host:port[,host:port...]");
        }
        properties = Collections.unmodifiableMap(new TreeMap<>(properties == null ? Map.of() : properties));
    }

    public static KafkaSettings of(String bootstrapServers) {
        return new KafkaSettings(bootstrapServers, Map.of());
    }

    /** Reads a Java properties file of Kafka client settings; a missing file names the path. */
    public static Map<String, String> loadProperties(Path file) throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file)) {
            p.load(r);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(file.toString(), null, "kafka-config file does not exist");
        }
        Map<String, String> out = new TreeMap<>();
        p.stringPropertyNames().forEach(k -> out.put(k, p.getProperty(k).trim()));
        return out;
    }

    public Map<String, Object> admin() {
        Map<String, Object> c = base();
        c.putIfAbsent(CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG, 15_000);
        c.putIfAbsent(CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
        c.putAll(properties);
        return c;
    }

    /** A durable producer: {@code acks=all}, idempotent. {@code clientId} names it in broker logs. */
    public Map<String, Object> producer(String clientId) {
        Map<String, Object> c = base();
        c.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        c.put(ProducerConfig.ACKS_CONFIG, "all");
        c.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        c.put(ProducerConfig.LINGER_MS_CONFIG, 1);
        c.putAll(properties);
        // Durability is not negotiable: a kafka-config file cannot weaken it.
        c.put(ProducerConfig.ACKS_CONFIG, "all");
        c.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        return c;
    }

    /** A consumer that only ever sees committed data, commits explicitly and never creates a topic. */
    public Map<String, Object> consumer(String groupId, String clientId) {
        Map<String, Object> c = base();
        if (groupId != null) {
            c.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        }
        c.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.putAll(properties);
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        // Handoff creates every topic it needs through the Admin API: a consumer asking about a misspelt topic
        // (a wrong --topic-prefix) must not create it on a broker that allows auto-creation.
        c.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        return c;
    }

    private Map<String, Object> base() {
        Map<String, Object> c = new TreeMap<>();
        c.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return c;
    }

    @Override
    public String toString() {
        Map<String, String> shown = new TreeMap<>();
        properties.forEach((k, v) -> shown.put(k, isSecret(k) ? "[hidden]" : v));
        return "KafkaSettings[bootstrapServers=" + bootstrapServers + ", properties=" + shown + "]";
    }

    /** True for properties whose values must never be logged. */
    public static boolean isSecret(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        return k.contains("password") || k.contains("jaas") || k.contains("secret") || k.endsWith(".key")
            || k.contains("token") || k.contains("credential");
    }
}
