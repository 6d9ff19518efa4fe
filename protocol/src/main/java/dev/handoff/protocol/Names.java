package dev.handoff.protocol;

import java.time.Duration;
import java.util.regex.Pattern;

/** The name rule for everything that becomes a path segment or part of a topic name. */
public final class Names {
    /** The rule, as it is written in every error. */
    public static final String RULE = "only [A-Za-z0-9._-], 1-128 characters, never \".\" or \"..\"";
    public static final int MAX_LENGTH = 128;
    private static final Pattern ALLOWED = Pattern.compile("[A-Za-z0-9._-]{1,128}");

    private Names() {
    }

    /** Returns {@code value} when it is a valid name, else throws naming {@code field}. */
    public static String requireName(String field, String value) {
        if (!isValid(value)) {
            throw new InvalidNameException(field, value, RULE);
        }
        return value;
    }

    public static boolean isValid(String value) {
        return value != null && ALLOWED.matcher(value).matches() && !value.equals(".") && !value.equals("..");
    }

    /** Requires a non-null value, naming the field when it is missing. */
    public static <T> T required(String field, T value) {
        if (value == null) {
            throw new InvalidFieldException(field, null, "required");
        }
        return value;
    }

    /** Requires a non-negative number. */
    public static long nonNegative(String field, long value) {
        if (value < 0) {
            throw new InvalidFieldException(field, value, "must be >= 0");
        }
        return value;
    }

    /** Requires a positive number. */
    public static long positive(String field, long value) {
        if (value <= 0) {
            throw new InvalidFieldException(field, value, "must be > 0");
        }
        return value;
    }

    /** Requires a positive duration (null is refused too). */
    public static Duration positive(String field, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new InvalidFieldException(field, value, "a positive duration");
        }
        return value;
    }

    /** Requires free text (an observer or operator id): 1-256 printable characters. */
    public static String requireText(String field, String value) {
        if (value == null || value.isBlank() || value.length() > 256 || value.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new InvalidFieldException(field, value, "1-256 printable characters, not blank");
        }
        return value;
    }
}
