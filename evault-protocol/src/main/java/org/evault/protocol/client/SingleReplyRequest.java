package org.evault.protocol.client;

import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

import org.evault.protocol.Message;

/** A request answered by one reply of a known type (list, delete, health, scrub, deposit). */
final class SingleReplyRequest<R extends Message, T> extends PendingRequest {
    private final Class<R> replyType;
    private final Function<R, T> result;
    private final CompletableFuture<T> future;

    SingleReplyRequest(DaemonClient client, Connection connection, int id, String kind, Class<R> replyType,
            Function<R, T> result, CompletableFuture<T> future) {
        super(client, connection, id, kind, future);
        this.replyType = replyType;
        this.result = result;
        this.future = future;
    }

    @Override
    void handle(Message message) {
        if (!replyType.isInstance(message)) {
            unexpected(message);
            return;
        }
        finish();
        future.complete(result.apply(replyType.cast(message)));
    }

    @Override
    void fail(Throwable cause) {
        finish();
        future.completeExceptionally(cause);
    }
}
