package org.evault.protocol.codec;

import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.concurrent.TimeUnit;

import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.SSLPeerUnverifiedException;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import org.evault.protocol.ErrorCode;
import org.evault.protocol.Message;
import org.evault.protocol.Message.ErrorReply;
import org.evault.protocol.Message.Hello;

/**
 * The hello exchange. Sends this side's {@link Hello} as soon as the channel is active (the
 * SslHandler holds it until the TLS handshake is done), then insists that the peer's first
 * message is a Hello of the same protocol version, and, when the channel runs over TLS and
 * {@code checkCertificateIdentity} is on, that its node id is the common name of the peer's
 * certificate. Anything else gets a connection-level ERROR (OUT_OF_ORDER, UNSUPPORTED_VERSION,
 * IDENTITY_MISMATCH) and a close; so does silence for {@code helloTimeoutMillis}.
 *
 * <p>A refusal also fires a {@link ProtocolErrorHandler.ProtocolViolation} user event (to log).
 * The accepted Hello is passed on: the application sees exactly one Hello, first. A second
 * Hello is OUT_OF_ORDER and closes the connection. Stateful: one per channel.
 */
public final class HelloHandler extends ChannelInboundHandlerAdapter {
    private final Hello local;
    private final long timeoutMillis;
    private final boolean checkCertificateIdentity;
    private boolean sent;
    private boolean received;
    private boolean closing;
    private ScheduledFuture<?> timeout;

    public HelloHandler(Hello local, long timeoutMillis, boolean checkCertificateIdentity) {
        this.local = local;
        this.timeoutMillis = timeoutMillis;
        this.checkCertificateIdentity = checkCertificateIdentity;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (ctx.channel().isActive()) {
            start(ctx);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        start(ctx);
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancelTimeout();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        cancelTimeout();
    }

    private void start(ChannelHandlerContext ctx) {
        if (sent) {
            return;
        }
        sent = true;
        ctx.writeAndFlush(local).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
        timeout = ctx.executor().schedule(() -> {
            if (!received) {
                refuse(ctx, ErrorCode.OUT_OF_ORDER, "no Hello within " + timeoutMillis + " ms");
            }
        }, timeoutMillis, TimeUnit.MILLISECONDS);
    }

    private void cancelTimeout() {
        if (timeout != null) {
            timeout.cancel(false);
            timeout = null;
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (closing) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (received) {
            if (msg instanceof Hello) {
                refuse(ctx, ErrorCode.OUT_OF_ORDER, "a second Hello on one connection");
                return;
            }
            ctx.fireChannelRead(msg);
            return;
        }
        if (!(msg instanceof Hello)) {
            String what = msg instanceof Message ? ((Message) msg).type().toString() : msg.getClass().getSimpleName();
            if (msg instanceof ErrorReply) {
                // The peer refused us (e.g. our version): let the application see why, then close.
                ctx.fireChannelRead(msg);
                closing = true;
                ctx.close();
                return;
            }
            ReferenceCountUtil.release(msg);
            refuse(ctx, ErrorCode.OUT_OF_ORDER, "expected Hello first, got " + what);
            return;
        }
        Hello peer = (Hello) msg;
        if (peer.protocolVersion() != local.protocolVersion()) {
            refuse(ctx, ErrorCode.UNSUPPORTED_VERSION, "this node speaks protocol version "
                    + local.protocolVersion() + ", not " + peer.protocolVersion());
            return;
        }
        if (checkCertificateIdentity) {
            String mismatch = identityMismatch(ctx, peer.nodeId());
            if (mismatch != null) {
                refuse(ctx, ErrorCode.IDENTITY_MISMATCH, mismatch);
                return;
            }
        }
        received = true;
        cancelTimeout();
        ctx.fireChannelRead(peer);
    }

    private void refuse(ChannelHandlerContext ctx, ErrorCode code, String why) {
        if (closing) {
            return;
        }
        closing = true;
        cancelTimeout();
        ctx.writeAndFlush(new ErrorReply(0, code, why)).addListener(ChannelFutureListener.CLOSE);
        ctx.fireUserEventTriggered(new ProtocolErrorHandler.ProtocolViolation(new ProtocolException(code, 0, true, why)));
    }

    /** Null when the peer's certificate names {@code nodeId} as its CN (or there is no TLS). */
    private static String identityMismatch(ChannelHandlerContext ctx, String nodeId) {
        SslHandler ssl = ctx.pipeline().get(SslHandler.class);
        if (ssl == null) {
            return null;
        }
        try {
            Certificate[] chain = ssl.engine().getSession().getPeerCertificates();
            String cn = commonName((X509Certificate) chain[0]);
            return nodeId.equals(cn) ? null
                    : "Hello names node id '" + nodeId + "' but the peer's certificate is for '" + cn + "'";
        } catch (SSLPeerUnverifiedException | ClassCastException | ArrayIndexOutOfBoundsException e) {
            return "the peer presented no certificate to check its node id '" + nodeId + "' against";
        }
    }

    /** The CN of a certificate's subject, or null when it has none. */
    public static String commonName(X509Certificate certificate) {
        try {
            for (Rdn rdn : new LdapName(certificate.getSubjectX500Principal().getName()).getRdns()) {
                if ("CN".equalsIgnoreCase(rdn.getType())) {
                    return String.valueOf(rdn.getValue());
                }
            }
            return null;
        } catch (InvalidNameException e) {
            return null;
        }
    }
}
