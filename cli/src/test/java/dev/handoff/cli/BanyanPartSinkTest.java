package dev.handoff.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.banyandb.BanyanSyncException;
import dev.handoff.banyandb.BanyanSyncException.Kind;
import dev.handoff.replayer.PartSink.SyncResult;
import dev.handoff.replayer.SinkException;
import io.grpc.Status;
import org.junit.jupiter.api.Test;

/**
 * Each way a BanyanDB session fails, as the replayer sees it. The replayer's classifier (DeliveryFailuresTest)
 * turns these into outcomes: INCOMPATIBLE/POISON park, a SinkException with nodeUnavailable backs off the node,
 * one without charges the record's budget and the whole bundle is sent again after its backoff.
 */
class BanyanPartSinkTest {

    @Test
    void shouldParkVersionMismatchesAsIncompatibleKeepingTheMessageThatNamesBothVersions() {
        SyncResult r = BanyanPartSink.refusal(new BanyanSyncException(Kind.INCOMPATIBLE, "sent api 0.10; node api 0.9"));

        assertThat(r).isEqualTo(new SyncResult(SyncResult.Status.INCOMPATIBLE, "sent api 0.10; node api 0.9"));
    }

    @Test
    void shouldParkAnUnknownFileOrInvalidMinTimestampAsPoison() {
        SyncResult r = BanyanPartSink.refusal(new BanyanSyncException(Kind.POISON, "unknown file type: x"));

        assertThat(r.status()).isEqualTo(SyncResult.Status.POISON);
    }

    @Test
    void shouldRetryAChecksumMismatchAgainstTheRecordsBudget() {
        BanyanSyncException e = new BanyanSyncException(Kind.RETRY, "CHECKSUM_MISMATCH");

        assertThat(BanyanPartSink.refusal(e)).isNull();
        SinkException s = BanyanPartSink.retry(e);
        assertThat(s.nodeUnavailable()).isFalse();
        assertThat(s.retriable()).isTrue();
    }

    @Test
    void shouldBackOffTheNodeWhenItIsBusy() {
        assertThat(BanyanPartSink.retry(new BanyanSyncException(Kind.BUSY, "SERVER_BUSY")).nodeUnavailable()).isTrue();
    }

    @Test
    void shouldBackOffTheNodeWhenItIsUnavailableAndChargeTheBundleForOtherStatuses() {
        assertThat(BanyanPartSink.retry(new BanyanSyncException(Kind.TRANSPORT, "x", Status.Code.UNAVAILABLE, null))
            .nodeUnavailable()).isTrue();
        assertThat(BanyanPartSink.retry(new BanyanSyncException(Kind.TRANSPORT, "x", Status.Code.DEADLINE_EXCEEDED, null))
            .nodeUnavailable()).isTrue();
        assertThat(BanyanPartSink.retry(new BanyanSyncException(Kind.TRANSPORT, "x", Status.Code.INTERNAL, null))
            .nodeUnavailable()).isFalse();
    }
}
