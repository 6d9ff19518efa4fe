package dev.handoff.banyandb;

import io.grpc.Status;

/** A Go error of BanyanDB's handler: the stream ends with this status (UNKNOWN unless said) and text. */
final class ReceiverStreamError extends Exception {
    private static final long serialVersionUID = 1L;
    final transient Status status;

    ReceiverStreamError(Status status, String text) {
        super(text);
        this.status = status.withDescription(text);
    }

    static ReceiverStreamError unknown(String text) {
        return new ReceiverStreamError(Status.UNKNOWN, text);
    }
}
