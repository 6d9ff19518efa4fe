package dev.handoff.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code handoff enqueue} with many parts: every part is tried, each failure is named, and the exit code says
 * whether anything failed at run time (1) or only bad input (2). The enqueues that succeed are in
 * {@code PrometheusIT}, against a running producer.
 */
class EnqueueBatchTest {
    @TempDir
    Path tmp;

    private CliRun run(String stdin, String... args) {
        List<String> all = new ArrayList<>(List.of("enqueue", "--liaison=l", "--group=g", "--shard=0", "--nodes=n:1"));
        all.addAll(List.of(args));
        return CliRun.of(cli -> ((EnqueueCommand) cli.getSubcommands().get("enqueue").getCommand()).stdin =
            new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), all.toArray(String[]::new));
    }

    private Path part(long id) throws Exception {
        Path part = tmp.resolve(String.format("%016x", id));
        Files.createDirectories(part.resolve("core"));
        Files.write(part.resolve("core/primary.bin"), new byte[] {1, 2, 3});
        return part;
    }

    @Test
    void shouldTryEveryPartFromStdinAndNameEachBadOneWithExitTwo() throws Exception {
        // Given three lines on stdin (a comment, a blank line) naming two directories that do not exist
        Path missing1 = tmp.resolve("0000000000000001");
        Path missing2 = tmp.resolve("0000000000000002");
        // When they are enqueued with --from-file -
        CliRun r = run("# parts\n" + missing1 + "\n\n" + missing2 + "\n", "--from-file=-", "--producer=localhost:1");
        // Then both are named, and only bad input failed
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("FAILED " + missing1 + ": --part-dir " + missing1 + ": not a directory")
            .contains("FAILED " + missing2).contains("2 of 2 parts failed: " + missing1 + " " + missing2);
    }

    @Test
    void shouldGoOnAfterAFailedPartAndExitOneWhenTheProducerCannotBeReached() throws Exception {
        // Given a good part, a bad one and another good one, and no producer listening
        Path file = Files.writeString(tmp.resolve("list"), part(3) + "\n");
        CliRun r = run("", "--part-dir=" + part(1), "--part-dir=" + tmp.resolve("nope"), "--from-file=" + file,
            "--producer=localhost:1", "--timeout=5s");
        // Then every part was tried (the bad one named as bad input, the others as unreachable), exit 1
        assertThat(r.code()).as(r.err()).isEqualTo(1);
        assertThat(r.err()).contains("FAILED " + tmp.resolve("nope") + ": --part-dir").contains("3 of 3 parts failed")
            .contains("FAILED " + part(1) + ": enqueue through localhost:1 failed: UNAVAILABLE")
            .contains("FAILED " + part(3) + ": enqueue through localhost:1 failed: UNAVAILABLE");
    }

    @Test
    void shouldRefuseBadBatchUsageBeforeSendingAnything() throws Exception {
        assertThat(run("", "--part-dir=" + part(1), "--part-dir=" + part(2), "--part-id=0000000000000001",
            "--producer=localhost:1").err()).contains("--part-id: only with a single part (2 given)");
        CliRun none = run("", "--producer=localhost:1");
        assertThat(none.code()).isEqualTo(2);
        assertThat(none.err()).contains("a part is required: --part-dir DIR (repeatable) or --from-file FILE|-");
        CliRun noFile = run("", "--from-file=" + tmp.resolve("absent"), "--producer=localhost:1");
        assertThat(noFile.code()).isEqualTo(2);
        assertThat(noFile.err()).contains("--from-file " + tmp.resolve("absent") + ": no such file");
    }
}
