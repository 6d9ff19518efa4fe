package dev.handoff.replayer.internals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.handoff.protocol.InvalidFieldException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AddressAllowlistTest {

    @Test
    void shouldAllowEveryHostWhenEmpty() {
        assertThat(AddressAllowlist.of("allowedNodes", List.of()).allows("anything.example:1")).isTrue();
        assertThat(AddressAllowlist.of("allowedNodes", null).allows("[::1]:1")).isTrue();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource({
        "datanode-1.prod.example:17912, true",
        "DataNode-7.PROD.example:1, true",
        "liaison-3:17913, true",
        "liaison-33:17913, false",
        "datanode-1.prod.example.attacker.example:1, false",
        "evil.example:17912, false"})
    void shouldMatchHostPatternsCaseInsensitivelyOnTheHostOnly(String address, boolean allowed) {
        AddressAllowlist list = AddressAllowlist.of("allowedNodes", List.of("datanode-*.prod.example", "liaison-?"));
        assertThat(list.allows(address)).isEqualTo(allowed);
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource({
        "10.1.200.3:17913, true",
        "10.2.0.1:17913, false",
        "[fd12::1]:17913, true",
        "[fe80::1]:17913, false",
        "192.0.2.7:1, true",
        "192.0.2.8:1, false"})
    void shouldMatchIpLiteralsAgainstCidrs(String address, boolean allowed) {
        AddressAllowlist list = AddressAllowlist.of("allowedSources", List.of("10.1.0.0/16", "fd00::/8", "192.0.2.7/32"));
        assertThat(list.allows(address)).isEqualTo(allowed);
    }

    @Test
    void shouldNeverResolveANameToMatchACidr() {
        // localhost resolves to 127.0.0.1, but a name is never resolved to match a CIDR
        assertThat(AddressAllowlist.of("allowedSources", List.of("127.0.0.0/8")).allows("localhost:1")).isFalse();
        assertThat(AddressAllowlist.of("allowedSources", List.of("0.0.0.0/0")).allows("[::1]:1")).isFalse();
    }

    @Test
    void shouldRefuseBadPatternsNamingTheField() {
        for (String bad : new String[] {"", "10.0.0.0/33", "10.0.0.0/x", "host/8", "a b", "evil.example:80", "a/1/2"}) {
            assertThatThrownBy(() -> AddressAllowlist.of("allowedNodes", List.of(bad)))
                .as(bad).isInstanceOf(InvalidFieldException.class).hasMessageContaining("allowedNodes");
        }
    }
}
