package dev.handoff.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The generated script, sourced by a real bash, completes verbs and options from the launcher's own model. */
class CompletionCommandTest {
    @TempDir
    Path tmp;

    private static String script(String shell) {
        CliRun r = CliRun.of("completion", shell);
        assertThat(r.code()).isZero();
        return r.out();
    }

    /** What bash's completion function offers for the words typed so far (the last one being completed). */
    private String complete(String script, String... words) throws Exception {
        Path file = Files.writeString(tmp.resolve("handoff-completion.bash"), script);
        String line = "source " + file + "; COMP_WORDS=(" + String.join(" ", words) + "); COMP_CWORD=" + (words.length - 1)
            + "; COMP_LINE='" + String.join(" ", words) + "'; COMP_POINT=${#COMP_LINE}; _complete_handoff; printf '%s\\n' \"${COMPREPLY[@]}\"";
        Process bash = new ProcessBuilder("bash", "-c", line).redirectErrorStream(true).start();
        assertThat(bash.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String out = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(bash.exitValue()).as(out).isZero();
        return out;
    }

    @Test
    void shouldCompleteVerbsAndTheirOptionsInBash() throws Exception {
        String bash = script("bash");
        assertThat(complete(bash, "handoff", "en")).contains("enqueue");
        assertThat(complete(bash, "handoff", "enqueue", "--from")).contains("--from-file");
        assertThat(complete(bash, "handoff", "replayer", "--log-f")).contains("--log-format");
    }

    @Test
    void shouldGiveZshTheScriptThatLoadsBashCompletionEmulation() {
        String zsh = script("zsh");
        assertThat(zsh).contains("elif [ -n \"$ZSH_VERSION\" ]; then").contains("autoload -U +X bashcompinit && bashcompinit")
            .contains("complete -F _complete_handoff -o default handoff");
    }

    @Test
    void shouldRefuseAnUnknownShellAsBadUsage() {
        CliRun r = CliRun.of("completion", "fish");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("bash, zsh");
    }
}
