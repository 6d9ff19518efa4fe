package dev.handoff.producer;

import static java.util.Objects.requireNonNullElse;

import dev.handoff.protocol.Names;
import dev.handoff.protocol.NodeAddress;
import dev.handoff.protocol.common.TlsConfig;
import java.time.Duration;
import java.util.List;

/**
 * How the producer's {@link HealthMonitor} checks the data nodes.
 *
 * @param interval          {@code --health-interval}: how often every known node is checked; null for 1 s
 * @param timeout           {@code --health-timeout}: deadline of one check; null for 800 ms
 * @param heartbeatInterval {@code --health-heartbeat}: how often the current health of every node is published even
 *                          without a transition; null for 10 s
 * @param nodes             {@code --nodes}: data nodes to watch from the start ({@code host:port,...}); every node
 *                          enqueued for is added at run time. Null for none.
 * @param tls               {@code --client-tls-ca}, {@code --client-tls-cert}, {@code --client-tls-key}: TLS of the
 *                          check channels; null for plaintext
 */
public record HealthCheckSettings(Duration interval, Duration timeout, Duration heartbeatInterval, List<String> nodes,
                                  TlsConfig tls) {
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(1);
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMillis(800);
    public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofSeconds(10);

    public HealthCheckSettings {
        interval = Names.positive("healthInterval", requireNonNullElse(interval, DEFAULT_INTERVAL));
        timeout = Names.positive("healthTimeout", requireNonNullElse(timeout, DEFAULT_TIMEOUT));
        heartbeatInterval = Names.positive("heartbeatInterval",
            requireNonNullElse(heartbeatInterval, DEFAULT_HEARTBEAT_INTERVAL));
        nodes = List.copyOf(requireNonNullElse(nodes, List.of()));
        nodes.forEach(n -> NodeAddress.require("nodes", n));
    }
}
