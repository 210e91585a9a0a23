package org.evault.protocol;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;

/**
 * The native epoll transport where its library loads (Linux x86_64 with
 * netty-transport-native-epoll on the class path), NIO otherwise. Groups and channel classes
 * must come from the same choice.
 */
public final class Transports {
    private Transports() {
    }

    /** Whether {@link #newGroup} and the channel classes use native epoll. */
    public static boolean nativeEpoll() {
        return Epoll.isAvailable();
    }

    /** A new event loop group; 0 threads means Netty's default (twice the cores). */
    public static EventLoopGroup newGroup(int threads) {
        return new MultiThreadIoEventLoopGroup(threads,
                nativeEpoll() ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
    }

    public static Class<? extends SocketChannel> socketChannel() {
        return nativeEpoll() ? EpollSocketChannel.class : NioSocketChannel.class;
    }

    public static Class<? extends ServerChannel> serverSocketChannel() {
        return nativeEpoll() ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }

    /** "epoll" or "nio", for the log line that says what a server listens with. */
    public static String name() {
        return nativeEpoll() ? "epoll" : "nio";
    }
}
