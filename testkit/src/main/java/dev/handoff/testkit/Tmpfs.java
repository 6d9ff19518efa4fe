package dev.handoff.testkit;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A small tmpfs mounted on a directory, for tests whose fault is a full disk: writes past its size fail with
 * a real {@code ENOSPC} ("No space left on device"); directories and hard links take no space. Mounting needs
 * root on Linux: {@link #mount} skips the test (a JUnit assumption with the reason) otherwise. {@link #close()}
 * unmounts, so it goes in a try-with-resources around everything that keeps files open in it. Owned by the
 * test thread.
 */
public final class Tmpfs implements AutoCloseable {
    private static final int PAGE = 4096;
    private final Path dir;

    private Tmpfs(Path dir) {
        this.dir = dir;
    }

    /** Mounts a tmpfs of {@code bytes} (rounded up to pages) on {@code dir}, creating it; skips the test without root. */
    public static Tmpfs mount(Path dir, long bytes) throws IOException, InterruptedException {
        long uid = ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).longValue();
        assumeTrue(uid == 0, "mounting a tmpfs for a real ENOSPC needs root; this test runs as uid " + uid);
        Files.createDirectories(dir);
        run("mount", "-t", "tmpfs", "-o", "size=" + bytes, "tmpfs", dir.toString());
        return new Tmpfs(dir);
    }

    public Path dir() {
        return dir;
    }

    /** Bytes a new write can still get (whole pages). */
    public long usableBytes() throws IOException {
        return Files.getFileStore(dir).getUsableSpace();
    }

    /**
     * Writes {@code name} until only {@code leaveBytes} (rounded down to pages) are left; {@code 0} fills the file
     * system completely: the next write that needs a page fails with ENOSPC.
     */
    public Path fill(String name, long leaveBytes) throws IOException {
        Path filler = dir.resolve(name);
        long toWrite = usableBytes() - (leaveBytes / PAGE) * PAGE;
        byte[] page = new byte[PAGE];
        try (OutputStream out = Files.newOutputStream(filler)) {
            for (long left = toWrite; left > 0; left -= PAGE) {
                out.write(page, 0, (int) Math.min(PAGE, left));
            }
        }
        return filler;
    }

    /** Unmounts; fails when something still holds a file open in it. */
    @Override
    public void close() throws IOException, InterruptedException {
        run("umount", dir.toString());
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(new ArrayList<>(List.of(command))).redirectErrorStream(true).start();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", command) + " did not finish within 30 s");
        }
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed (exit " + p.exitValue() + "): " + output);
        }
    }
}
