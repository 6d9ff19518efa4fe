package dev.handoff.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Hostile command-line values are refused with exit code 2 and one line naming the option or field,
 * before anything starts or connects (the bootstrap servers point nowhere).
 */
class HostileArgumentsTest {
    @TempDir
    Path tmp;

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "producer --store-dir DIR --liaison ../x --bootstrap-servers localhost:1                | liaison",
        "producer --store-dir DIR --liaison a/b --bootstrap-servers localhost:1                 | liaison",
        "producer --store-dir DIR --liaison LONG --bootstrap-servers localhost:1                | liaison",
        "producer --store-dir DIR --liaison l --nodes datanode-1 --bootstrap-servers localhost:1 | datanode-1",
        "producer --store-dir DIR --liaison l --kafka-config DIR/missing.properties              | missing.properties",
        "producer --store-dir DIR --liaison l --tls-cert DIR/none.pem --tls-key DIR/none.key    | none.pem",
        "producer --store-dir DIR --liaison l --enqueue-root DIR --enqueue-listen 0.0.0.0:17914 --bootstrap-servers localhost:1 | enqueueListenHost",
        "producer --store-dir DIR --liaison l --store-max-bytes-per-node -1 --bootstrap-servers localhost:1 | storeMaxBytesPerNode",
        "producer --store-dir DIR --liaison l --max-age 0s --bootstrap-servers localhost:1      | maxAge",
        "wait n:1 --enqueued-before tomorrow --bootstrap-servers localhost:1                    | --enqueued-before",
        "replayer --allowed-nodes 10.0.0.0/33 --bootstrap-servers localhost:1                   | allowedNodes",
        "datanode --dir DIR --listen no-port                                                    | no-port",
        "datanode --dir DIR --test-failure-rate 2                                               | testFailureRate",
        "replayer --chunk-size 0 --bootstrap-servers localhost:1                                | chunkSize",
        "enqueue --part-dir DIR --liaison l --group ../g --shard 0 --part-id 0000000000000001 --nodes n:1 --producer localhost:1 | group",
        "enqueue --part-dir DIR --liaison l --group g --shard 0 --part-id 12ab --nodes n:1 --producer localhost:1 | 12ab",
        "enqueue --part-dir DIR --liaison l --group g --shard 0 --part-id 0000000000000001 --nodes host-only --producer localhost:1 | host-only",
        "quarantine list --input enqueue --bootstrap-servers localhost:1                       | health, control, completions",
    })
    void shouldExitTwoNamingTheOffendingValue(String args, String named) {
        // Given arguments with one hostile value
        String[] argv = args.replace("DIR", tmp.toString()).replace("LONG", "x".repeat(129)).trim().split("\\s+");

        // When the CLI runs them
        CliRun r = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> CliRun.of(argv));

        // Then it exits 2 with the offending field or value named
        assertThat(r.code()).as(r.err()).isEqualTo(2);
        assertThat(r.err()).contains(named);
    }
}
