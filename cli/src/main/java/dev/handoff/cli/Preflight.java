package dev.handoff.cli;

import java.util.ArrayList;
import java.util.List;

/** The outcome of {@code handoff doctor}'s checks, one line each. Confined to the thread that runs the verb. */
final class Preflight {
    /** How a check ended: a FAIL makes the verb exit 1; SKIP says why a check could not run. */
    enum Status {
        OK, FAIL, SKIP
    }

    /** One check's line: its name, how it ended, and the detail an operator acts on. */
    record Check(String name, Status status, String detail) {
        static Check ok(String name, String detail) {
            return new Check(name, Status.OK, detail);
        }

        static Check fail(String name, String detail) {
            return new Check(name, Status.FAIL, detail);
        }

        static Check skip(String name, String detail) {
            return new Check(name, Status.SKIP, detail);
        }

        /** {@code OK    name: detail}, aligned. */
        String line() {
            return String.format("%-5s %s: %s", status, name, detail);
        }
    }

    private final List<Check> checks = new ArrayList<>();

    void add(Check check) {
        checks.add(check);
    }

    List<Check> checks() {
        return List.copyOf(checks);
    }

    boolean failed() {
        return checks.stream().anyMatch(c -> c.status() == Status.FAIL);
    }

    /** A one-line summary: how many checks passed, failed (named) and were skipped. */
    String summary() {
        List<String> failed = checks.stream().filter(c -> c.status() == Status.FAIL).map(Check::name).toList();
        long ok = checks.stream().filter(c -> c.status() == Status.OK).count();
        long skipped = checks.stream().filter(c -> c.status() == Status.SKIP).count();
        return "doctor: " + ok + " ok, " + failed.size() + " failed" + (failed.isEmpty() ? "" : " (" + String.join(", ", failed) + ")")
            + ", " + skipped + " skipped";
    }

    /** The message of a failure, with its cause's when it only wraps one (ExecutionException). */
    static String why(Throwable e) {
        Throwable t = e instanceof java.util.concurrent.ExecutionException && e.getCause() != null ? e.getCause() : e;
        String m = t.getMessage();
        return t.getClass().getSimpleName() + (m == null || m.isBlank() ? "" : ": " + m);
    }
}
