package dev.handoff.cli;

import java.io.PrintWriter;

/**
 * A progress bar on a terminal ({@code \r}-redrawn), or a line every few seconds when the output is a file
 * or a pipe (CI logs stay readable). Confined to one thread.
 */
final class Progress {
    private static final int WIDTH = 30;
    private final PrintWriter out;
    private final String label;
    private final int total;
    private final boolean terminal = System.console() != null;
    private long lastLine;
    private int lastDone = -1;

    Progress(PrintWriter out, String label, int total) {
        this.out = out;
        this.label = label;
        this.total = Math.max(1, total);
    }

    void update(int done, String suffix) {
        long now = System.nanoTime();
        if (terminal) {
            int filled = (int) ((long) WIDTH * done / total);
            out.print("\rquickstart: " + label + "[" + "#".repeat(filled) + "-".repeat(WIDTH - filled) + "] " + done + "/"
                + total + suffix + "   ");
            out.flush();
        } else if (done != lastDone && (now - lastLine > 2_000_000_000L || done == total)) {
            out.println("quickstart: " + label + done + "/" + total + suffix);
            out.flush();
            lastLine = now;
        }
        lastDone = done;
    }

    void done() {
        if (terminal) {
            out.println();
            out.flush();
        }
    }
}
