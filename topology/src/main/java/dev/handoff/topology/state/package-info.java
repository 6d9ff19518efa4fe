/**
 * Records the topology keeps in its state stores and sends through its internal (repartition)
 * topics. They are JSON like the contract records, but they are not part of the contract: only the
 * topology reads them.
 */
package dev.handoff.topology.state;
