package dev.handoff.cli;

import java.util.Locale;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Every long option can also come from the environment: {@code --bootstrap-servers} from
 * {@code HANDOFF_BOOTSTRAP_SERVERS}, {@code --store-max-bytes} from {@code HANDOFF_STORE_MAX_BYTES}.
 * An option given on the command line wins; without either, the option's default is its settings record's
 * ({@link SettingsDefaults}).
 */
final class EnvironmentDefaults implements CommandLine.IDefaultValueProvider {
    private final Map<String, String> env;

    EnvironmentDefaults() {
        this(System.getenv());
    }

    EnvironmentDefaults(Map<String, String> env) {
        this.env = env;
    }

    /** {@code --store-max-bytes} → {@code HANDOFF_STORE_MAX_BYTES}. */
    static String variableFor(String longName) {
        return "HANDOFF_" + longName.replaceFirst("^--", "").replace('-', '_').toUpperCase(Locale.ROOT);
    }

    @Override
    public String defaultValue(ArgSpec argSpec) {
        if (argSpec instanceof OptionSpec option && option.longestName().startsWith("--")) {
            String value = env.get(variableFor(option.longestName()));
            if (value != null) {
                return value;
            }
        }
        return argSpec.defaultValue() != null ? argSpec.defaultValue() : SettingsDefaults.of(argSpec).orElse(null);
    }
}
