package dev.handoff.protocol.common;

import java.nio.file.FileSystemException;
import java.util.Locale;

/**
 * Recognises a full file system ({@code ENOSPC}, or {@code EDQUOT} for a quota) in an I/O failure. Java has
 * no error code for it: the JDK puts the C library's message into the exception, so this matches that text,
 * anywhere in the cause chain. Stateless.
 */
public final class NoSpace {
    private NoSpace() {
    }

    /** True when {@code error} or one of its causes says the device has no space (or the quota is used up). */
    public static boolean isNoSpace(Throwable error) {
        int depth = 0;
        for (Throwable t = error; t != null && depth < 16; t = t.getCause(), depth++) {
            String text = t instanceof FileSystemException fs ? fs.getReason() + " " + fs.getMessage() : t.getMessage();
            if (text != null) {
                String lower = text.toLowerCase(Locale.ROOT);
                if (lower.contains("no space left on device") || lower.contains("disk quota exceeded")) {
                    return true;
                }
            }
        }
        return false;
    }
}
