package dev.handoff.protocol;

import java.util.regex.Pattern;

/** Part ids are unsigned 64-bit numbers, written everywhere as 16 lowercase hex digits. */
public final class PartIds {
    public static final String RULE = "16 lowercase hex digits";
    private static final Pattern HEX16 = Pattern.compile("[0-9a-f]{16}");

    private PartIds() {
    }

    public static String toHex(long partId) {
        String hex = Long.toHexString(partId);
        return "0".repeat(16 - hex.length()) + hex;
    }

    public static long parseHex(String field, String hex) {
        return Long.parseUnsignedLong(Names.check(hex != null && HEX16.matcher(hex).matches(), field, hex, RULE), 16);
    }
}
