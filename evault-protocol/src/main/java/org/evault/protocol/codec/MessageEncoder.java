package org.evault.protocol.codec;

import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageEncoder;
import org.evault.protocol.DepositMetadata;
import org.evault.protocol.ErrorCode;
import org.evault.protocol.Message;
import org.evault.protocol.Message.DeleteReply;
import org.evault.protocol.Message.DeleteRequest;
import org.evault.protocol.Message.DepositAck;
import org.evault.protocol.Message.DepositBegin;
import org.evault.protocol.Message.ErrorReply;
import org.evault.protocol.Message.HealthReply;
import org.evault.protocol.Message.Hello;
import org.evault.protocol.Message.ListReply;
import org.evault.protocol.Message.ListRequest;
import org.evault.protocol.Message.RetrieveCredit;
import org.evault.protocol.Message.RetrieveHeader;
import org.evault.protocol.Message.RetrieveRequest;
import org.evault.protocol.Message.ScrubReply;
import org.evault.protocol.NodeHealth;
import org.evault.protocol.ProtocolLimits;
import org.evault.protocol.ScrubFinding;
import org.evault.protocol.StoredDocument;

/**
 * Turns a {@link Message} into a {@link Frame}. Chunks pass their buffer on without copying (the
 * encoder takes over the message's reference and releases it once written). A message over a
 * limit the peer enforces (chunk size, list length, segment hash count) fails its write promise
 * rather than reach a peer that would refuse it.
 */
public final class MessageEncoder extends MessageToMessageEncoder<Message> {
    private final ProtocolLimits limits;

    public MessageEncoder(ProtocolLimits limits) {
        super(Message.class);
        this.limits = limits;
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, Message message, List<Object> out) {
        int id = message.requestId();
        if (message instanceof Message.Chunk) {
            ByteBuf data = ((Message.Chunk) message).content();
            if (data.readableBytes() > limits.maxChunkBytes()) {
                throw tooLarge(id, "chunk of " + data.readableBytes() + " bytes is over the limit of "
                        + limits.maxChunkBytes());
            }
            // MessageToMessageEncoder releases the message after encode(): keep the bytes for the frame.
            out.add(new Frame(message.type(), 0, id, data.retain()));
            return;
        }
        ByteBuf payload = ctx.alloc().buffer(256);
        try {
            writePayload(message, payload);
        } catch (RuntimeException e) {
            payload.release();
            throw e;
        }
        out.add(new Frame(message.type(), 0, id, payload));
    }

    private void writePayload(Message message, ByteBuf out) {
        int id = message.requestId();
        switch (message.type()) {
            case HELLO: {
                Hello h = (Hello) message;
                out.writeShort(h.protocolVersion());
                Wire.writeString(out, h.nodeId());
                Wire.writeString(out, h.role());
                return;
            }
            case ERROR: {
                ErrorReply e = (ErrorReply) message;
                out.writeShort(e.code().wireValue());
                Wire.writeString(out, e.message());
                return;
            }
            case DEPOSIT_BEGIN:
            case REPAIR_BEGIN: {
                DepositMetadata m = ((DepositBegin) message).meta();
                Wire.writeString(out, m.documentId());
                Wire.writeString(out, m.owner());
                Wire.writeString(out, m.name());
                out.writeInt(m.version());
                out.writeLong(m.depositTimeMillis());
                out.writeLong(m.declaredLength());
                return;
            }
            case DEPOSIT_ACK: {
                DepositAck a = (DepositAck) message;
                out.writeByte(a.nodeIndex());
                out.writeByte(a.fingerprints().size());
                out.writeBytes(a.fingerprints().toBytes());
                out.writeBytes(a.documentHash().toBytes());
                Wire.writeBytes(out, a.receiptBody());
                Wire.writeBytes(out, a.partialSignature());
                return;
            }
            case RETRIEVE_REQUEST:
                Wire.writeString(out, ((RetrieveRequest) message).documentId());
                out.writeInt(((RetrieveRequest) message).windowBytes());
                return;
            case RETRIEVE_CREDIT:
                out.writeInt(((RetrieveCredit) message).bytes());
                return;
            case RETRIEVE_HEADER: {
                RetrieveHeader h = (RetrieveHeader) message;
                if (h.segmentHashes().count() > limits.maxSegmentHashes()) {
                    throw tooLarge(id, h.segmentHashes().count() + " segment hashes are over the limit of "
                            + limits.maxSegmentHashes());
                }
                Wire.writeBytes(out, h.header().toBytes());
                out.writeInt(h.segmentHashes().count());
                out.writeBytes(h.segmentHashes().toBytes());
                return;
            }
            case LIST_REQUEST: {
                ListRequest r = (ListRequest) message;
                Wire.writeString(out, r.owner());
                Wire.writeString(out, r.afterDocumentId());
                out.writeShort(r.maxEntries());
                return;
            }
            case LIST_REPLY: {
                ListReply r = (ListReply) message;
                checkCount(id, r.documents().size());
                out.writeBoolean(r.more());
                out.writeShort(r.documents().size());
                for (StoredDocument d : r.documents()) {
                    Wire.writeString(out, d.documentId());
                    Wire.writeString(out, d.owner());
                    Wire.writeString(out, d.name());
                    out.writeInt(d.version());
                    out.writeLong(d.length());
                    out.writeLong(d.depositTimeMillis());
                }
                return;
            }
            case PROVE_REQUEST:
                Wire.writeString(out, ((Message.ProveRequest) message).documentId());
                return;
            case PROVE_REPLY:
                Wire.writeBytes(out, ((Message.ProveReply) message).partialSignature());
                return;
            case DELETE_REQUEST:
                Wire.writeString(out, ((DeleteRequest) message).documentId());
                return;
            case DELETE_REPLY:
                out.writeBoolean(((DeleteReply) message).existed());
                return;
            case HEALTH_REPLY: {
                NodeHealth h = ((HealthReply) message).health();
                Wire.writeString(out, h.nodeId());
                out.writeLong(h.uptimeMillis());
                out.writeLong(h.documents());
                out.writeLong(h.bytesStored());
                out.writeLong(h.freeBytes());
                out.writeLong(h.requestsServed());
                out.writeLong(h.requestsFailed());
                out.writeInt(h.openConnections());
                return;
            }
            case SCRUB_REPLY: {
                ScrubReply r = (ScrubReply) message;
                checkCount(id, r.findings().size());
                out.writeLong(r.documentsChecked());
                out.writeBoolean(r.truncated());
                out.writeShort(r.findings().size());
                for (ScrubFinding f : r.findings()) {
                    Wire.writeString(out, f.documentId());
                    out.writeInt(f.segment());
                    Wire.writeString(out, f.problem());
                }
                return;
            }
            case DEPOSIT_END:
            case RETRIEVE_END:
            case HEALTH_REQUEST:
            case SCRUB_REQUEST:
            case CANCEL:
                return; // no payload
            default:
                throw new IllegalStateException("no writer for " + message.type());
        }
    }

    private void checkCount(int id, int count) {
        if (count > limits.maxListEntries()) {
            throw tooLarge(id, count + " entries are over the limit of " + limits.maxListEntries()
                    + " per reply: page the list");
        }
    }

    private static ProtocolException tooLarge(int id, String message) {
        return new ProtocolException(ErrorCode.LIMIT_EXCEEDED, id, false, message);
    }

}
