package dev.handoff.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class NodeAddressTest {
    private static final String LABEL_63 = "a" + "-b".repeat(30) + "cd";

    @ParameterizedTest
    @ValueSource(strings = {"host:1", "host:65535", "10.0.0.1:9000", "[::1]:9000", "[2001:db8::1]:17912",
        "[2001:DB8:0:0:0:0:0:1]:1", "[::ffff:10.0.0.1]:80", "datanode-1.banyandb.svc.cluster.local:17912",
        "DataNode-1.Example.COM:17912", "a-b-c-d-e.f-g-h:4", "x:8080", "0:1"})
    void shouldAcceptAddress(String address) {
        // Given a host (DNS name, IPv4 or bracketed IPv6) and a port 1-65535
        // When / Then it is accepted unchanged
        assertThat(NodeAddress.require("node", address)).isEqualTo(address);
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "host", "host:", ":80", "host:0", "host:65536", "host:99999", "host:080", "host:-1",
        "host:+80", "host:8 0", "a b:1", "../x:1", "./x:1", "x/y:1", "[::1]", "::1:80", "[::1:80", "::1]:80", "[]:80",
        "[1.2]:80", "[fe80::1%eth0]:80", "hóst:1", "host:１", "-host:1", "host-:1", "a..b:1", ".host:1", "host.:1",
        "host:1\n", "host_1:1", "host:1:2"})
    void shouldRefuseInvalidAddress(String address) {
        // Given no address, or something that is not host:port with a port 1-65535
        // When / Then it is refused naming the field, the value and the rule
        assertThatThrownBy(() -> NodeAddress.require("node", address))
            .isInstanceOf(InvalidFieldException.class)
            .hasMessageStartingWith("node " + InvalidFieldException.show(address) + ": ")
            .hasMessageContaining(NodeAddress.RULE);
    }

    @Test
    void shouldRefuseDnsLabelOf64Characters() {
        // Given a label one character longer than DNS allows
        String address = LABEL_63 + "x:1";

        // When / Then it is refused
        assertThat(NodeAddress.isValid(address)).isFalse();
    }

    @ParameterizedTest(name = "{0} characters")
    @CsvSource({"253, 65535, true", "254, 1, false"})
    void shouldAcceptDnsNamesOfAtMost253Characters(int length, int port, boolean valid) {
        // Given a DNS name of 63-character labels with dashes, of the given length
        String host = String.join(".", LABEL_63, LABEL_63, LABEL_63, LABEL_63.substring(0, length - 3 * 64));
        assertThat(host).hasSize(length);

        // When / Then host:port is accepted up to 253 characters, refused beyond
        assertThat(NodeAddress.isValid(host + ":" + port)).isEqualTo(valid);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "datanode-1:17912|datanode-1|17912",
        "10.0.0.1:9000|10.0.0.1|9000",
        "[::1]:9000|::1|9000",
        "[2001:db8::1]:17912|2001:db8::1|17912",
    })
    void shouldSplitHostAndPort(String address, String host, int port) {
        // Given a valid address
        // When / Then host (without brackets) and port are its parts
        assertThat(NodeAddress.host(address)).isEqualTo(host);
        assertThat(NodeAddress.port(address)).isEqualTo(port);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "datanode-1:17912|datanode-1.3a17912",
        "10.0.0.1:9000|10.2e0.2e0.2e1.3a9000",
        "[::1]:9000|.5b.3a.3a1.5d.3a9000",
        "Host-A:1|Host-A.3a1",
    })
    void shouldEscapeAddressIntoToken(String address, String token) {
        // Given a valid address
        // When / Then plain characters stay and every other one becomes '.' and two lowercase hex digits
        assertThat(NodeAddress.token(address)).isEqualTo(token);
        assertThat(NodeAddress.fromToken(token)).isEqualTo(address);
    }

    @ParameterizedTest
    @ValueSource(strings = {"a_b", "a.zz", "a.", "a.3", "a.61", "host.3A1", "host.3a", "host.3a0", "host.3a080",
        "host", "", "host.5f1", ".2ehost.3a1", "ho st.3a1", "h\u00e9.3a1"})
    void shouldRefuseTokenItNeverMakes(String token) {
        // Given text that token() never produces (bad escapes, escaped plain characters, or not an address)
        // When / Then it is refused naming the token
        assertThatThrownBy(() -> NodeAddress.fromToken(token))
            .isInstanceOf(InvalidFieldException.class)
            .hasMessageStartingWith("token ");
    }

    @Test
    void shouldRefuseTokenOfInvalidAddress() {
        // Given an invalid address
        // When / Then no token is made for it
        assertThatThrownBy(() -> NodeAddress.token("../x:1"))
            .isInstanceOf(InvalidFieldException.class)
            .hasMessageContaining("node \"../x:1\"");
    }
}
