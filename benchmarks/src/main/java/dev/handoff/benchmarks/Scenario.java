package dev.handoff.benchmarks;

import java.nio.file.Path;
import java.util.List;

/**
 * One benchmark of the table: runs the system and its baseline in the same run. Its name is the key it
 * stands under in {@link BenchMain#SCENARIOS}, so the names are written once.
 */
interface Scenario {
    /**
     * Runs the scenario once against {@code ctx} in {@code work}, a fresh empty directory that {@link BenchMain}
     * deletes after the run; rows are named {@code name} or {@code name.<suffix>}, each printed as one line.
     */
    List<Result> run(BenchContext ctx, String name, Path work) throws Exception;
}
