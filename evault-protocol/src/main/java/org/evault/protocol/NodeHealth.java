package org.evault.protocol;

/** A daemon's counters as HealthReply reports them; every count is non-negative. */
public record NodeHealth(String nodeId, long uptimeMillis, long documents, long bytesStored, long freeBytes,
        long requestsServed, long requestsFailed, int openConnections) {
    public NodeHealth {
        Utf8Fields.check(nodeId, "nodeId", 1, Message.Hello.MAX_NODE_ID_BYTES);
        if (uptimeMillis < 0 || documents < 0 || bytesStored < 0 || freeBytes < 0 || requestsServed < 0
                || requestsFailed < 0 || openConnections < 0) {
            throw new IllegalArgumentException("health counters must not be negative: uptime " + uptimeMillis
                    + ", documents " + documents + ", bytes " + bytesStored + ", free " + freeBytes + ", served "
                    + requestsServed + ", failed " + requestsFailed + ", connections " + openConnections);
        }
    }
}
