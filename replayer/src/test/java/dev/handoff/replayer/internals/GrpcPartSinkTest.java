package dev.handoff.replayer.internals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.handoff.protocol.EnqueueRecord;
import dev.handoff.protocol.common.GrpcServer;
import dev.handoff.protocol.common.KafkaSettings;
import dev.handoff.protocol.grpc.PartSyncGrpc;
import dev.handoff.protocol.grpc.SyncRequest;
import dev.handoff.protocol.grpc.SyncResponse;
import dev.handoff.replayer.PartSink;
import dev.handoff.replayer.ReplayerSettings;
import dev.handoff.replayer.SinkException;
import dev.handoff.testkit.MutableClock;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@link GrpcPartSink}'s stall timeout against a real loopback data node that never answers, timed by a test clock. */
class GrpcPartSinkTest {

    @Test
    void shouldFailACommitTheNodeNeverAnswersOnceTheClockPassesTheSessionTimeout() throws Exception {
        // Given a data node that takes the session and never answers, and a sink timed by a clock that stands still
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        ReplayerSettings settings = ReplayerSettings.builder(KafkaSettings.of("localhost:9092"))
            .sessionTimeout(Duration.ofSeconds(120)).build();
        try (GrpcServer server = GrpcServer.start("silent-node", "localhost", 0, null, List.of(new SilentNode()));
             GrpcPartSink sink = new GrpcPartSink(settings, clock)) {
            PartSink.Session session = sink.open(recordFor("localhost:" + server.port()), "test");
            CompletableFuture<PartSink.SyncResult> commit = CompletableFuture.supplyAsync(() -> {
                try {
                    return session.commit();
                } catch (SinkException e) {
                    throw new CompletionException(e);
                }
            });

            // When the clock has not moved, the commit keeps waiting (the real time passing does not end it)
            await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> !commit.isDone());

            // When the clock passes the session timeout
            clock.advance(Duration.ofSeconds(121));

            // Then the commit fails as a node failure that names the timeout
            assertThatThrownBy(() -> commit.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(SinkException.class).hasMessageContaining("did not answer the commit within PT2M");
            SinkException failure = (SinkException) commit.handle((r, e) -> e.getCause()).get();
            assertThat(failure.nodeUnavailable()).isTrue();
        }
    }

    private static EnqueueRecord recordFor(String node) {
        EnqueueRecord r = TestRecords.record(1, 1000, null);
        return new EnqueueRecord(node, List.of(node), r.liaison(), r.source(), r.group(), r.shard(), r.partId(), r.types(),
            r.bytes(), r.enqueuedAt(), null);
    }

    /** Takes every request of a session and never answers. */
    private static final class SilentNode extends PartSyncGrpc.PartSyncImplBase {
        @Override
        public StreamObserver<SyncRequest> sync(StreamObserver<SyncResponse> responses) {
            return new StreamObserver<>() {
                @Override
                public void onNext(SyncRequest value) {
                }

                @Override
                public void onError(Throwable t) {
                }

                @Override
                public void onCompleted() {
                }
            };
        }
    }
}
