package dev.handoff.cli;

import picocli.CommandLine;
import picocli.CommandLine.Option;

/** The part store's size limits, for every verb that runs a producer ({@code producer}, {@code run}). */
public final class StoreLimitOptions {

    @Option(names = "--store-max-bytes", paramLabel = "BYTES", description = "Largest total size of stored bundles.")
    Long storeMaxBytes;

    @Option(names = "--store-max-percent", paramLabel = "PERCENT|off", converter = PercentOrOff.class,
        description = "Largest share of the store's file system stored bundles may use; 0 or off: none, "
            + "--store-max-bytes alone (default: ${DEFAULT-VALUE}). A file system that reports no size (some FUSE "
            + "and network ones) is limited by --store-max-bytes alone.")
    Double storeMaxPercent;

    public Long maxBytes() {
        return storeMaxBytes;
    }

    public Double maxPercent() {
        return storeMaxPercent;
    }

    /** {@code off} is 0, which the producer's settings take as no percentage limit. */
    static final class PercentOrOff implements CommandLine.ITypeConverter<Double> {
        @Override
        public Double convert(String value) {
            return "off".equalsIgnoreCase(value.strip()) ? 0.0 : Double.valueOf(value);
        }
    }
}
