package dev.handoff.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The CPU time of each thread of this JVM between {@link #start()} and {@link #busiest}: a stage of a pipeline that
 * runs on one thread is the limit once that thread is near 100% of a core, however idle the other core is.
 */
final class ThreadCpu {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private final long wall0;
    private final Map<Long, Long> cpu0;

    private ThreadCpu() {
        this.wall0 = System.nanoTime();
        this.cpu0 = cpuByThread();
    }

    static ThreadCpu start() {
        return new ThreadCpu();
    }

    /** The {@code n} busiest threads since the start, busiest first: e.g. "grpc-default-executor-3 91%" (of one core). */
    String busiest(int n) {
        double wall = System.nanoTime() - wall0;
        Map<Long, Long> cpu1 = cpuByThread();
        List<long[]> used = new ArrayList<>();
        cpu1.forEach((id, nanos) -> used.add(new long[] {id, nanos - cpu0.getOrDefault(id, 0L)}));
        used.sort((a, b) -> Long.compare(b[1], a[1]));
        List<String> out = new ArrayList<>();
        for (long[] u : used.subList(0, Math.min(n, used.size()))) {
            ThreadInfo info = THREADS.getThreadInfo(u[0]);
            String name = info == null ? "thread " + u[0] + " (ended)" : info.getThreadName();
            out.add(String.format(Locale.ROOT, "%s %.0f%%", name, u[1] / wall * 100));
        }
        return String.join(", ", out);
    }

    private static Map<Long, Long> cpuByThread() {
        Map<Long, Long> out = new HashMap<>();
        if (!THREADS.isThreadCpuTimeSupported()) {
            return out;
        }
        for (long id : THREADS.getAllThreadIds()) {
            long nanos = THREADS.getThreadCpuTime(id);
            if (nanos >= 0) {
                out.put(id, nanos);
            }
        }
        return out;
    }
}
