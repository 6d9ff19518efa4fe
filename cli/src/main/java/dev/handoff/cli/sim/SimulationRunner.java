package dev.handoff.cli.sim;

import dev.handoff.banyandb.SampleParts;
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
 * Runs a simulated liaison beside a producer: writes {@code parts} parts, one every {@code interval}. In the handoff
 * layout it ships each to the owners that answer and hands it off for the others; in BanyanDB's layout it writes a
 * core part with two sidx parts and hands each off for every owner (BanyanDB's own liaison ships to the nodes that
 * answer; this one only plays the handoff side, so its owners are BanyanDB receivers fed by the replayers). Owns its
 * thread; {@link #close()} stops it.
 */
public final class SimulationRunner implements AutoCloseable {
    private static final Logger LOGGER = LoggerFactory.getLogger(SimulationRunner.class);
    /** The BanyanDB group and sidx rules of simulated BanyanDB parts. */
    private static final String BANYAN_GROUP = "sw_trace";
    private static final List<String> BANYAN_RULES = List.of("duration", "timestamp");

    private final Thread thread;
    private final PartSink sink;

    /** A simulation in the handoff layout (see {@link #SimulationRunner(HandoffProducer, KafkaSettings, Path, String, List, int, Duration, boolean)}). */
    public SimulationRunner(HandoffProducer producer, KafkaSettings kafka, Path dataDir, String liaison, List<String> owners,
                            int parts, Duration interval) {
        this(producer, kafka, dataDir, liaison, owners, parts, interval, false);
    }

    /** @param banyandb write BanyanDB-layout parts and hand each off for every owner */
    public SimulationRunner(HandoffProducer producer, KafkaSettings kafka, Path dataDir, String liaison, List<String> owners,
                            int parts, Duration interval, boolean banyandb) {
        if (owners.isEmpty()) {
            throw new IllegalArgumentException("--simulate-parts needs --nodes: the data nodes that own the simulated parts");
        }
        if (banyandb) {
            this.sink = null;
            this.thread = Daemons.factory("handoff-simulated-liaison").newThread(() -> runBanyan(producer, dataDir, owners,
                parts, interval));
            return;
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

    /** Writes part number {@code i}. */
    private interface PartWriter {
        void write(int i) throws Exception;
    }

    private static void run(PartFactory factory, SimulatedLiaison liaison, int parts, Duration interval) {
        loop(parts, interval, i -> {
            SimulatedLiaison.Shipment s = liaison.ship(factory.create(i, 4));
            LOGGER.atInfo().addKeyValue("part", s.part().key()).addKeyValue("direct", s.direct())
                .addKeyValue("handedOff", s.handedOff()).log("simulated part written");
        });
    }

    private static void runBanyan(HandoffProducer producer, Path dataDir, List<String> owners, int parts, Duration interval) {
        // Part ids go on from the clock, so a restarted simulation never reuses one already handed off.
        long first = System.currentTimeMillis() << 8;
        loop(parts, interval, i -> {
            long id = first + i;
            Path core = SampleParts.write(dataDir, BANYAN_GROUP, i % 2, id, BANYAN_RULES, 16 * 1024, id);
            producer.enqueueBanyanPart(core, null, null, owners);
            LOGGER.atInfo().addKeyValue("part", core).addKeyValue("handedOff", owners).log("simulated BanyanDB part written");
        });
    }

    /** Writes {@code parts} parts, one every {@code interval}, until done or interrupted; a failure ends the run. */
    private static void loop(int parts, Duration interval, PartWriter writer) {
        try {
            for (int i = 0; i < parts && !Thread.currentThread().isInterrupted(); i++) {
                writer.write(i);
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
        if (sink != null) {
            sink.close();
        }
    }
}
