package org.evault.protocol.codec;

import io.netty.channel.ChannelPipeline;
import io.netty.handler.ssl.SslHandler;
import org.evault.protocol.Message.Hello;
import org.evault.protocol.ProtocolLimits;

/**
 * Puts the protocol's handlers into a pipeline, in the one order that works. Inbound, bytes go
 * TLS → frames → messages → error replies → hello → (server: ordering) → the application;
 * outbound, the application's messages go back through the same encoders. Every handler is
 * stateful, so call these once per channel, from its initializer.
 *
 * <pre>{@code
 * // server: in ChannelInitializer.initChannel(SocketChannel ch)
 * ProtocolPipeline.initServer(ch.pipeline(), sslContext.newHandler(ch.alloc()), limits, Hello.of("node-1", "daemon"));
 * ch.pipeline().addLast("daemon", new DaemonHandler(...));   // receives Message, writes Message
 * }</pre>
 */
public final class ProtocolPipeline {
    public static final String TLS = "tls";
    public static final String FRAME_DECODER = "frame-decoder";
    public static final String FRAME_ENCODER = "frame-encoder";
    public static final String MESSAGE_DECODER = "message-decoder";
    public static final String MESSAGE_ENCODER = "message-encoder";
    public static final String ERRORS = "protocol-errors";
    public static final String HELLO = "hello";
    public static final String ORDER = "request-order";

    private ProtocolPipeline() {
    }

    /** Adds the frame and message codecs and the error replier at the end of the pipeline (after TLS). */
    public static void addCodec(ChannelPipeline pipeline, ProtocolLimits limits) {
        pipeline.addLast(FRAME_DECODER, new FrameDecoder(limits));
        pipeline.addLast(FRAME_ENCODER, new FrameEncoder(limits));
        pipeline.addLast(MESSAGE_DECODER, new MessageDecoder(limits));
        pipeline.addLast(MESSAGE_ENCODER, new MessageEncoder(limits));
        pipeline.addLast(ERRORS, new ProtocolErrorHandler());
    }

    /**
     * A daemon's pipeline up to its own handler: TLS (client certificate required by the context),
     * codec, hello (node id checked against the peer certificate's CN), request ordering.
     *
     * @param tls null only in tests without TLS
     */
    public static void initServer(ChannelPipeline pipeline, SslHandler tls, ProtocolLimits limits, Hello local) {
        if (tls != null) {
            pipeline.addLast(TLS, tls);
        }
        addCodec(pipeline, limits);
        pipeline.addLast(HELLO, new HelloHandler(local, limits.helloTimeoutMillis(), true));
        pipeline.addLast(ORDER, new RequestOrderHandler(limits));
    }

    /** A client's pipeline up to its own handler: TLS, codec, hello. */
    public static void initClient(ChannelPipeline pipeline, SslHandler tls, ProtocolLimits limits, Hello local) {
        if (tls != null) {
            pipeline.addLast(TLS, tls);
        }
        addCodec(pipeline, limits);
        pipeline.addLast(HELLO, new HelloHandler(local, limits.helloTimeoutMillis(), true));
    }
}
