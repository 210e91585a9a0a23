package org.evault.protocol.client;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.netty.channel.Channel;

/**
 * One live channel to the daemon and the requests open on it. Requests belong to the connection
 * they were sent on: when it closes, exactly those fail.
 */
final class Connection {
    final Channel channel;
    final Map<Integer, PendingRequest> pending = new ConcurrentHashMap<>();
    private final Object writable = new Object();
    /** Why the connection ended, when known (TLS failure, the daemon's ERROR); set on the event loop. */
    volatile String closeReason;
    volatile Throwable closeCause;

    Connection(Channel channel) {
        this.channel = channel;
    }

    boolean isActive() {
        return channel.isActive();
    }

    /** Called on the event loop when channel writability changes. */
    void signalWritability() {
        synchronized (writable) {
            writable.notifyAll();
        }
    }

    /**
     * Blocks a pumping thread until the channel can take more bytes. False when the request is
     * over or the channel closed first.
     */
    boolean awaitWritable(PendingRequest request) throws InterruptedException {
        synchronized (writable) {
            while (!channel.isWritable()) {
                if (request.isDone() || !channel.isActive()) {
                    return false;
                }
                writable.wait(100);
            }
        }
        return !request.isDone() && channel.isActive();
    }
}
