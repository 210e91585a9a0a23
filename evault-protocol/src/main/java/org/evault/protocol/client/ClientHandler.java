package org.evault.protocol.client;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.ReferenceCountUtil;
import org.evault.protocol.Message;
import org.evault.protocol.Message.ErrorReply;
import org.evault.protocol.Message.Hello;
import org.evault.protocol.codec.ProtocolErrorHandler.ProtocolViolation;

/**
 * The client's end of one connection: hands the daemon's Hello to the client, routes each reply
 * to its open request by id (replies for ids no longer open are dropped, e.g. after a Cancel),
 * and reports the connection's end. One per channel.
 */
final class ClientHandler extends ChannelInboundHandlerAdapter {
    private final DaemonClient client;
    private final Connection connection;

    ClientHandler(DaemonClient client, Connection connection) {
        this.client = client;
        this.connection = connection;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof Hello) {
            client.onHello(connection, (Hello) msg);
            return;
        }
        if (!(msg instanceof Message)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        Message m = (Message) msg;
        if (m.requestId() == 0) {
            if (m instanceof ErrorReply) {
                ErrorReply e = (ErrorReply) m;
                connection.closeReason = "the daemon closed the connection with " + e.code() + ": " + e.message();
            }
            ReferenceCountUtil.release(msg);
            return;
        }
        PendingRequest request = connection.pending.get(m.requestId());
        if (request == null) {
            ReferenceCountUtil.release(msg);
            return;
        }
        request.onMessage(m);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof SslHandshakeCompletionEvent && !((SslHandshakeCompletionEvent) evt).isSuccess()) {
            Throwable cause = ((SslHandshakeCompletionEvent) evt).cause();
            connection.closeReason = "TLS handshake failed: " + cause.getMessage();
            connection.closeCause = cause;
        } else if (evt instanceof ProtocolViolation) {
            ProtocolViolation v = (ProtocolViolation) evt;
            connection.closeReason = "protocol violation, " + v.cause().code() + ": " + v.cause().getMessage();
        }
        ReferenceCountUtil.release(evt);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        connection.signalWritability();
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        client.onClosed(connection);
        connection.signalWritability();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (connection.closeReason == null) {
            connection.closeReason = cause.getClass().getSimpleName() + ": " + cause.getMessage();
            connection.closeCause = cause;
        }
        ctx.close();
    }
}
