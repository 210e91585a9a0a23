package org.evault.daemon.net;

import java.io.IOException;
import java.io.InputStream;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;

import org.evault.daemon.DaemonConfig;
import org.evault.daemon.DaemonConfig.Fault;
import org.evault.daemon.DepositProcessor;
import org.evault.daemon.store.DuplicateDocumentException;
import org.evault.daemon.store.SliceStore;
import org.evault.ida.slice.SliceFile;
import org.evault.ida.slice.SliceHeader;
import org.evault.protocol.ErrorCode;
import org.evault.protocol.Message;
import org.evault.protocol.Message.DeleteReply;
import org.evault.protocol.Message.DeleteRequest;
import org.evault.protocol.Message.DepositAck;
import org.evault.protocol.Message.DepositBegin;
import org.evault.protocol.Message.DepositChunk;
import org.evault.protocol.Message.DepositEnd;
import org.evault.protocol.Message.ErrorReply;
import org.evault.protocol.Message.HealthReply;
import org.evault.protocol.Message.HealthRequest;
import org.evault.protocol.Message.ListReply;
import org.evault.protocol.Message.ListRequest;
import org.evault.protocol.Message.RetrieveChunk;
import org.evault.protocol.Message.RetrieveEnd;
import org.evault.protocol.Message.RetrieveHeader;
import org.evault.protocol.Message.RetrieveRequest;
import org.evault.protocol.Message.ScrubReply;
import org.evault.protocol.Message.ScrubRequest;
import org.evault.protocol.NodeHealth;
import org.evault.protocol.ProtocolLimits;
import org.evault.protocol.StoredDocument;
import org.evault.protocol.receipt.ReceiptBody;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon's side of one connection. Runs on the channel's event loop and never blocks it: every
 * request that touches the disk, IDA or the key share runs on the worker pool; deposit chunks go
 * to that worker through a bounded {@link ChunkPipe}, which pauses reading from this connection
 * when the worker falls behind (backpressure). A peer that goes away aborts its deposits (nothing
 * is kept) and its retrievals. Stateful: one per channel.
 */
