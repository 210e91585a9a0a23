package org.evault.daemon.net;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.ArrayDeque;

import io.netty.buffer.ByteBuf;

/**
 * Hands the chunks of one deposit from the event loop (which must never block) to the worker
 * thread that runs IDA on them (which blocks on {@link #stream()}). Bounded: once more than
 * {@code highWaterBytes} are queued, {@code pause} runs (the handler stops reading the
 * connection); when the reader has drained to half, {@code resume} runs. Every buffer offered is
 * released exactly once: when read, or when the pipe is aborted.
 */
final class ChunkPipe {
    private final long highWaterBytes;
    private final Runnable pause;
    private final Runnable resume;
    private final ArrayDeque<ByteBuf> queue = new ArrayDeque<>();
    private long queuedBytes;
    private boolean finished;
    private boolean paused;
    private IOException failure;

    ChunkPipe(long highWaterBytes, Runnable pause, Runnable resume) {
        this.highWaterBytes = highWaterBytes;
        this.pause = pause;
        this.resume = resume;
    }

    /** Takes ownership of {@code chunk}. Called on the event loop. */
    void offer(ByteBuf chunk) {
        boolean pauseNow;
        synchronized (this) {
            if (finished || failure != null) {
                chunk.release();
                return;
            }
            queue.add(chunk);
            queuedBytes += chunk.readableBytes();
            pauseNow = !paused && queuedBytes > highWaterBytes;
            paused |= pauseNow;
            notifyAll();
        }
        if (pauseNow) {
            pause.run();
        }
    }

    /** The sender has sent everything: the stream ends after the queued bytes. */
    synchronized void finish() {
        finished = true;
        notifyAll();
    }

    /** The deposit is abandoned (peer gone, cancelled, error): the reader fails, buffers are freed. */
    void abort(IOException reason) {
        boolean resumeNow;
        synchronized (this) {
            if (failure == null) {
                failure = reason;
            }
            for (ByteBuf b; (b = queue.poll()) != null; ) {
                b.release();
            }
            queuedBytes = 0;
            resumeNow = paused;
            paused = false;
            notifyAll();
        }
        if (resumeNow) {
            resume.run();
        }
    }

    InputStream stream() {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (len == 0) {
                    return 0;
                }
                boolean resumeNow = false;
                int n;
                synchronized (ChunkPipe.this) {
                    while (queue.isEmpty() && !finished && failure == null) {
                        try {
                            ChunkPipe.this.wait();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            throw new InterruptedIOException("deposit interrupted");
                        }
                    }
                    if (failure != null) {
                        throw failure;
                    }
                    ByteBuf head = queue.peek();
                    if (head == null) {
                        return -1;
                    }
                    n = Math.min(len, head.readableBytes());
                    head.readBytes(b, off, n);
                    if (!head.isReadable()) {
                        queue.poll().release();
                    }
                    queuedBytes -= n;
                    if (paused && queuedBytes <= highWaterBytes / 2) {
                        paused = false;
                        resumeNow = true;
                    }
                }
                if (resumeNow) {
                    resume.run();
                }
                return n;
            }
        };
    }
}
