package dev.handoff.cli;

import dev.handoff.protocol.ControlCommand;
import dev.handoff.protocol.ControlCommand.Action;
import dev.handoff.protocol.NodeAddress;
import dev.handoff.protocol.json.Codecs;
import java.net.InetAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.Future;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code pause}, {@code resume}, {@code truncate}: one operator command for one node, on the control topic. */
final class ControlCommands {
    private ControlCommands() {
    }

    abstract static class Base implements Callable<Integer> {
        @Mixin
        CommonOptions common;
        @Parameters(index = "0", paramLabel = "NODE", description = "The data node's address, host:port.")
        String node;
        @Spec
        CommandSpec spec;

        abstract Action action();

        @Override
        public Integer call() throws Exception {
            NodeAddress.require("NODE", node);
            ControlCommand command = new ControlCommand(node, action(), operator(), Clock.systemUTC().millis());
            send(common, List.of(command));
            spec.commandLine().getOut().println(action().name().toLowerCase() + " " + node + ": sent by " + command.by());
            return 0;
        }

        /** Writes {@code commands} to the control topic, each keyed by its node, and waits for every ack. */
        static void send(CommonOptions common, List<ControlCommand> commands) throws InterruptedException {
            try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(common.producer("handoff-cli"),
                new StringSerializer(), new ByteArraySerializer())) {
                List<Future<RecordMetadata>> acks = new ArrayList<>();
                for (ControlCommand c : commands) {
                    acks.add(producer.send(new ProducerRecord<>(common.topics().control(), c.node(), Codecs.CONTROL.encode(c))));
                }
                for (Future<RecordMetadata> ack : acks) {
                    ack.get(common.kafkaTimeout().toMillis(), TimeUnit.MILLISECONDS);
                }
            } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
                throw new IllegalStateException("cannot write to " + common.topics().control() + " at "
                    + common.bootstrapServers + ": " + (e.getCause() == null ? e : e.getCause()).getMessage(), e);
            }
        }

        static String operator() {
            String user = System.getProperty("user.name", "unknown");
            try {
                return "cli:" + user + "@" + InetAddress.getLocalHost().getHostName();
            } catch (java.io.IOException e) {
                return "cli:" + user;
            }
        }
    }

    @Command(name = "pause", mixinStandardHelpOptions = true,
        description = "Stop replaying to NODE until `resume` (its records stay pending).")
    static final class Pause extends Base {
        Action action() {
            return Action.PAUSE;
        }
    }

    @Command(name = "resume", mixinStandardHelpOptions = true, description = "Resume replaying to NODE.")
    static final class Resume extends Base {
        Action action() {
            return Action.RESUME;
        }
    }

    @Command(name = "truncate", mixinStandardHelpOptions = true,
        description = "Complete NODE's records enqueued until now as TRUNCATED, without delivering them.")
    static final class Truncate extends Base {
        Action action() {
            return Action.TRUNCATE;
        }
    }
}
