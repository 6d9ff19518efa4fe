package dev.handoff.protocol.common;

import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.SecurityDisabledException;
import org.apache.kafka.common.errors.UnsupportedVersionException;

/**
 * The one place a Kafka client failure is classified for the roles' long-running loops: fatal (retrying
 * cannot help: the principal lacks an ACL, the credentials are wrong, the configuration or the topic
 * names are invalid, the broker is too old) or retriable (everything else: a broker restart, a timeout,
 * a rebalance, a fenced producer). A fatal failure stops the role with one clear line and exit code 1
 * instead of rejoining forever. Stateless.
 */
public final class KafkaFailures {
    private KafkaFailures() {
    }

    /** True when retrying the same operation with the same configuration cannot succeed. */
    public static boolean isFatal(Throwable failure) {
        return fatalCause(failure) != null;
    }

    /** One line for the operator: what stopped, the fatal cause, and that retrying cannot fix it. */
    public static String describe(String what, Throwable failure) {
        Throwable cause = fatalCause(failure);
        Throwable shown = cause != null ? cause : failure;
        return what + " stopped: " + shown.getClass().getSimpleName() + ": " + shown.getMessage()
            + " (retrying cannot fix this; check the ACLs, credentials and settings given with --kafka-config)";
    }

    private static Throwable fatalCause(Throwable failure) {
        int depth = 0;
        for (Throwable t = failure; t != null && depth < 16; t = t.getCause(), depth++) {
            if (t instanceof AuthorizationException || t instanceof AuthenticationException
                || t instanceof SecurityDisabledException || t instanceof ConfigException
                || t instanceof InvalidTopicException || t instanceof UnsupportedVersionException) {
                return t;
            }
        }
        return null;
    }
}
