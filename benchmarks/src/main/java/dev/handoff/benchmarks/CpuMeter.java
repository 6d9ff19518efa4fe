package dev.handoff.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * CPU used between {@link #start()} and {@link #stop()}: this process's CPU time (every role of a scenario runs
 * in the benchmark's JVM) and how busy the whole machine was ({@code /proc/stat}, other builds included).
 */
final class CpuMeter {
    private final long wall0;
    private final long cpu0;
    private final long[] stat0;

    /** What one interval cost. */
    record Usage(double seconds, double processCpuSeconds, double machineBusy, int cores) {
        /** Process CPU per unit of work, in microseconds. */
        double micros(long units) {
            return units == 0 ? 0 : processCpuSeconds * 1e6 / units;
        }

        /** e.g. "process 1.40 of 2 cores, machine 92% busy". */
        String describe() {
            return String.format(Locale.ROOT, "process %.2f of %d cores, machine %.0f%% busy", processCpuSeconds / seconds,
                cores, machineBusy * 100);
        }
    }

    private CpuMeter() {
        this.wall0 = System.nanoTime();
        this.cpu0 = processCpuNanos();
        this.stat0 = stat();
    }

    static CpuMeter start() {
        return new CpuMeter();
    }

    Usage stop() {
        double seconds = (System.nanoTime() - wall0) / 1e9;
        double cpu = (processCpuNanos() - cpu0) / 1e9;
        long[] stat1 = stat();
        double busy = Double.NaN;
        if (stat0 != null && stat1 != null && stat1[1] > stat0[1]) {
            busy = (double) (stat1[0] - stat0[0]) / (stat1[1] - stat0[1]);
        }
        return new Usage(seconds, cpu, busy, Runtime.getRuntime().availableProcessors());
    }

    static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return 0;
    }

    /** {busy jiffies, total jiffies} of the first line of /proc/stat, or null where there is none. */
    private static long[] stat() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < f.length; i++) {
                total += Long.parseLong(f[i]);
            }
            long idle = Long.parseLong(f[4]) + (f.length > 5 ? Long.parseLong(f[5]) : 0);
            return new long[] {total - idle, total};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
