package dev.handoff.producer;

/**
 * One target node's quota ({@code --store-max-bytes-per-node}) has no room for a bundle: the bytes of the stored
 * bundles still pending for that node plus this one would exceed it. Nothing was stored. Retriable, like a full
 * store: the quota frees as the node completes its bundles (or an operator truncates it).
 */
public final class NodeQuotaFullException extends StoreFullException {
    private static final long serialVersionUID = 1L;
    private final String node;

    public NodeQuotaFullException(String node, long currentBytes, long limitBytes, long requestedBytes) {
        super("node quota full: node " + node + " has current " + currentBytes + " bytes + requested " + requestedBytes
            + " bytes, exceeding its limit of " + limitBytes + " bytes (--store-max-bytes-per-node)",
            currentBytes, limitBytes, requestedBytes);
        this.node = node;
    }

    /** The target whose quota refused the bundle. */
    public String node() {
        return node;
    }
}
