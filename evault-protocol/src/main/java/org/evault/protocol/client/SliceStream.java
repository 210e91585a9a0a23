package org.evault.protocol.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import io.netty.buffer.ByteBuf;

/**
 * The body of a {@link Retrieval}: chunks queued by the event loop, read by the caller's thread.
 * When {@code highWater} chunks wait, the connection stops reading from the socket; it reads
 * again once the reader has taken half of them.
 */
final class SliceStream extends InputStream {
    private final RetrieveRequestState request;
    private final int highWater;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<ByteBuf> queue = new ArrayDeque<>();
    private ByteBuf current;
    private boolean ended;
    private boolean closed;
    private boolean paused;
    private Throwable failure;

    SliceStream(RetrieveRequestState request, int highWater) {
        this.request = request;
        this.highWater = highWater;
    }

    /** Event loop: one more chunk; takes ownership of it. */
    void offer(ByteBuf chunk) {
        lock.lock();
        try {
            if (closed || failure != null) {
                chunk.release();
                return;
            }
            queue.add(chunk);
            if (!paused && queue.size() >= highWater) {
                paused = true;
                request.connection.pauseReading();
            }
            changed.signalAll();
        } finally {
            lock.unlock();
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
        java.util.Objects.checkFromIndexSize(off, len, b.length);
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
                    if (paused && queue.size() <= highWater / 2) {
                        paused = false;
                        request.connection.resumeReading();
                    }
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

    /** Under the lock: releases every buffer and undoes a pause. */
    private void drain() {
        if (current != null) {
            current.release();
            current = null;
        }
        ByteBuf b;
        while ((b = queue.poll()) != null) {
            b.release();
        }
        if (paused) {
            paused = false;
            request.connection.resumeReading();
        }
    }
}
