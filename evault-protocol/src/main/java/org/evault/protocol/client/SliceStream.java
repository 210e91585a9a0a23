package org.evault.protocol.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import io.netty.buffer.ByteBuf;

/**
 * The body of a {@link Retrieval}: chunks queued by the event loop, read by the caller's thread.
 * Flow control is per retrieval: the daemon may have at most {@code windowBytes} unread bytes
 * outstanding; each time the reader has consumed half a window, the stream grants that much
 * again (RetrieveCredit). A daemon that sends past its window breaks the protocol and fails the
 * retrieval, so the queue never holds more than one window.
 */
final class SliceStream extends InputStream {
    private final RetrieveRequestState request;
    private final int windowBytes;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<ByteBuf> queue = new ArrayDeque<>();
    private ByteBuf current;
    private long receivedBytes;
    private long grantedBytes;
    private int consumedNotGranted;
    private boolean ended;
    private boolean closed;
    private Throwable failure;

    SliceStream(RetrieveRequestState request, int windowBytes) {
        this.request = request;
        this.windowBytes = windowBytes;
        this.grantedBytes = windowBytes;
    }

    /** Event loop: one more chunk; takes ownership of it. */
    void offer(ByteBuf chunk) {
        boolean overrun = false;
        lock.lock();
        try {
            if (closed || failure != null) {
                chunk.release();
                return;
            }
            receivedBytes += chunk.readableBytes();
            if (receivedBytes > grantedBytes) {
                chunk.release();
                overrun = true;
            } else {
                queue.add(chunk);
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
        if (overrun) {
            request.fail(new DaemonException(request.client.label() + " sent " + receivedBytes
                    + " slice bytes but was granted only " + grantedBytes + ": it ignores flow control"));
            request.sendCancel();
        }
    }

    void end() {
        lock.lock();
        try {
            ended = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    void fail(Throwable cause) {
        lock.lock();
        try {
            if (ended || closed || failure != null) {
                return;
            }
            failure = cause;
            drain();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        lock.lock();
        try {
            while (current == null || !current.isReadable()) {
                if (current != null) {
                    current.release();
                    current = null;
                }
                if (closed) {
                    throw new IOException("retrieval stream is closed");
                }
                if (failure != null) {
                    throw new IOException(failure.getMessage(), failure);
                }
                current = queue.poll();
                if (current != null) {
                    request.progress();
                    consumed(current.readableBytes());
                    continue;
                }
                if (ended) {
                    return -1;
                }
                try {
                    changed.await(100, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while waiting for slice bytes");
                }
            }
            int n = Math.min(len, current.readableBytes());
            current.readBytes(b, off, n);
            return n;
        } finally {
            lock.unlock();
        }
    }

    /** Under the lock: a chunk left the queue; grant its bytes back once half a window is due. */
    private void consumed(int bytes) {
        consumedNotGranted += bytes;
        if (!ended && consumedNotGranted >= windowBytes / 2) {
            grantedBytes += consumedNotGranted;
            request.grant(consumedNotGranted);
            consumedNotGranted = 0;
        }
    }

    @Override
    public int available() {
        lock.lock();
        try {
            return current == null ? 0 : current.readableBytes();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        boolean abandon;
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            abandon = !ended && failure == null;
            drain();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (abandon) {
            request.abandon();
        }
    }

    /** Under the lock: releases every buffer. */
    private void drain() {
        if (current != null) {
            current.release();
            current = null;
        }
        ByteBuf b;
        while ((b = queue.poll()) != null) {
            b.release();
        }
    }
}
