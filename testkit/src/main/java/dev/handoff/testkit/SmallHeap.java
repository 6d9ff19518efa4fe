package dev.handoff.testkit;

/**
 * The precondition of a test that streams a file larger than the JVM's heap: only on such a heap does it prove that
 * memory stays bounded (each module runs its {@code *LargeIT} in a Failsafe execution of its own with a small -Xmx).
 */
public final class SmallHeap {
    private SmallHeap() {
    }

    /** Fails the test unless this JVM's maximum heap is smaller than {@code fileBytes}. */
    public static void requireSmallerThan(long fileBytes) {
        long heap = Runtime.getRuntime().maxMemory();
        if (heap >= fileBytes) {
            throw new AssertionError("the heap (" + heap + " bytes) is not smaller than the file (" + fileBytes
                + " bytes): run this test in its module's large Failsafe execution (-Xmx128m)");
        }
    }
}
