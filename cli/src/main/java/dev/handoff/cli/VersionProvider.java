package dev.handoff.cli;

import picocli.CommandLine;

/** Version from the jar manifest (or "dev" when run from classes). */
final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = Main.class.getPackage().getImplementationVersion();
        return new String[] {"handoff " + (v == null ? "dev" : v) + ", Kafka clients "
            + org.apache.kafka.common.utils.AppInfoParser.getVersion() + ", Java " + Runtime.version()};
    }
}
