package org.evault.protocol.server;

import java.io.IOException;
import java.util.Objects;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import org.evault.protocol.ErrorCode;
import org.evault.protocol.Message.ErrorReply;
import org.evault.protocol.Message.RetrieveChunk;
import org.evault.protocol.Message.RetrieveEnd;
import org.evault.protocol.Message.RetrieveHeader;
import org.evault.protocol.Message.RetrieveRequest;

/**
 * The daemon's side of one retrieval: sends the header, then the slice bytes from a
 * {@link SliceSource} as RetrieveChunks, never more than the client's window allows and only
 * while the channel is writable, then RetrieveEnd (docs/protocol.md, "Flow control").
 *
 * <p>Usage from the daemon's handler, all on the channel's event loop: on RetrieveRequest,
 * {@code new RetrievalSender(ctx, request, chunkBytes, source).start(header)}; on RetrieveCredit,
 * {@link #credit}; on channelWritabilityChanged, {@link #resume} for each open sender; on
 * Cancel, {@link #cancel}; on channelInactive, {@link #abort}. Drop it once {@link #isDone()}.
 *
 * <h2>Pitfalls</h2>
 * Event-loop confined: not thread-safe, and {@link SliceSource#read} runs on the event loop, so
 * it must be a quick read (a file region from the page cache is; a network fetch is not).
 */
public final class RetrievalSender {
    /** Where the slice bytes come from; closed exactly once, when the sender is done. */
    public interface SliceSource extends AutoCloseable {
        /**
         * Appends up to {@code maxBytes} bytes to {@code target}.
         *
         * @return the number of bytes appended, or -1 at the end of the slice
         */
        int read(ByteBuf target, int maxBytes) throws IOException;

        @Override
        default void close() throws IOException {
        }
    }

    private final ChannelHandlerContext ctx;
    private final int requestId;
    private final int chunkBytes;
    private final SliceSource source;
    private long credit;
    private boolean started;
    private boolean done;
    private long bytesSent;

    /**
     * @param chunkBytes largest chunk to send; at most the limits' maxChunkBytes
     */
    public RetrievalSender(ChannelHandlerContext ctx, RetrieveRequest request, int chunkBytes, SliceSource source) {
        this.ctx = Objects.requireNonNull(ctx, "ctx");
        this.requestId = request.requestId();
        if (chunkBytes < 1) {
            throw new IllegalArgumentException("chunkBytes must be positive: " + chunkBytes);
        }
        this.chunkBytes = chunkBytes;
        this.source = Objects.requireNonNull(source, "source");
        this.credit = request.windowBytes();
    }

    /** Sends the header and as many chunks as the window and the channel allow. */
    public void start(RetrieveHeader header) {
        if (started) {
            throw new IllegalStateException("retrieval " + Integer.toUnsignedString(requestId) + " already started");
        }
        if (header.requestId() != requestId) {
            throw new IllegalArgumentException("header for request " + Integer.toUnsignedString(header.requestId())
                    + ", not " + Integer.toUnsignedString(requestId));
        }
        started = true;
        ctx.write(header).addListener(ChannelFutureListener.FIRE_EXCEPTION_ON_FAILURE);
        pump();
    }

    /** The client granted {@code bytes} more (RetrieveCredit). */
    public void credit(int bytes) {
        credit += bytes;
        if (started) {
            pump();
        }
    }

    /** The channel may have become writable again. */
    public void resume() {
        if (started) {
            pump();
        }
    }

    /** The client sent Cancel: stop, and end the request with ERROR CANCELLED. */
    public void cancel() {
        if (done) {
            return;
        }
        finish();
        ctx.writeAndFlush(new ErrorReply(requestId, ErrorCode.CANCELLED, "retrieval cancelled"));
    }

    /** The connection is gone: stop without sending anything. */
    public void abort() {
        if (!done) {
            finish();
        }
    }

    public boolean isDone() {
        return done;
    }

    /** Slice bytes sent so far. */
    public long bytesSent() {
        return bytesSent;
    }

    public int requestId() {
        return requestId;
    }

    private void pump() {
        boolean wrote = false;
        while (!done && credit > 0 && ctx.channel().isWritable()) {
            int max = (int) Math.min(chunkBytes, credit);
            ByteBuf chunk = ctx.alloc().buffer(max, max);
            int n;
            try {
                n = source.read(chunk, max);
            } catch (IOException | RuntimeException e) {
                chunk.release();
                finish();
                ctx.writeAndFlush(new ErrorReply(requestId, ErrorCode.IO_ERROR, "reading the slice failed: "
                        + e.getMessage()));
                return;
            }
            if (n < 0) {
                chunk.release();
                finish();
                ctx.writeAndFlush(new RetrieveEnd(requestId));
                return;
            }
            if (n == 0) {
                chunk.release();
                continue;
            }
            credit -= n;
            bytesSent += n;
            ctx.write(new RetrieveChunk(requestId, chunk));
            wrote = true;
            // Flush as we go: isWritable() only changes as bytes reach the outbound buffer.
            ctx.flush();
        }
        if (wrote) {
            ctx.flush();
        }
    }

    private void finish() {
        done = true;
        try {
            source.close();
        } catch (Exception e) {
            // Nothing more to send for this request; the daemon learns of storage trouble elsewhere.
        }
    }
}
