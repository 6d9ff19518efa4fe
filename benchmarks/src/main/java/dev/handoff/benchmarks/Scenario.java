package dev.handoff.benchmarks;

import java.util.List;

/** One benchmark of the table: runs the system and its baseline in the same run. */
interface Scenario {
    String name();

    /** Runs the scenario against {@code ctx}; every result is printed as one line by {@link BenchMain}. */
    List<Result> run(BenchContext ctx) throws Exception;
}
