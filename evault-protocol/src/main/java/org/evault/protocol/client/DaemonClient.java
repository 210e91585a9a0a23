package org.evault.protocol.client;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import javax.net.ssl.SSLException;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.ScheduledFuture;
import org.evault.protocol.DepositMetadata;
import org.evault.protocol.Message;
import org.evault.protocol.Message.DeleteReply;
import org.evault.protocol.Message.DeleteRequest;
import org.evault.protocol.Message.DepositAck;
import org.evault.protocol.Message.DepositBegin;
import org.evault.protocol.Message.HealthReply;
import org.evault.protocol.Message.HealthRequest;
import org.evault.protocol.Message.Hello;
import org.evault.protocol.Message.ListReply;
import org.evault.protocol.Message.ListRequest;
import org.evault.protocol.Message.RetrieveRequest;
import org.evault.protocol.Message.ScrubReply;
import org.evault.protocol.Message.ScrubRequest;
import org.evault.protocol.NodeHealth;
import org.evault.protocol.StoredDocument;
import org.evault.protocol.TlsConfig;
import org.evault.protocol.Transports;
import org.evault.protocol.codec.ProtocolPipeline;

/**
 * One persistent mutual-TLS connection to one daemon, shared by any number of concurrent
 * requests (the gateway holds one per daemon). Thread-safe.
 *
 * <p>Connection: {@link #connect()} (or the first request) opens it; the client then keeps it
 * open. When it drops, or an attempt fails, the client tries again in the background after
 * {@code backoffMin}, doubling the delay up to {@code backoffMax}, until {@link #close()}.
 * Between attempts, new requests fail at once with {@link DaemonUnavailableException} (never
 * queue up behind a down daemon); the message names the daemon and the last failure.
 *
 * <p>Requests: each returns a future that fails with a {@link DaemonException}:
 * {@link DaemonErrorException} (the daemon's ERROR, with its code), {@link DaemonTimeoutException}
 * (no progress for {@code requestTimeout}), {@link DaemonUnavailableException} (no connection, or
 * it dropped while the request was open). Cancelling a future sends the daemon a Cancel.
 */
public final class DaemonClient implements AutoCloseable {
    private final String host;
    private final int port;
    private final SslContext sslContext;
    private final ClientOptions options;
    private final EventLoopGroup group;
    private final boolean ownGroup;
    private final ExecutorService pumps;
    private final Bootstrap bootstrap;
    private final AtomicInteger nextId = new AtomicInteger(1);

    private final Object lock = new Object();
    private Connection connection;
    private Connection connecting;
    private CompletableFuture<Connection> connectingFuture;
    private String lastFailure;
    private long nextAttemptNanos;
    private long backoffNanos;
    private ScheduledFuture<?> reconnectTask;
    private boolean closed;
    private volatile String peerNodeId;

    /** A client with its own one-thread event loop. */
    public DaemonClient(String host, int port, TlsConfig tls, ClientOptions options) throws SSLException {
        this(host, port, tls.clientContext(), options, null);
    }

