package dev.handoff.cli;

import dev.handoff.protocol.common.TopicAdmin;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code handoff init}: creates the fixed topics; running it again changes nothing. */
@Command(name = "init", mixinStandardHelpOptions = true,
    description = "Create the fixed topics (health, control, completions, node-status, released, parked, quarantine). Idempotent.")
final class InitCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;
    @Mixin
    TopicOptions topicOptions;
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        try (Admin admin = Admin.create(common.admin())) {
            List<String> created;
            try {
                created = TopicAdmin.ensureFixed(admin, common.topics(), topicOptions.settings());
            } catch (ExecutionException e) {
                throw new IllegalStateException("cannot create topics at " + common.bootstrapServers + ": "
                    + e.getCause().getMessage(), e.getCause());
            }
            for (String topic : TopicAdmin.fixedTopicConfigs(common.topics()).keySet()) {
                spec.commandLine().getOut().println((created.contains(topic) ? "created " : "exists  ") + topic);
            }
        }
        return 0;
    }
}
