package dev.handoff.e2e.faults;

import dev.handoff.protocol.common.TopicAdmin.TopicSettings;
import dev.handoff.testkit.KafkaCluster;
import dev.handoff.testkit.KafkaClusterExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A fault test class's Kafka cluster (a {@link KafkaClusterExtension}, started before the class's tests and closed
 * after them) and a fresh {@link Stack} for every test method that takes one: on that cluster, in a directory of its
 * own, closed after the test (its roles, then the directory is deleted), as the scenarios' {@code try (Stack stack =
 * ...)} did.
 */
final class StackExtension implements BeforeAllCallback, ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(StackExtension.class);

    private final KafkaClusterExtension kafka;
    private final TopicSettings topicSettings;

    private StackExtension(KafkaClusterExtension kafka, TopicSettings topicSettings) {
        this.kafka = kafka;
        this.topicSettings = topicSettings;
    }

    /** Stacks with the default topic settings ({@link Stack#TOPICS}). */
    static StackExtension on(KafkaClusterExtension kafka) {
        return on(kafka, Stack.TOPICS);
    }

    static StackExtension on(KafkaClusterExtension kafka, TopicSettings topicSettings) {
        return new StackExtension(kafka, topicSettings);
    }

    KafkaCluster cluster() {
        return kafka.cluster();
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        kafka.beforeAll(context);
        // The class's store is closed once its tests are done: the cluster's afterAll then runs, as if registered.
        context.getStore(NAMESPACE).put("cluster", (AutoCloseable) () -> kafka.afterAll(context));
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == Stack.class;
    }

    @Override
    public Stack resolveParameter(ParameterContext parameter, ExtensionContext context) {
        // What the cluster's beforeEach does: start any broker a previous test left stopped.
        kafka.beforeEach(context);
        try {
            Path dir = Files.createTempDirectory("faults-");
            Stack stack = new Stack(kafka.bootstrapServers(), dir, topicSettings);
            // The method's store closes it when the test is over, after its @AfterEach methods.
            context.getStore(NAMESPACE).put(parameter.getIndex(), (AutoCloseable) () -> {
                try {
                    stack.close();
                } finally {
                    delete(dir);
                }
            });
            return stack;
        } catch (Exception e) {
            throw new ParameterResolutionException("cannot start a stack on " + kafka.bootstrapServers(), e);
        }
    }

    private static void delete(Path dir) throws IOException {
        List<Path> paths;
        try (Stream<Path> walk = Files.walk(dir)) {
            paths = walk.sorted(Comparator.reverseOrder()).toList();
        }
        for (Path p : paths) {
            Files.deleteIfExists(p);
        }
    }
}