final class DaemonHandler extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(DaemonHandler.class);
    private static final long PIPE_HIGH_WATER_BYTES = 8L << 20;
    private static final int RETRIEVE_CHUNK_BYTES = 256 * 1024;
    private static final long SLOW_MILLIS = 2000;
    /** The CN of the gateway's certificate (evault init); no other node may use a daemon. */
    static final String GATEWAY_NODE_ID = "gateway";

    private final DaemonConfig config;
    private final SliceStore store;
    private final DepositProcessor deposits;
    private final ThreadPoolExecutor blocking;
    private final ProtocolLimits limits;
    private final DaemonServer.Stats stats;
    private final Faults faults;
    /** Deposits receiving chunks, by request id; event loop only. */
    private final Map<Integer, ChunkPipe> pipes = new HashMap<>();
    /** Requests running on workers, for Cancel and disconnect; any thread. */
    private final Set<Integer> cancelled = ConcurrentHashMap.newKeySet();
    /** Each open retrieval's remaining window (docs/protocol.md, "Flow control"); any thread. */
    private final Map<Integer, Window> windows = new ConcurrentHashMap<>();
    private final Object writable = new Object();
    private int pausedPipes;
    private volatile boolean closed;
    private ChannelHandlerContext ctx;

    DaemonHandler(DaemonConfig config, SliceStore store, DepositProcessor deposits, ThreadPoolExecutor blocking,
            ProtocolLimits limits, DaemonServer.Stats stats) {
        this.config = config;
        this.store = store;
        this.deposits = deposits;
        this.blocking = blocking;
        this.limits = limits;
        this.stats = stats;
        this.faults = new Faults(config.faults(), deposits.parameters());
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof Message m)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (config.faults().contains(Fault.SILENT)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        int id = m.requestId();
        if (m instanceof Message.Hello hello) {
            // The HelloHandler has checked that this node id is the CN of the peer's certificate.
            if (!GATEWAY_NODE_ID.equals(hello.nodeId())) {
                LOG.warn("refusing {} from {}: only the gateway may use a daemon", hello.nodeId(), ctx.channel().remoteAddress());
                ctx.writeAndFlush(new ErrorReply(0, ErrorCode.IDENTITY_MISMATCH,
                        "only the gateway may use a daemon, not " + hello.nodeId()))
                        .addListener(io.netty.channel.ChannelFutureListener.CLOSE);
            }
            return;
        }
        if (m instanceof DepositBegin begin) {
            beginDeposit(id, begin);
        } else if (m instanceof DepositChunk chunk) {
            ChunkPipe pipe = pipes.get(id);
            if (pipe == null) {
                chunk.release();
            } else {
                pipe.offer(chunk.content());
            }
        } else if (m instanceof DepositEnd) {
            ChunkPipe pipe = pipes.remove(id);
            if (pipe != null) {
                pipe.finish();
            }
        } else if (m instanceof Message.Cancel) {
            cancelled.add(id);
            Window window = windows.get(id);
            if (window != null) {
                window.close();
            }
            ChunkPipe pipe = pipes.remove(id);
            if (pipe != null) {
                pipe.abort(new IOException("deposit cancelled by the gateway"));
            }
        } else if (m instanceof RetrieveRequest r) {
            Window window = new Window(r.windowBytes());
            windows.put(id, window);
            if (!submit(id, () -> retrieve(id, r.documentId(), window))) {
                windows.remove(id);
            }
        } else if (m instanceof Message.RetrieveCredit c) {
            Window window = windows.get(id);
            if (window != null) {
                window.grant(c.bytes());
            }
        } else if (m instanceof ListRequest l) {
            submit(id, () -> reply(list(l)));
        } else if (m instanceof Message.ProveRequest p) {
            submit(id, () -> reply(prove(id, p.documentId())));
        } else if (m instanceof DeleteRequest d) {
            submit(id, () -> reply(new DeleteReply(id, store.delete(d.documentId()))));
        } else if (m instanceof HealthRequest) {
            submit(id, () -> reply(new HealthReply(id, health())));
        } else if (m instanceof ScrubRequest) {
            submit(id, () -> reply(scrub(id)));
        } else if (m instanceof ErrorReply e) {
            LOG.debug("peer {} reports error on request {}: {} {}", ctx.channel().remoteAddress(), id, e.code(), e.message());
        } else {
            ReferenceCountUtil.release(msg);
            reply(new ErrorReply(id, ErrorCode.OUT_OF_ORDER, m.type() + " is not a request a daemon answers"));
        }
    }

    private void beginDeposit(int id, DepositBegin begin) {
        try {
            deposits.check(begin.meta(), begin.repair());
        } catch (IllegalArgumentException e) {
            stats.failed.incrementAndGet();
            ErrorCode code = e.getMessage().contains("already stored") ? ErrorCode.DUPLICATE_ID : ErrorCode.BAD_METADATA;
            reply(new ErrorReply(id, code, e.getMessage()));
            return;
        }
        ChunkPipe pipe = new ChunkPipe(PIPE_HIGH_WATER_BYTES, this::pause, () -> ctx.channel().eventLoop().execute(this::resume));
        pipes.put(id, pipe);
        InputStream document = pipe.stream();
        boolean accepted = submit(id, () -> {
            DepositProcessor.Result r = begin.repair() ? deposits.repair(begin.meta(), document)
                    : deposits.deposit(begin.meta(), document);
            LOG.info("{} {} stored: {} bytes, sha256 {}", begin.repair() ? "repair of" : "deposit",
                    begin.meta().documentId(), ReceiptBody.parse(r.receiptBody()).size(), r.documentHash().hex());
            reply(new DepositAck(id, config.sliceIndex(), r.receiptBody(), faults.fingerprints(r.fingerprints()),
                    r.documentHash(), begin.repair() ? r.partialSignature()
                            : faults.partialSignature(r.partialSignature())));
        });
        if (!accepted) {
            pipes.remove(id);
            pipe.abort(new IOException("daemon busy"));
        }
    }

    private Message prove(int id, String documentId) throws IOException, GeneralSecurityException {
        var share = deposits.prove(documentId);
        if (share.isEmpty()) {
            return new ErrorReply(id, ErrorCode.NOT_FOUND, "no document " + documentId + " on " + config.nodeId());
        }
        return new Message.ProveReply(id, faults.partialSignature(share.get()));
    }

    /** The event loop stops reading this connection while any deposit's pipe is full. */
    private void pause() {
        if (pausedPipes++ == 0) {
            ctx.channel().config().setAutoRead(false);
        }
    }

    private void resume() {
        if (pausedPipes > 0 && --pausedPipes == 0) {
            ctx.channel().config().setAutoRead(true);
            ctx.read();
        }
    }

    private void retrieve(int id, String documentId, Window window) throws IOException, InterruptedException {
        try {
            retrieveWithin(id, documentId, window);
        } finally {
            windows.remove(id);
        }
    }

    private void retrieveWithin(int id, String documentId, Window window) throws IOException, InterruptedException {
        var opened = store.open(documentId);
        if (opened.isEmpty()) {
            reply(new ErrorReply(id, ErrorCode.NOT_FOUND, "no document " + documentId + " on " + config.nodeId()));
            return;
        }
        try (SliceFile file = opened.get()) {
            SliceHeader h = file.header();
            SliceHeader told = new SliceHeader(h.documentId(), h.sliceIndex(), h.matrix(), h.segmentSize(),
                    h.documentLength(), h.documentHash(), faults.fingerprints(h.fingerprints()), h.receiptBody());
            reply(new RetrieveHeader(id, told, file.segmentHashes()));
            try (InputStream in = file.openData()) {
                int chunk = Math.min(RETRIEVE_CHUNK_BYTES, limits.maxChunkBytes());
                while (true) {
                    if (closed || cancelled.contains(id)) {
                        return;
                    }
                    int allowed = window.take(chunk);
                    if (allowed == 0) {
                        return; // cancelled or disconnected while waiting for credit
                    }
                    awaitWritable();
                    ByteBuf buf = ctx.alloc().buffer(allowed);
                    try {
                        int n = buf.writeBytes(in, allowed);
                        if (n <= 0) {
                            buf.release();
                            break;
                        }
                        faults.slice(buf);
                        ctx.writeAndFlush(new RetrieveChunk(id, buf));
                    } catch (IOException | RuntimeException e) {
                        buf.release();
                        throw e;
                    }
                }
            }
            reply(new RetrieveEnd(id));
        }
    }

    /** Blocks the worker (never the event loop) until the channel can take more bytes. */
    private void awaitWritable() throws InterruptedException {
        synchronized (writable) {
            while (!ctx.channel().isWritable() && !closed) {
                writable.wait(1000);
            }
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        synchronized (writable) {
            writable.notifyAll();
        }
        ctx.fireChannelWritabilityChanged();
    }

    private ListReply list(ListRequest l) {
        int max = Math.min(l.maxEntries(), limits.maxListEntries());
        List<StoredDocument> page = new ArrayList<>();
        boolean more = false;
        for (SliceStore.Stored s : store.list()) {
            if (!l.afterDocumentId().isEmpty() && s.documentId().compareTo(l.afterDocumentId()) <= 0) {
                continue;
            }
            StoredDocument d = s.summary();
            if (!l.owner().isEmpty() && !l.owner().equals(d.owner())) {
                continue;
            }
            if (page.size() == max) {
                more = true;
                break;
            }
            page.add(d);
        }
        return new ListReply(l.requestId(), page, more);
    }

    private NodeHealth health() throws IOException {
        return new NodeHealth(config.nodeId(), java.time.Duration.between(stats.started, java.time.Instant.now()).toMillis(),
                store.documents(), store.bytesStored(), store.freeBytes(), stats.served.get(), stats.failed.get(),
                stats.open.get());
    }

    private ScrubReply scrub(int id) {
        long checked = store.documents();
        var findings = store.scrub();
        findings.forEach(f -> LOG.warn("scrub: document {} segment {}: {} (slice set aside in damaged/)", f.documentId(), f.segment(), f.problem()));
        boolean truncated = findings.size() > 0xFFFF;
        return new ScrubReply(id, checked, truncated ? findings.subList(0, 0xFFFF) : findings, truncated);
    }

    /** Slice bytes a retrieval may still send; {@link #take} blocks its worker until credit arrives. */
    private static final class Window {
        private long available;
        private boolean closed;

        Window(long initial) {
            available = initial;
        }

        synchronized void grant(long bytes) {
            available += bytes;
            notifyAll();
        }

        synchronized void close() {
            closed = true;
            notifyAll();
        }

        /** Up to {@code wanted} bytes of credit, waiting for some; 0 once closed. */
        synchronized int take(int wanted) throws InterruptedException {
            while (available == 0 && !closed) {
                wait();
            }
            if (closed) {
                return 0;
            }
            int n = (int) Math.min(wanted, available);
            available -= n;
            return n;
        }
    }

    private interface Work {
        void run() throws Exception;
    }

    /** Runs {@code work} on the worker pool; a failure becomes an ERROR reply. False if the pool is full. */
    private boolean submit(int id, Work work) {
        try {
            blocking.execute(() -> {
                try {
                    if (config.faults().contains(Fault.SLOW)) {
                        Thread.sleep(SLOW_MILLIS);
                    }
                    work.run();
                    stats.served.incrementAndGet();
                } catch (Exception e) {
                    stats.failed.incrementAndGet();
                    ErrorCode code = errorCode(e);
                    if (code == ErrorCode.INTERNAL || code == ErrorCode.IO_ERROR || code == ErrorCode.STORAGE_FULL) {
                        LOG.warn("request {} failed: {}", id, e.toString());
                    }
                    reply(new ErrorReply(id, code, e.getMessage() == null ? e.toString() : e.getMessage()));
                } finally {
                    cancelled.remove(id);
                }
            });
            return true;
        } catch (RejectedExecutionException e) {
            stats.failed.incrementAndGet();
            reply(new ErrorReply(id, ErrorCode.BUSY, config.nodeId() + " has " + DaemonServer.MAX_WORKERS
                    + " requests running; try again"));
            return false;
        }
    }

    static ErrorCode errorCode(Exception e) {
        if (e instanceof DuplicateDocumentException) {
            return ErrorCode.DUPLICATE_ID;
        }
        if (e instanceof IllegalArgumentException) {
            return ErrorCode.BAD_METADATA;
        }
        if (e instanceof IOException) {
            String text = String.valueOf(e.getMessage());
            if (text.contains("No space left") || text.contains("Disk quota")) {
                return ErrorCode.STORAGE_FULL;
            }
            if (text.contains("over this daemon's limit")) {
                return ErrorCode.LIMIT_EXCEEDED;
            }
            if (text.contains("cancelled") || text.contains("closed the connection")) {
                return ErrorCode.CANCELLED;
            }
            return ErrorCode.IO_ERROR;
        }
        return ErrorCode.INTERNAL;
    }

    private void reply(Message m) {
        if (!closed) {
            ctx.writeAndFlush(m);
        } else {
            ReferenceCountUtil.release(m);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closed = true;
        for (ChunkPipe pipe : pipes.values()) {
            pipe.abort(new IOException("the gateway closed the connection mid-deposit; nothing stored"));
        }
        pipes.clear();
        windows.values().forEach(Window::close);
        synchronized (writable) {
            writable.notifyAll();
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent) {
            LOG.info("closing idle connection from {}", ctx.channel().remoteAddress());
            ctx.close();
        } else {
            ctx.fireUserEventTriggered(evt);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.warn("connection from {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
