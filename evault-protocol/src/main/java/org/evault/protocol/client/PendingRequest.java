package org.evault.protocol.client;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import org.evault.protocol.Message;
import org.evault.protocol.Message.Cancel;
import org.evault.protocol.Message.ErrorReply;

/**
 * One open request: its id, its connection, its future, its progress clock. Subclasses say what
 * the daemon's replies mean. {@link #onMessage} runs on the event loop and owns the message.
 */
abstract class PendingRequest {
    final int id;
    final String kind;
    final Connection connection;
    final DaemonClient client;
    private final CompletableFuture<?> future;
    private volatile long lastProgressNanos = System.nanoTime();
    private volatile ScheduledFuture<?> timeoutTask;
    private volatile boolean finished;

    PendingRequest(DaemonClient client, Connection connection, int id, String kind, CompletableFuture<?> future) {
        this.client = client;
        this.connection = connection;
        this.id = id;
        this.kind = kind;
        this.future = future;
    }

    /** Registers the request and starts its timeout; a cancelled future sends a Cancel. */
    void start() {
        connection.pending.put(id, this);
        future.whenComplete((v, e) -> {
            if (e instanceof CancellationException) {
                finish();
                sendCancel();
            }
        });
        scheduleTimeout(client.options().requestTimeout().toNanos());
    }

    /** Whether the request is over: terminal reply, failure, cancel or timeout. */
    boolean isDone() {
        return finished;
    }

    /** Marks the request over: no more replies are routed to it, its timeout stops. */
    final void finish() {
        finished = true;
        connection.pending.remove(id, this);
        if (timeoutTask != null) {
            timeoutTask.cancel(false);
        }
    }

    void progress() {
        lastProgressNanos = System.nanoTime();
    }

    /** Handles a reply for this request; releases it unless it keeps it. */
    final void onMessage(Message message) {
        progress();
        try {
            if (message instanceof ErrorReply) {
                ErrorReply e = (ErrorReply) message;
                fail(new DaemonErrorException(client.label() + " (request " + kind + " " + Integer.toUnsignedString(id)
                        + ")", e.code(), e.message()));
                return;
            }
            handle(message);
        } catch (RuntimeException e) {
            ReferenceCountUtil.release(message);
            fail(new DaemonException(client.label() + " sent a reply that breaks the protocol for " + kind + ": "
                    + e.getMessage(), e));
        }
    }

    /** A reply other than ERROR; must release chunks it does not keep. */
    abstract void handle(Message message);

    /** Fails the request (its future, and any stream it feeds) and {@link #finish()}es it. */
    abstract void fail(Throwable cause);

    /** The wrong reply for this request. */
    final void unexpected(Message message) {
        ReferenceCountUtil.release(message);
        fail(new DaemonException(client.label() + " answered " + kind + " with " + message.type()));
    }

    void sendCancel() {
        if (connection.isActive()) {
            connection.channel.writeAndFlush(new Cancel(id));
        }
    }

    private void scheduleTimeout(long delayNanos) {
        if (finished) {
            return;
        }
        timeoutTask = connection.channel.eventLoop().schedule(this::checkTimeout, delayNanos, TimeUnit.NANOSECONDS);
    }

    private void checkTimeout() {
        if (isDone()) {
            return;
        }
        long limit = client.options().requestTimeout().toNanos();
        long idle = System.nanoTime() - lastProgressNanos;
        if (idle >= limit) {
            fail(new DaemonTimeoutException(client.label() + " made no progress on " + kind + " request "
                    + Integer.toUnsignedString(id) + " for " + client.options().requestTimeout().toMillis() + " ms"));
            sendCancel();
        } else {
            scheduleTimeout(limit - idle);
        }
    }
}
