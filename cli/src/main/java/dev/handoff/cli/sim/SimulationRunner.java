package dev.handoff.cli.sim;

import dev.handoff.producer.HandoffProducer;
import dev.handoff.protocol.common.Daemons;
import dev.handoff.replayer.PartSink;
import dev.handoff.replayer.ReplayerSettings;
import dev.handoff.protocol.common.KafkaSettings;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a simulated liaison beside a producer: writes {@code parts} parts, one every {@code interval}, ships
 * them to the owners that answer and hands them off for the others. Owns its thread; {@link #close()} stops it.
 */
public final class SimulationRunner implements AutoCloseable {
    private static final Logger LOGGER = LoggerFactory.getLogger(SimulationRunner.class);

    private final Thread thread;
    private final PartSink sink;

    public SimulationRunner(HandoffProducer producer, KafkaSettings kafka, Path dataDir, String liaison, List<String> owners,
                            int parts, Duration interval) {
        if (owners.isEmpty()) {
            throw new IllegalArgumentException("--simulate-parts needs --nodes: the data nodes that own the simulated parts");
        }
        ReplayerSettings sinkSettings = ReplayerSettings.builder(kafka).sessionTimeout(Duration.ofSeconds(10)).build();
        this.sink = sinkSettings.sinkFactory().create(sinkSettings);
        SimulatedLiaison liaisonSim = new SimulatedLiaison(producer, sink, owners, Clock.systemUTC());
        PartFactory factory = new PartFactory(dataDir, liaison, System.nanoTime());
        this.thread = Daemons.factory("handoff-simulated-liaison").newThread(() -> run(factory, liaisonSim, parts, interval));
    }

    public SimulationRunner start() {
        thread.start();
        return this;
    }

    private static void run(PartFactory factory, SimulatedLiaison liaison, int parts, Duration interval) {
        try {
            for (int i = 0; i < parts && !Thread.currentThread().isInterrupted(); i++) {
                SimulatedLiaison.Shipment s = liaison.ship(factory.create(i, 4));
                LOGGER.atInfo().addKeyValue("part", s.part().key()).addKeyValue("direct", s.direct())
                    .addKeyValue("handedOff", s.handedOff()).log("simulated part written");
                java.util.concurrent.TimeUnit.NANOSECONDS.sleep(interval.toNanos());
            }
            LOGGER.atInfo().addKeyValue("parts", parts).log("simulated liaison finished");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOGGER.atError().setCause(e).log("simulated liaison stopped");
        }
    }

    @Override
    public void close() {
        thread.interrupt();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        sink.close();
    }
}
