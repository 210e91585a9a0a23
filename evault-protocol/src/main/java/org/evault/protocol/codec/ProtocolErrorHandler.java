package org.evault.protocol.codec;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import org.evault.protocol.Message.ErrorReply;

/**
 * Answers a {@link ProtocolException} from the decoders with an ERROR frame to the peer, and
 * closes the connection after it when the exception is fatal. The exception goes no further:
 * the application learns of it as a {@link ProtocolViolation} user event (to log or count).
 * After a fatal error it drops whatever else arrives, so nothing half-parsed reaches the
 * application. Other exceptions pass on unchanged.
 *
 * <p>Sits right after the message decoder, so its ERROR frames go out through the encoders.
 */
public final class ProtocolErrorHandler extends ChannelInboundHandlerAdapter {
    private boolean closing;

    /** Fired by {@link ProtocolErrorHandler} once per violation, after the ERROR frame is written. */
    public record ProtocolViolation(ProtocolException cause) {
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (closing) {
            ReferenceCountUtil.release(msg);
            return;
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ProtocolException pe = find(cause);
        if (pe == null) {
            ctx.fireExceptionCaught(cause);
            return;
        }
        if (closing) {
            return;
        }
        ErrorReply reply = new ErrorReply(pe.requestId(), pe.code(), pe.getMessage());
        if (pe.fatal()) {
            closing = true;
            ctx.writeAndFlush(reply).addListener(ChannelFutureListener.CLOSE);
        } else {
            ctx.writeAndFlush(reply).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
        }
        ctx.fireUserEventTriggered(new ProtocolViolation(pe));
    }

    private static ProtocolException find(Throwable t) {
        for (int depth = 0; t != null && depth < 8; depth++, t = t.getCause()) {
            if (t instanceof ProtocolException) {
                return (ProtocolException) t;
            }
        }
        return null;
    }
}
