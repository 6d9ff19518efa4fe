package dev.handoff.protocol;

/** A name that becomes a path segment or a topic name broke the name rule. */
public class InvalidNameException extends InvalidFieldException {
    private static final long serialVersionUID = 1L;

    public InvalidNameException(String field, Object value, String rule) {
        super(field, value, rule);
    }
}
