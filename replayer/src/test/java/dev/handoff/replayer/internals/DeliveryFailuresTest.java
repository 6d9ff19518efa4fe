package dev.handoff.replayer.internals;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.protocol.Completion;
import dev.handoff.replayer.PartSink;
import dev.handoff.replayer.SinkException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Every gRPC status and receiver answer, and what the replayer does with it. */
class DeliveryFailuresTest {
    /** Transport-level: the node is unreachable, slow or busy. Every other status fails the bundle. */
    private static final Set<Status.Code> NODE_LEVEL = EnumSet.of(Status.Code.UNAVAILABLE, Status.Code.DEADLINE_EXCEEDED,
        Status.Code.CANCELLED, Status.Code.RESOURCE_EXHAUSTED);

    @ParameterizedTest
    @EnumSource(Status.Code.class)
    void shouldBackOffTheNodeOnlyForTransportLevelStatusesAndChargeTheBundleForTheRest(Status.Code code) {
        // Given a session that failed with this status
        SinkException e = GrpcPartSink.classify(new StatusRuntimeException(Status.fromCode(code).withDescription("x")));

        // When it is classified
        DeliveryResult result = DeliveryFailures.ofSink(e);

        // Then only transport-level statuses back off the node; a node that answers but fails charges the record
        assertThat(result).isInstanceOfSatisfying(DeliveryResult.Retry.class,
            r -> assertThat(r.nodeUnavailable()).as(code.name()).isEqualTo(NODE_LEVEL.contains(code)));
    }

    @Test
    void shouldChargeTheBundleWhenTheNodeAnswersInternalOrUnknownSoThatItIsEventuallyParked() {
        // The defect: INTERNAL and UNKNOWN were taken for "node unavailable", so a bundle the node always
        // failed was retried forever (DOWN, heartbeat UP, DOWN ...) and never parked.
        for (Status.Code code : new Status.Code[] {Status.Code.INTERNAL, Status.Code.UNKNOWN, Status.Code.UNIMPLEMENTED}) {
            DeliveryResult r = DeliveryFailures.ofSink(GrpcPartSink.classify(Status.fromCode(code).asRuntimeException()));
            assertThat(((DeliveryResult.Retry) r).nodeUnavailable()).as(code.name()).isFalse();
        }
    }

    static Stream<Arguments> answers() {
        return Stream.of(
            Arguments.of(PartSink.SyncResult.Status.APPLIED, new DeliveryResult.Completed(Completion.Outcome.DELIVERED)),
            Arguments.of(PartSink.SyncResult.Status.DUPLICATE, new DeliveryResult.Completed(Completion.Outcome.DUPLICATE)),
            Arguments.of(PartSink.SyncResult.Status.REJECTED, new DeliveryResult.Retry(false, "rejected by the node: why")),
            Arguments.of(PartSink.SyncResult.Status.INCOMPATIBLE, new DeliveryResult.Park(ParkReason.INCOMPATIBLE, "why")),
            Arguments.of(PartSink.SyncResult.Status.POISON, new DeliveryResult.Park(ParkReason.POISON, "why")));
    }

    @ParameterizedTest
    @EnumSource(Status.Code.class)
    void shouldClassifyAStatusFromAnySinkAsTheGrpcSinkDoes(Status.Code code) {
        SinkException fromAnySink = SinkException.ofStatus(code, "x", null);

        assertThat(fromAnySink.nodeUnavailable()).as(code.name()).isEqualTo(NODE_LEVEL.contains(code));
    }

    @ParameterizedTest
    @MethodSource("answers")
    void shouldTurnEachReceiverAnswerIntoItsOutcome(PartSink.SyncResult.Status status, DeliveryResult expected) {
        assertThat(DeliveryFailures.ofAnswer(new PartSink.SyncResult(status, "why"))).isEqualTo(expected);
    }

    @ParameterizedTest
    @EnumSource(Status.Code.class)
    void shouldParkOnlyABundleTheSourceNoLongerHasAndWaitForAnUnreachableSourceWithoutSpendingTheBudget(Status.Code code) {
        DeliveryResult result = DeliveryFailures.ofSource(code, "source " + code);
        if (code == Status.Code.NOT_FOUND) {
            assertThat(result).isEqualTo(new DeliveryResult.Park(ParkReason.SOURCE_NOT_FOUND, "source NOT_FOUND"));
        } else if (NODE_LEVEL.contains(code)) {
            assertThat(result).isEqualTo(new DeliveryResult.SourceUnavailable("source " + code));
        } else {
            assertThat(result).isEqualTo(new DeliveryResult.Retry(false, "source " + code));
        }
    }
}