    /**
     * @param sslContext from {@link TlsConfig#clientContext()}; one may serve every client
     * @param group      an event loop group from {@link Transports#newGroup} shared by the
     *                   gateway's clients, or null for the client's own; a shared group is not
     *                   shut down by {@link #close()}
     */
    public DaemonClient(String host, int port, SslContext sslContext, ClientOptions options, EventLoopGroup group) {
        this.host = Objects.requireNonNull(host, "host");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be 1 to 65535, not " + port);
        }
        this.port = port;
        this.sslContext = Objects.requireNonNull(sslContext, "sslContext");
        if (!sslContext.isClient()) {
            throw new IllegalArgumentException("the SslContext is a server context; use TlsConfig.clientContext()");
        }
        this.options = Objects.requireNonNull(options, "options");
        this.ownGroup = group == null;
        this.group = group == null ? Transports.newGroup(1) : group;
        this.pumps = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "evault-deposit-" + host + ":" + port);
            t.setDaemon(true);
            return t;
        });
        this.backoffNanos = options.backoffMin().toNanos();
        this.bootstrap = new Bootstrap()
                .group(this.group)
                .channel(Transports.socketChannel())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) options.connectTimeout().toMillis())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(1 << 20, 4 << 20));
    }

    ClientOptions options() {
        return options;
    }

    /** "daemon node-1 at 127.0.0.1:7001", for messages. */
    public String label() {
        String id = peerNodeId != null ? peerNodeId : options.expectedNodeId() != null ? options.expectedNodeId() : "?";
        return "daemon " + id + " at " + host + ":" + port;
    }

    /** The daemon's node id from its last Hello, or null before the first connection. */
    public String peerNodeId() {
        return peerNodeId;
    }

    public boolean isConnected() {
        synchronized (lock) {
            return connection != null && connection.isActive();
        }
    }

    /** Opens the connection if needed; completes with the daemon's node id after the hello exchange. */
    public CompletableFuture<String> connect() {
        return acquire().thenApply(c -> peerNodeId);
    }

    // ---------------------------------------------------------------- requests

    /**
     * Starts a deposit and returns it as an OutputStream once DepositBegin is on its way: the
     * gateway's way to stream one upload to all n daemons at once, paced by the slowest (see
     * {@link DepositUpload}). The upload's {@link DepositUpload#ack()} gives the daemon's answer.
     */
    public CompletableFuture<DepositUpload> openDeposit(DepositMetadata meta) {
        return open(meta, false);
    }

    /**
     * Starts a repair: like {@link #openDeposit}, but the daemon stores its slice of a document
     * receipted earlier and signs nothing (its ack carries an empty partial signature).
     */
    public CompletableFuture<DepositUpload> openRepair(DepositMetadata meta) {
        return open(meta, true);
    }

    private CompletableFuture<DepositUpload> open(DepositMetadata meta, boolean repair) {
        Objects.requireNonNull(meta, "meta");
        CompletableFuture<DepositUpload> result = new CompletableFuture<>();
        acquire().whenComplete((conn, err) -> {
            if (err != null) {
                result.completeExceptionally(unwrap(err));
                return;
            }
            int id = newId(conn);
            CompletableFuture<DepositAck> ack = new CompletableFuture<>();
            SingleReplyRequest<DepositAck, DepositAck> request = new SingleReplyRequest<>(this, conn, id,
                    repair ? "repair" : "deposit", DepositAck.class, Function.identity(), ack);
            request.start();
            conn.channel.writeAndFlush(new DepositBegin(id, meta, repair)).addListener(failOnError(request));
            result.complete(new DepositUpload(this, conn, request, ack, options.chunkBytes()));
        });
        return result;
    }

    /**
     * Streams a document to the daemon: DepositBegin, chunks of {@code chunkBytes} read from
     * {@code document} on a client thread, DepositEnd. Reading pauses whenever the connection's
     * outbound buffer is full, so at most a few MiB are ever buffered, whatever the size. The
     * caller keeps ownership of {@code document} (the client does not close it) and must not
     * read it meanwhile. A read failure cancels the deposit and fails the future with it.
     */
    public CompletableFuture<DepositAck> deposit(DepositMetadata meta, InputStream document) {
        return send(openDeposit(meta), document);
    }

    /** {@link #openRepair} with the document streamed as {@link #deposit} does. */
    public CompletableFuture<DepositAck> repair(DepositMetadata meta, InputStream document) {
        return send(openRepair(meta), document);
    }

    private CompletableFuture<DepositAck> send(CompletableFuture<DepositUpload> opened, InputStream document) {
        Objects.requireNonNull(document, "document");
        return opened.thenCompose(upload -> {
            pumps.execute(() -> pump(upload, document));
            return upload.ack();
        });
    }

    private void pump(DepositUpload upload, InputStream document) {
        byte[] buffer = new byte[Math.min(options.chunkBytes(), 64 * 1024)];
        try {
            int n;
            while (true) {
                try {
                    n = document.read(buffer);
                } catch (IOException | RuntimeException e) {
                    upload.abort(new DaemonException("reading the document for " + label() + " failed: "
                            + e.getMessage(), e));
                    return;
                }
                if (n < 0) {
                    break;
                }
                upload.write(buffer, 0, n);
            }
            upload.close();
        } catch (IOException e) {
            // The request failed (its future already says why) or the thread was interrupted.
            upload.abort(e);
        }
    }

    /**
     * Asks for a slice. The future completes when the header arrives; the body then streams (see
     * {@link Retrieval}) under a per-request flow-control window of {@code retrieveWindowBytes}:
     * the daemon sends ahead only what the window allows, and the client grants more as the
     * reader consumes, so a slow reader slows only its own retrieval. Fails with
     * {@link DaemonErrorException} NOT_FOUND for an unknown id.
     */
    public CompletableFuture<Retrieval> retrieve(String documentId) {
        CompletableFuture<Retrieval> result = new CompletableFuture<>();
        acquire().whenComplete((conn, err) -> {
            if (err != null) {
                result.completeExceptionally(unwrap(err));
                return;
            }
            int id = newId(conn);
            RetrieveRequestState request = new RetrieveRequestState(this, conn, id, result);
            request.start();
            conn.channel.writeAndFlush(new RetrieveRequest(id, documentId, options.retrieveWindowBytes()))
                    .addListener(failOnError(request));
        });
        return result;
    }

    /** One page of the daemon's documents, ordered by id, after {@code afterDocumentId} (empty: from the start). */
    public CompletableFuture<ListReply> listPage(String owner, String afterDocumentId, int maxEntries) {
        return call("list", id -> new ListRequest(id, owner, afterDocumentId, maxEntries), ListReply.class,
                Function.identity());
    }

    /** Every document of {@code owner} (empty: all owners), fetched page by page. */
    public CompletableFuture<List<StoredDocument>> list(String owner) {
        return listFrom(owner, "", new ArrayList<>());
    }

    private CompletableFuture<List<StoredDocument>> listFrom(String owner, String after, List<StoredDocument> all) {
        return listPage(owner, after, 0xFFFF).thenCompose(page -> {
            all.addAll(page.documents());
            if (!page.more() || page.documents().isEmpty()) {
                return CompletableFuture.completedFuture(List.copyOf(all));
            }
            return listFrom(owner, page.documents().get(page.documents().size() - 1).documentId(), all);
        });
    }

    /**
     * The daemon's partial signature of the receipt body it stored for {@code documentId}, with
     * its proof (threshold-crypto's share wire form): asked when a deposit's shares, sent without
     * proofs, do not combine.
     */
    public CompletableFuture<byte[]> prove(String documentId) {
        return call("prove", id -> new Message.ProveRequest(id, documentId), Message.ProveReply.class,
                Message.ProveReply::partialSignature);
    }

    /** Deletes a document's slice; completes with whether the daemon had it. */
    public CompletableFuture<Boolean> delete(String documentId) {
        return call("delete", id -> new DeleteRequest(id, documentId), DeleteReply.class, DeleteReply::existed);
    }

    public CompletableFuture<NodeHealth> health() {
        return call("health", HealthRequest::new, HealthReply.class, HealthReply::health);
    }

    /** Has the daemon re-hash its slices; completes with what it found. */
    public CompletableFuture<ScrubReply> scrub() {
        return call("scrub", ScrubRequest::new, ScrubReply.class, Function.identity());
    }

    /**
     * Abandons a request this client started: the same as cancelling its future. Exists for
     * symmetry with the protocol's Cancel; returns whether the future was still open.
     */
    public boolean cancel(CompletableFuture<?> request) {
        return request.cancel(false);
    }

    private <R extends Message, T> CompletableFuture<T> call(String kind, Function<Integer, Message> build,
            Class<R> replyType, Function<R, T> result) {
        CompletableFuture<T> future = new CompletableFuture<>();
        acquire().whenComplete((conn, err) -> {
            if (err != null) {
                future.completeExceptionally(unwrap(err));
                return;
            }
            int id = newId(conn);
            Message message;
            try {
                message = build.apply(id);
            } catch (RuntimeException e) {
                future.completeExceptionally(e);
                return;
            }
            SingleReplyRequest<R, T> request = new SingleReplyRequest<>(this, conn, id, kind, replyType, result, future);
            request.start();
            conn.channel.writeAndFlush(message).addListener(failOnError(request));
        });
        return future;
    }

    private ChannelFutureListener failOnError(PendingRequest request) {
        return f -> {
            if (!f.isSuccess()) {
                request.fail(lost(f.cause()));
            } else {
                request.progress();
            }
        };
    }

    private DaemonUnavailableException lost(Throwable cause) {
        return new DaemonUnavailableException(label() + ": writing to the connection failed: " + cause, cause);
    }

    private static Throwable unwrap(Throwable t) {
        return t instanceof java.util.concurrent.CompletionException && t.getCause() != null ? t.getCause() : t;
    }

    /** A request id not open on this connection: counts up from 1, skips 0 and wraps. */
    private int newId(Connection conn) {
        while (true) {
            int id = nextId.getAndIncrement();
            if (id <= 0) {
                nextId.compareAndSet(id + 1, 1);
                continue;
            }
            if (!conn.pending.containsKey(id)) {
                return id;
            }
        }
    }

    // ---------------------------------------------------------------- connection

    private CompletableFuture<Connection> acquire() {
        synchronized (lock) {
            if (closed) {
                return CompletableFuture.failedFuture(new DaemonUnavailableException("the client for " + label()
                        + " is closed"));
            }
            if (connection != null && connection.isActive()) {
                return CompletableFuture.completedFuture(connection);
            }
            if (connectingFuture != null) {
                return connectingFuture;
            }
            long wait = nextAttemptNanos - System.nanoTime();
            if (lastFailure != null && wait > 0) {
                return CompletableFuture.failedFuture(new DaemonUnavailableException(label() + " is unavailable ("
                        + lastFailure + "); next attempt in " + TimeUnit.NANOSECONDS.toMillis(wait) + " ms"));
            }
            return startConnect();
        }
    }

    /** Under the lock. */
    private CompletableFuture<Connection> startConnect() {
        CompletableFuture<Connection> future = new CompletableFuture<>();
        connectingFuture = future;
        Bootstrap b = bootstrap.clone().handler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                SslHandler tls = sslContext.newHandler(ch.alloc(), host, port);
                tls.setHandshakeTimeoutMillis(options.connectTimeout().toMillis());
                ProtocolPipeline.initClient(ch.pipeline(), tls,
                        options.limits().withHelloTimeoutMillis(options.connectTimeout().toMillis()),
                        new Hello(Message.PROTOCOL_VERSION, options.nodeId(), options.role()));
                Connection c = new Connection(ch);
                synchronized (lock) {
                    connecting = c;
                }
                ch.pipeline().addLast("daemon-client", new ClientHandler(DaemonClient.this, c));
            }
        });
        ChannelFuture cf = b.connect(host, port);
        cf.addListener(f -> {
            if (!f.isSuccess()) {
                connectFailed(future, "cannot connect: " + describe(f.cause()), f.cause());
            }
        });
        return future;
    }

    private static String describe(Throwable t) {
        return t == null ? "unknown cause" : t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
    }

    /** Event loop: the daemon's Hello passed the version and certificate checks. */
    void onHello(Connection c, Hello hello) {
        CompletableFuture<Connection> future;
        synchronized (lock) {
            future = connectingFuture;
            if (connecting != c || future == null) {
                c.channel.close();
                return;
            }
            String expected = options.expectedNodeId();
            if (expected != null && !expected.equals(hello.nodeId())) {
                c.closeReason = "expected node " + expected + " but the daemon is " + hello.nodeId();
                c.channel.close();
                return;
            }
            if (closed) {
                c.channel.close();
                return;
            }
            peerNodeId = hello.nodeId();
            connection = c;
            connecting = null;
            connectingFuture = null;
            lastFailure = null;
            backoffNanos = options.backoffMin().toNanos();
        }
        future.complete(c);
    }

    /** Event loop: a channel closed, during the handshake or after. */
    void onClosed(Connection c) {
        CompletableFuture<Connection> failedConnect = null;
        String reason = c.closeReason != null ? c.closeReason : "the connection closed";
        synchronized (lock) {
            if (connecting == c) {
                failedConnect = connectingFuture;
                connecting = null;
            }
            if (connection == c) {
                connection = null;
                lastFailure = reason;
                // One immediate chance for the next request, then the background loop takes over.
                nextAttemptNanos = System.nanoTime();
                scheduleReconnect(options.backoffMin().toNanos());
            }
        }
        if (failedConnect != null) {
            connectFailed(failedConnect, reason, c.closeCause);
        }
        DaemonUnavailableException lost = new DaemonUnavailableException(label() + ": " + reason
                + " while the request was open", c.closeCause);
        for (PendingRequest r : List.copyOf(c.pending.values())) {
            r.fail(lost);
        }
    }

    private void connectFailed(CompletableFuture<Connection> future, String reason, Throwable cause) {
        synchronized (lock) {
            if (connectingFuture == future) {
                connectingFuture = null;
                connecting = null;
                lastFailure = reason;
                nextAttemptNanos = System.nanoTime() + backoffNanos;
                scheduleReconnect(backoffNanos);
                backoffNanos = Math.min(backoffNanos * 2, options.backoffMax().toNanos());
            }
        }
        future.completeExceptionally(new DaemonUnavailableException(label() + " is unavailable: " + reason, cause));
    }

    /** Under the lock. */
    private void scheduleReconnect(long delayNanos) {
        if (closed || (reconnectTask != null && !reconnectTask.isDone())) {
            return;
        }
        reconnectTask = group.schedule(() -> {
            synchronized (lock) {
                reconnectTask = null;
                if (closed || connectingFuture != null || (connection != null && connection.isActive())) {
                    return;
                }
                startConnect();
            }
        }, delayNanos, TimeUnit.NANOSECONDS);
    }

    /**
     * Closes the connection, fails open requests with {@link DaemonUnavailableException}, stops
     * reconnecting and, if the client made its own event loop, shuts it down. Idempotent. Waits
     * for all that unless called from an event loop thread (then it only starts it).
     */
    @Override
    public void close() {
        Channel toClose = null;
        Channel connectingChannel = null;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            if (reconnectTask != null) {
                reconnectTask.cancel(false);
            }
            if (connection != null) {
                connection.closeReason = "the client was closed";
                toClose = connection.channel;
            }
            if (connecting != null) {
                connecting.closeReason = "the client was closed";
                connectingChannel = connecting.channel;
            }
        }
        // Waiting on an event loop from that loop would deadlock: from a callback, close without waiting.
        boolean mayWait = !group.next().inEventLoop() && !(toClose != null && toClose.eventLoop().inEventLoop());
        for (Channel ch : new Channel[] {toClose, connectingChannel}) {
            if (ch != null) {
                ChannelFuture f = ch.close();
                if (mayWait && !ch.eventLoop().inEventLoop()) {
                    f.syncUninterruptibly();
                }
            }
        }
        pumps.shutdownNow();
        if (ownGroup) {
            io.netty.util.concurrent.Future<?> f = group.shutdownGracefully(0, 2, TimeUnit.SECONDS);
            if (mayWait) {
                f.syncUninterruptibly();
            }
        }
    }
}
