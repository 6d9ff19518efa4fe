package dev.handoff.protocol;

/**
 * A value broke a rule of the contract. The message always names the field, the offending value
 * and the rule, e.g. {@code group "../x": only [A-Za-z0-9._-], 1-128 characters, never "." or ".."}.
 * Unchecked because it is thrown from record constructors.
 */
public class InvalidFieldException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final String field;

    public InvalidFieldException(String field, Object value, String rule) {
        super(field + " " + show(value) + ": " + rule);
        this.field = field;
    }

    /** The name of the field that broke its rule. */
    public String field() {
        return field;
    }

    /** Renders a value for an error message: quoted, control characters escaped, long values cut. */
    public static String show(Object value) {
        if (value == null) {
            return "null";
        }
        if (!(value instanceof CharSequence)) {
            return String.valueOf(value);
        }
        String s = value.toString();
        StringBuilder out = new StringBuilder("\"");
        int limit = Math.min(s.length(), 140);
        for (int i = 0; i < limit; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f || c == '"' || c == '\\') {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        if (s.length() > limit) {
            out.append("...(").append(s.length()).append(" chars)");
        }
        return out.append('"').toString();
    }
}
