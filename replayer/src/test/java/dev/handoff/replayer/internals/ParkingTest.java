package dev.handoff.replayer.internals;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.protocol.PartKey;
import dev.handoff.protocol.common.HandoffHeaders;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

class ParkingTest {

    @Test
    void shouldKeepTheOriginalBytesAndSayWhyAndWhereFrom() {
        // Given a consumed record
        byte[] value = "{not json".getBytes(StandardCharsets.UTF_8);
        ConsumerRecord<String, byte[]> original = new ConsumerRecord<>("handoff.node.x", 2, 41, "g/1", value);

        // When it is parked
        ProducerRecord<String, byte[]> parked = Parking.record("handoff.parked", "x:1", original, "invalid-record", "not JSON", 3);

        // Then value and key are as expected and every header is present
        assertThat(parked.topic()).isEqualTo("handoff.parked");
        assertThat(parked.key()).isEqualTo("x:1");
        assertThat(parked.value()).isEqualTo(value);
        assertThat(header(parked, HandoffHeaders.REASON)).isEqualTo("invalid-record");
        assertThat(header(parked, HandoffHeaders.ERROR)).isEqualTo("not JSON");
        assertThat(header(parked, HandoffHeaders.ATTEMPTS)).isEqualTo("3");
        assertThat(header(parked, HandoffHeaders.TOPIC)).isEqualTo("handoff.node.x");
        assertThat(header(parked, HandoffHeaders.PARTITION)).isEqualTo("2");
        assertThat(header(parked, HandoffHeaders.OFFSET)).isEqualTo("41");
    }

    @Test
    void shouldReadThePartKeyOfAnOtherwiseInvalidRecord() {
        byte[] partial = "{\"v\":1,\"liaison\":\"l1\",\"group\":\"g\",\"shard\":2,\"partId\":\"00000000000000ff\",\"types\":[]}"
            .getBytes(StandardCharsets.UTF_8);

        assertThat(Parking.partKeyOf(partial)).isEqualTo(new PartKey("l1", "g", 2, 255));
        assertThat(Parking.partKeyOf("{broken".getBytes(StandardCharsets.UTF_8))).isNull();
        assertThat(Parking.partKeyOf("{\"liaison\":\"../x\",\"group\":\"g\",\"shard\":2,\"partId\":\"00000000000000ff\"}"
            .getBytes(StandardCharsets.UTF_8))).isNull();
    }

    private static String header(ProducerRecord<String, byte[]> r, String key) {
        return new String(r.headers().lastHeader(key).value(), StandardCharsets.UTF_8);
    }
}
