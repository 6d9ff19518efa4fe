package dev.handoff.protocol;

/** A node's health as the topology folds it. Events carry only UP or DOWN. */
public enum Health {
    UP, DOWN, UNKNOWN
}
