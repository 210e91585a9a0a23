package org.evault.daemon.net;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.GlobalEventExecutor;

import org.evault.daemon.DaemonConfig;
import org.evault.daemon.DepositProcessor;
import org.evault.daemon.store.SliceStore;
import org.evault.protocol.Message;
import org.evault.protocol.ProtocolLimits;
import org.evault.protocol.Transports;
import org.evault.protocol.codec.ProtocolPipeline;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon's TLS server: accepts connections up to the configured limit, gives each its own
 * pipeline (TLS with required client certificates, codec, hello, ordering, {@link DaemonHandler}),
 * and runs blocking work (IDA, disk, signing) on a bounded worker pool so that event loops never
 * block.
 */
public final class DaemonServer {
    private static final Logger LOG = LoggerFactory.getLogger(DaemonServer.class);
    /** Blocking requests in flight at once; more get ERROR BUSY rather than queueing behind a deadlock. */
    static final int MAX_WORKERS = 256;

    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final Channel serverChannel;
    private final ChannelGroup connections;
    private final ThreadPoolExecutor blocking;
    private final Stats stats;

    /** Counters for health replies. */
    static final class Stats {
        final Instant started = Instant.now();
        final AtomicLong served = new AtomicLong();
        final AtomicLong failed = new AtomicLong();
        final AtomicInteger open = new AtomicInteger();
    }

    private DaemonServer(EventLoopGroup boss, EventLoopGroup workers, Channel serverChannel, ChannelGroup connections,
            ThreadPoolExecutor blocking, Stats stats) {
        this.connections = connections;
        this.boss = boss;
        this.workers = workers;
        this.serverChannel = serverChannel;
        this.blocking = blocking;
        this.stats = stats;
    }

    public static DaemonServer start(DaemonConfig config, SslContext tls, SliceStore store, DepositProcessor deposits)
            throws InterruptedException {
        EventLoopGroup boss = Transports.newGroup(1);
        EventLoopGroup workers = Transports.newGroup(0);
        AtomicInteger threadNumber = new AtomicInteger();
        ThreadPoolExecutor blocking = new ThreadPoolExecutor(0, MAX_WORKERS, 60, TimeUnit.SECONDS, new SynchronousQueue<>(),
                r -> {
                    Thread t = new Thread(r, "daemon-work-" + threadNumber.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        Stats stats = new Stats();
        ProtocolLimits limits = ProtocolLimits.defaults();
        ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
        ServerBootstrap b = new ServerBootstrap()
                .group(boss, workers)
                .channel(Transports.serverSocketChannel())
                .option(ChannelOption.SO_BACKLOG, 1024)
                // A daemon restarted right after a crash must get its port back although the
                // crashed process's connections still sit in TIME_WAIT.
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (stats.open.incrementAndGet() > config.maxConnections()) {
                            stats.open.decrementAndGet();
                            LOG.warn("connection from {} refused: {} connections open (limit)", ch.remoteAddress(),
                                    config.maxConnections());
                            ch.close();
                            return;
                        }
                        ch.closeFuture().addListener(f -> stats.open.decrementAndGet());
                        connections.add(ch);
                        ProtocolPipeline.initServer(ch.pipeline(), tls.newHandler(ch.alloc()), limits,
                                Message.Hello.of(config.nodeId(), "daemon"));
                        long idle = config.idleTimeout().toSeconds();
                        ch.pipeline().addFirst("idle", new IdleStateHandler(0, 0, idle, TimeUnit.SECONDS));
                        ch.pipeline().addLast("daemon", new DaemonHandler(config, store, deposits, blocking, limits, stats));
                    }
                });
        try {
            Channel channel = b.bind(config.listenHost(), config.listenPort()).sync().channel();
            return new DaemonServer(boss, workers, channel, connections, blocking, stats);
        } catch (RuntimeException | InterruptedException e) {
            // Port in use or the like: release the threads before reporting it.
            blocking.shutdownNow();
            boss.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            workers.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw e;
        }
    }

    public int port() {
        return ((java.net.InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    public String transport() {
        return Transports.name();
    }

    /** Stops accepting, waits up to {@code grace} for blocking work in flight, then closes everything. */
    public void stop(Duration grace) throws InterruptedException {
        serverChannel.close().sync();
        blocking.shutdown();
        if (!blocking.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
            LOG.warn("requests still running after {} s; closing their connections", grace.toSeconds());
            blocking.shutdownNow();
        }
        connections.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).sync();
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).sync();
    }
}
