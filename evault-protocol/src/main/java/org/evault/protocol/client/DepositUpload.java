package org.evault.protocol.client;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import io.netty.buffer.ByteBuf;
import org.evault.protocol.Message.DepositAck;
import org.evault.protocol.Message.DepositChunk;
import org.evault.protocol.Message.DepositEnd;

/**
 * A deposit in progress, as an OutputStream: bytes written become DepositChunks of
 * {@code chunkBytes}; {@link #close()} sends DepositEnd; {@link #ack()} completes with the
 * daemon's DepositAck. Made by {@link DaemonClient#openDeposit}.
 *
 * <p>Backpressure: a write that completes a chunk blocks while the connection's outbound buffer
 * is full (above 4 MiB), so a writer feeding several uploads in turn (the gateway's fan-out to n
 * daemons) is paced by the slowest daemon, and nothing buffers more than a chunk plus the
 * outbound buffer. A write after the request failed (the daemon's ERROR, a lost connection, a
 * timeout) throws that failure as a {@link DaemonException}.
 *
 * <h2>Pitfalls</h2>
 * One writer thread at a time. Never write from a Netty event loop thread (a blocked write
 * would block the loop that must drain it). {@link #flush()} sends a partial chunk: call it
 * only when pausing. Call {@link #abort} (not {@link #close}) to give up: close means "that
 * was the whole document" and gets it signed.
 */
public final class DepositUpload extends OutputStream {
    private final DaemonClient client;
    private final Connection connection;
    private final PendingRequest request;
    private final CompletableFuture<DepositAck> ack;
    private final int chunkBytes;
    private ByteBuf pending;
    private boolean closed;
    private long bytesWritten;

    DepositUpload(DaemonClient client, Connection connection, PendingRequest request,
            CompletableFuture<DepositAck> ack, int chunkBytes) {
        this.client = client;
        this.connection = connection;
        this.request = request;
        this.ack = ack;
        this.chunkBytes = chunkBytes;
    }

    /** Completes with the daemon's answer once it has the whole document durably. */
    public CompletableFuture<DepositAck> ack() {
        return ack;
    }

    /** Bytes accepted by {@code write} so far. */
    public long bytesWritten() {
        return bytesWritten;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        checkUsable();
        while (len > 0) {
            if (pending == null) {
                pending = connection.channel.alloc().buffer(chunkBytes, chunkBytes);
            }
            int n = Math.min(len, pending.writableBytes());
            pending.writeBytes(b, off, n);
            off += n;
            len -= n;
            bytesWritten += n;
            if (!pending.isWritable()) {
                send();
            }
        }
    }

    /** Sends the bytes written so far as a (short) chunk, waiting for room like a full one. */
    @Override
    public void flush() throws IOException {
        checkUsable();
        if (pending != null && pending.isReadable()) {
            send();
        }
    }

    private void send() throws IOException {
        ByteBuf chunk = pending;
        pending = null;
        try {
            if (!connection.awaitWritable(request)) {
                chunk.release();
                checkFailed();
                throw new DaemonUnavailableException(client.label() + ": the connection closed during the deposit");
            }
        } catch (InterruptedException e) {
            chunk.release();
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting to send to " + client.label());
        }
        connection.channel.writeAndFlush(new DepositChunk(request.id, chunk)).addListener(f -> {
            if (f.isSuccess()) {
                request.progress();
            } else {
                request.fail(new DaemonUnavailableException(client.label() + ": writing a deposit chunk failed: "
                        + f.cause(), f.cause()));
            }
        });
    }

    /**
     * Ends the document: sends what is buffered and DepositEnd. The daemon then stores, signs and
     * answers on {@link #ack()}. Throws if the request has already failed.
     */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        try {
            flush();
        } finally {
            closed = true;
            releasePending();
        }
        connection.channel.writeAndFlush(new DepositEnd(request.id)).addListener(f -> {
            if (!f.isSuccess()) {
                request.fail(new DaemonUnavailableException(client.label() + ": writing DepositEnd failed: "
                        + f.cause(), f.cause()));
            }
        });
    }

    /** Gives up the deposit: the daemon gets a Cancel, {@link #ack()} fails with {@code cause}. */
    public void abort(Throwable cause) {
        closed = true;
        releasePending();
        if (!request.isDone()) {
            request.fail(cause);
            request.sendCancel();
        }
    }

    private void releasePending() {
        if (pending != null) {
            pending.release();
            pending = null;
        }
    }

    private void checkUsable() throws IOException {
        if (closed) {
            throw new IOException("deposit upload to " + client.label() + " is closed");
        }
        checkFailed();
    }

    private void checkFailed() throws IOException {
        if (ack.isCompletedExceptionally()) {
            releasePending();
            closed = true;
            try {
                ack.get();
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof DaemonException) {
                    throw new DaemonException(cause.getMessage(), cause);
                }
                throw new DaemonException("deposit to " + client.label() + " failed: " + cause, cause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException();
            } catch (java.util.concurrent.CancellationException e) {
                throw new DaemonException("deposit to " + client.label() + " was cancelled", e);
            }
        }
    }
}
