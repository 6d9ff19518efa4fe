package dev.handoff.cli;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import java.util.Iterator;
import org.slf4j.LoggerFactory;

/**
 * {@code --log-format} of the roles: {@code text} (the pattern of logback.xml) or {@code json}, Logback's own
 * {@link JsonEncoder}: one JSON object per line with {@code timestamp}, {@code level}, {@code threadName},
 * {@code loggerName}, {@code formattedMessage} (the message with its arguments filled in), the key-values logged with it ({@code node}, {@code part},
 * {@code attempt}, ...) in {@code kvpList}, and {@code throwable} when there is one.
 */
enum LogFormat {
    text, json;

    /** Puts every console/file appender of the root logger on this format (text leaves the configuration alone). */
    void apply() {
        if (this == text || !(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return;
        }
        ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext(); ) {
            if (it.next() instanceof OutputStreamAppender<ILoggingEvent> appender && !(appender.getEncoder() instanceof JsonEncoder)) {
                JsonEncoder encoder = new JsonEncoder();
                encoder.setContext(context);
                // what an operator searches for; the sequence number, nanoseconds and the logger context are noise
                encoder.setWithSequenceNumber(false);
                encoder.setWithNanoseconds(false);
                encoder.setWithContext(false);
                encoder.setWithArguments(false);
                encoder.setWithMessage(false);
                encoder.setWithFormattedMessage(true);
                encoder.start();
                appender.stop();
                appender.setEncoder(encoder);
                appender.start();
            }
        }
    }
}
