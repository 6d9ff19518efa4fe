package dev.handoff.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** The machine a run happened on, read at run time: cores, memory, disk, JVM, OS. */
final class Machine {
    private Machine() {
    }

    static List<String> describe(Path workParent) {
        return List.of(
            "cores: " + Runtime.getRuntime().availableProcessors() + " (" + cpuModel() + ")",
            "memory: " + gib(totalMemory()) + " GiB physical; benchmark JVM max heap " + gib(Runtime.getRuntime().maxMemory()) + " GiB",
            "disk: " + disk(workParent),
            "JVM: " + System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version")
                + " (" + System.getProperty("java.vm.vendor") + ")",
            "OS: " + System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"),
            "load: the benchmark does not stop other work on the machine, so each row's load counts it too (and "
                + "the scenario's own); load averages (1/5/15 min) at the end of the run: " + loadAverages() + "; each row gives the 1-minute load when its "
                + "scenario ended");
    }

    /** {@code /proc/loadavg}'s three load averages, e.g. {@code "3.10 2.40 1.90"}. */
    static String loadAverages() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return String.format(Locale.ROOT, "%.2f", loadAverage1());
        }
    }

    static double loadAverage1() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("unknown model");
        } catch (IOException e) {
            return "unknown model";
        }
    }

    private static long totalMemory() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getTotalMemorySize();
        }
        return Runtime.getRuntime().maxMemory();
    }

    private static String disk(Path dir) {
        try {
            FileStore store = Files.getFileStore(dir);
            String dev = store.name();
            String rotational = "unknown";
            String base = dev.startsWith("/dev/") ? dev.substring(5).replaceAll("[0-9]+$", "") : "";
            Path rot = Path.of("/sys/block", base, "queue/rotational");
            if (!base.isEmpty() && Files.exists(rot)) {
                rotational = Files.readString(rot).trim().equals("1") ? "rotational" : "non-rotational (SSD/virtual)";
            }
            return dev + " " + store.type() + ", " + gib(store.getTotalSpace()) + " GiB total, " + rotational
                + "; work files in " + dir;
        } catch (IOException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }

    private static String gib(long bytes) {
        return String.format(Locale.ROOT, "%.1f", bytes / (double) (1L << 30));
    }
}
