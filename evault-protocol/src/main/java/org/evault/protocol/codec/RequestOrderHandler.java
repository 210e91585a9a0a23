package org.evault.protocol.codec;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.util.ReferenceCountUtil;
import org.evault.protocol.ErrorCode;
import org.evault.protocol.Message;
import org.evault.protocol.Message.Cancel;
import org.evault.protocol.Message.ErrorReply;
import org.evault.protocol.MessageType;
import org.evault.protocol.ProtocolLimits;

/**
 * The server's check that each request's frames come in order (docs/protocol.md, "Ordering"),
 * so that the application only ever sees: a request-opening message on a free id; for a deposit,
 * chunks and then one DepositEnd; a Cancel only for an open request. It tracks which ids are
 * open from the inbound request to the outbound terminal reply the application writes.
 *
 * <ul>
 * <li>An id already open → ERROR DUPLICATE_ID for it; the open request goes on.</li>
 * <li>More than {@code maxOpenRequests} open → ERROR BUSY.</li>
 * <li>A chunk or end for an id that is not an open deposit still receiving → ERROR UNKNOWN_REQUEST
 *     (no such request) or OUT_OF_ORDER (after DepositEnd, or on a non-deposit request). An open
 *     request that gets OUT_OF_ORDER is over for the client: the application receives a
 *     {@link Cancel} for it, and whatever it still writes for that id is harmlessly ignored by the
 *     client. Chunks for a request that ended a moment ago (the client had not yet seen its
 *     terminal reply) are dropped silently.</li>
 * <li>A message only servers send → ERROR OUT_OF_ORDER.</li>
 * <li>A Cancel or RetrieveCredit for an id that is not open is dropped (the request ended first);
 *     a RetrieveCredit for an open request that is not a retrieval is OUT_OF_ORDER.</li>
 * <li>An ERROR from the client passes on unchecked (it says why the client is closing).</li>
 * </ul>
 * None of these close the connection. Stateful: one per channel, after the {@link HelloHandler}.
 */
public final class RequestOrderHandler extends ChannelDuplexHandler {
    private static final int RECENTLY_ENDED_KEPT = 256;

    private enum State { RECEIVING, RETRIEVING, REPLYING }

    private final int maxOpenRequests;
    private final Map<Integer, State> open = new HashMap<>();
    private final LinkedHashSet<Integer> recentlyEnded = new LinkedHashSet<>();

    public RequestOrderHandler(ProtocolLimits limits) {
        this.maxOpenRequests = limits.maxOpenRequests();
    }

    /** Requests open on this connection (inbound request seen, terminal reply not yet written). */
    public int openRequests() {
        return open.size();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof Message) || msg instanceof Message.Hello) {
            ctx.fireChannelRead(msg);
            return;
        }
        Message m = (Message) msg;
        int id = m.requestId();
        MessageType type = m.type();
        if (type == MessageType.ERROR) {
            ctx.fireChannelRead(msg); // the client explains why it closes: the application may log it
            return;
        }
        if (type.sender() == MessageType.Sender.SERVER) {
            ReferenceCountUtil.release(msg);
            reply(ctx, id, ErrorCode.OUT_OF_ORDER, "a server does not take " + type + " frames");
            return;
        }
        State state = open.get(id);
        if (type.opensRequest()) {
            if (state != null) {
                ReferenceCountUtil.release(msg);
                reply(ctx, id, ErrorCode.DUPLICATE_ID, "request id " + Integer.toUnsignedString(id)
                        + " is already open");
                return;
            }
            if (open.size() >= maxOpenRequests) {
                ReferenceCountUtil.release(msg);
                reply(ctx, id, ErrorCode.BUSY, open.size() + " requests are open on this connection, the limit is "
                        + maxOpenRequests);
                return;
            }
            recentlyEnded.remove(id);
            open.put(id, type == MessageType.DEPOSIT_BEGIN || type == MessageType.REPAIR_BEGIN ? State.RECEIVING
                    : type == MessageType.RETRIEVE_REQUEST ? State.RETRIEVING : State.REPLYING);
            ctx.fireChannelRead(msg);
            return;
        }
        if (type == MessageType.CANCEL) {
            if (state == null) {
                return; // the request ended before the Cancel arrived
            }
            ctx.fireChannelRead(msg);
            return;
        }
        if (type == MessageType.RETRIEVE_CREDIT) {
            if (state == null) {
                return; // the retrieval ended before the credit arrived
            }
            if (state != State.RETRIEVING) {
                end(id);
                reply(ctx, id, ErrorCode.OUT_OF_ORDER, "RETRIEVE_CREDIT for a request that is not a retrieval");
                ctx.fireChannelRead(new Cancel(id));
                return;
            }
            ctx.fireChannelRead(msg);
            return;
        }
        // DEPOSIT_CHUNK or DEPOSIT_END
        if (state != State.RECEIVING) {
            ReferenceCountUtil.release(msg);
            if (state == null) {
                if (!recentlyEnded.contains(id)) {
                    reply(ctx, id, ErrorCode.UNKNOWN_REQUEST, type + " for request id " + Integer.toUnsignedString(id)
                            + ", which is not open");
                }
                return;
            }
            end(id);
            reply(ctx, id, ErrorCode.OUT_OF_ORDER, type + " after the request's last inbound frame");
            ctx.fireChannelRead(new Cancel(id));
            return;
        }
        if (type == MessageType.DEPOSIT_END) {
            open.put(id, State.REPLYING);
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof Message) {
            Message m = (Message) msg;
            if (m.type().terminal() && m.requestId() != 0) {
                end(m.requestId());
            }
        }
        ctx.write(msg, promise);
    }

    private void end(int id) {
        if (open.remove(id) != null) {
            recentlyEnded.add(id);
            if (recentlyEnded.size() > RECENTLY_ENDED_KEPT) {
                recentlyEnded.remove(recentlyEnded.iterator().next());
            }
        }
    }

    private static void reply(ChannelHandlerContext ctx, int id, ErrorCode code, String why) {
        ctx.writeAndFlush(new ErrorReply(id, code, why)).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
    }
}
