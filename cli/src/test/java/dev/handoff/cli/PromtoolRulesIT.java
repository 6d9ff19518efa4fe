package dev.handoff.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The shipped alert rules through Prometheus' own {@code promtool}: they load ({@code check rules}), and each
 * alert fires on the synthetic series meant to trip it and stays silent on the others ({@code test rules}).
 */
class PromtoolRulesIT {
    private static final Path RULES = RepositoryRoot.find().resolve("deploy/prometheus");

    @Test
    void shouldPassPromtoolCheckRules() throws Exception {
        PrometheusServer.Result r = PrometheusServer.promtool(RULES, "check", "rules", "handoff-rules.yml");
        assertThat(r.code()).as(r.output()).isZero();
        assertThat(r.output()).contains("SUCCESS: 6 rules found");
    }

    @Test
    void shouldPassPromtoolTestRules() throws Exception {
        PrometheusServer.Result r = PrometheusServer.promtool(RULES, "test", "rules", "handoff-rules.test.yml");
        assertThat(r.code()).as(r.output()).isZero();
        assertThat(r.output()).contains("SUCCESS");
    }
}
