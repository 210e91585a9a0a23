package org.evault.protocol.client;

import java.util.concurrent.CompletableFuture;

import org.evault.protocol.Message;
import org.evault.protocol.Message.RetrieveChunk;
import org.evault.protocol.Message.RetrieveEnd;
import org.evault.protocol.Message.RetrieveHeader;

/** A retrieve: the header completes the future, chunks feed the body stream, the end ends it. */
final class RetrieveRequestState extends PendingRequest {
    private final CompletableFuture<Retrieval> future;
    private volatile SliceStream body;

    RetrieveRequestState(DaemonClient client, Connection connection, int id, CompletableFuture<Retrieval> future) {
        super(client, connection, id, "retrieve", future);
        this.future = future;
    }

    @Override
    void handle(Message message) {
        if (body == null) {
            if (!(message instanceof RetrieveHeader)) {
                unexpected(message);
                return;
            }
            RetrieveHeader h = (RetrieveHeader) message;
            body = new SliceStream(this, client.options().retrieveWindowBytes());
            if (!future.complete(new Retrieval(h.header(), h.segmentHashes(), body))) {
                body.close(); // cancelled meanwhile
            }
            return;
        }
        if (message instanceof RetrieveChunk) {
            body.offer(((RetrieveChunk) message).content());
        } else if (message instanceof RetrieveEnd) {
            finish();
            body.end();
        } else {
            unexpected(message);
        }
    }

    @Override
    void fail(Throwable cause) {
        finish();
        if (!future.completeExceptionally(cause) && body != null) {
            body.fail(cause);
        }
    }

    /** The reader consumed bytes: let the daemon send that many more. Any thread. */
    void grant(int bytes) {
        if (!isDone() && connection.isActive()) {
            connection.channel.writeAndFlush(new Message.RetrieveCredit(id, bytes));
        }
    }

    /** The reader closed the stream before its end: abandon the request. */
    void abandon() {
        if (!isDone()) {
            finish();
            sendCancel();
        }
    }
}
