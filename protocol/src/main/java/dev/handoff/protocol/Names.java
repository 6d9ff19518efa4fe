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

    /** Returns {@code value} when it is {@code valid}, else throws naming {@code field}, the value and {@code rule}. */
    public static <T> T check(boolean valid, String field, T value, String rule) {
        if (!valid) {
            throw new InvalidFieldException(field, value, rule);
        }
        return value;
    }

    /** Requires a non-null value, naming the field when it is missing. */
    public static <T> T required(String field, T value) {
        return check(value != null, field, value, "required");
    }

    /** Requires a non-negative number. */
    public static long nonNegative(String field, long value) {
        return check(value >= 0, field, value, "must be >= 0");
    }

    /** Requires a positive number. */
    public static long positive(String field, long value) {
        return check(value > 0, field, value, "must be > 0");
    }

    /** Requires a positive duration (null is refused too). */
    public static Duration positive(String field, Duration value) {
        return check(value != null && !value.isNegative() && !value.isZero(), field, value, "a positive duration");
    }

    /** Requires free text (an observer or operator id): 1-256 printable characters. */
    public static String requireText(String field, String value) {
        boolean valid = value != null && !value.isBlank() && value.length() <= 256
            && value.chars().noneMatch(c -> c < 0x20 || c == 0x7f);
        return check(valid, field, value, "1-256 printable characters, not blank");
    }

    /**
     * A field that only one kind of record carries: refuses a {@code value} when {@code kind} (the record's
     * {@code kindField}) is not {@code carrier}, and returns whether it is, for the caller to check the value then.
     */
    public static boolean onlyFor(String field, Object value, String kindField, Enum<?> kind, Enum<?> carrier) {
        if (kind != carrier && value != null) {
            throw new InvalidFieldException(field, value, "only for " + kindField + " " + carrier + ", not " + kind);
        }
        return kind == carrier;
    }
}
