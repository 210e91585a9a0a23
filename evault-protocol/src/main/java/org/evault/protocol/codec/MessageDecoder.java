package org.evault.protocol.codec;

import java.util.ArrayList;
import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageDecoder;
import io.netty.util.ReferenceCountUtil;
import org.evault.ida.FingerprintVector;
import org.evault.ida.Hash256;
import org.evault.ida.SegmentHashes;
import org.evault.ida.slice.SliceHeader;
import org.evault.protocol.DepositMetadata;
import org.evault.protocol.ErrorCode;
import org.evault.protocol.Message;
import org.evault.protocol.MessageType;
import org.evault.protocol.Message.Cancel;
import org.evault.protocol.Message.DeleteReply;
import org.evault.protocol.Message.DeleteRequest;
import org.evault.protocol.Message.DepositAck;
import org.evault.protocol.Message.DepositBegin;
import org.evault.protocol.Message.DepositChunk;
import org.evault.protocol.Message.DepositEnd;
import org.evault.protocol.Message.ErrorReply;
import org.evault.protocol.Message.HealthReply;
import org.evault.protocol.Message.HealthRequest;
import org.evault.protocol.Message.Hello;
import org.evault.protocol.Message.ListReply;
import org.evault.protocol.Message.ListRequest;
import org.evault.protocol.Message.RetrieveChunk;
import org.evault.protocol.Message.RetrieveCredit;
import org.evault.protocol.Message.RetrieveEnd;
import org.evault.protocol.Message.RetrieveHeader;
import org.evault.protocol.Message.RetrieveRequest;
import org.evault.protocol.Message.ScrubReply;
import org.evault.protocol.Message.ScrubRequest;
import org.evault.protocol.NodeHealth;
import org.evault.protocol.ProtocolLimits;
import org.evault.protocol.ScrubFinding;
import org.evault.protocol.StoredDocument;

/**
 * Turns a {@link Frame} into a {@link Message}. A payload that does not parse (short, trailing
 * bytes, a length over its limit, bad UTF-8, a value out of range) raises a
 * {@link ProtocolException} for that request: BAD_FRAME, or BAD_METADATA for deposit metadata
 * that parses but is out of range. It is fatal only on request id 0. Chunks become retained
 * slices of the received bytes, never copies.
 *
 * <p>Holds no per-channel state, but like every decoder here it is added once per channel.
 */
public final class MessageDecoder extends MessageToMessageDecoder<Frame> {
    private final ProtocolLimits limits;

    public MessageDecoder(ProtocolLimits limits) {
        super(Frame.class);
        this.limits = limits;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, Frame frame, List<Object> out) {
        int id = frame.requestId();
        ByteBuf in = frame.content();
        Message message;
        boolean connectionLevel = frame.type() == MessageType.HELLO || frame.type() == MessageType.ERROR;
        if (frame.type() == MessageType.HELLO ? id != 0 : id == 0 && !connectionLevel) {
            throw Wire.bad(id, frame.type() + " on request id " + Integer.toUnsignedString(id)
                    + (id == 0 ? ": only Hello and ERROR use request id 0" : ": Hello uses request id 0"));
        }
        try {
            message = parse(frame.type(), id, in);
        } catch (ProtocolException e) {
            throw e;
        } catch (RuntimeException e) {
            // A record's constructor (or ida-core's parser) refused a value that parsed: out of range for its field.
            ErrorCode code = frame.type() == MessageType.DEPOSIT_BEGIN || frame.type() == MessageType.REPAIR_BEGIN
                    ? ErrorCode.BAD_METADATA : ErrorCode.BAD_FRAME;
            throw new ProtocolException(code, id, id == 0, frame.type() + ": " + e.getMessage());
        }
        if (in.isReadable()) {
            ReferenceCountUtil.release(message);
            throw Wire.bad(id, frame.type() + " has " + in.readableBytes() + " bytes after its last field");
        }
        out.add(message);
    }

    private Message parse(MessageType type, int id, ByteBuf in) {
        switch (type) {
            case HELLO: {
                int version = Wire.readU16(in, id, "protocol version");
                String nodeId = Wire.readString(in, id, "node id", Hello.MAX_NODE_ID_BYTES);
                String role = Wire.readString(in, id, "role", Hello.MAX_ROLE_BYTES);
                return new Hello(id, version, nodeId, role);
            }
            case ERROR: {
                int code = Wire.readU16(in, id, "error code");
                String text = Wire.readString(in, id, "error message", ErrorReply.MAX_MESSAGE_BYTES);
                return new ErrorReply(id, ErrorCode.fromWire(code), text);
            }
            case DEPOSIT_BEGIN:
            case REPAIR_BEGIN: {
                String documentId = Wire.readString(in, id, "document id", DepositMetadata.MAX_DOCUMENT_ID_BYTES);
                String owner = Wire.readString(in, id, "owner", DepositMetadata.MAX_OWNER_BYTES);
                String name = Wire.readString(in, id, "name", DepositMetadata.MAX_NAME_BYTES);
                int version = Wire.readInt(in, id, "version");
                long time = Wire.readLong(in, id, "deposit time");
                long length = Wire.readLong(in, id, "declared length");
                return new DepositBegin(id, new DepositMetadata(documentId, owner, name, version, time, length),
                        type == MessageType.REPAIR_BEGIN);
            }
            case DEPOSIT_CHUNK:
                checkChunk(id, in);
                return new DepositChunk(id, in.readRetainedSlice(in.readableBytes()));
            case DEPOSIT_END:
                return new DepositEnd(id);
            case DEPOSIT_ACK: {
                int nodeIndex = Wire.readU8(in, id, "node index");
                int n = Wire.readU8(in, id, "fingerprint count");
                byte[] fingerprints = Wire.readFixed(in, id, "fingerprints", n * Hash256.LENGTH);
                byte[] documentHash = Wire.readFixed(in, id, "document hash", Hash256.LENGTH);
                byte[] body = Wire.readBytes(in, id, "receipt body", DepositAck.MAX_RECEIPT_BODY_BYTES);
                byte[] signature = Wire.readBytes(in, id, "partial signature", DepositAck.MAX_PARTIAL_SIGNATURE_BYTES);
                return new DepositAck(id, nodeIndex, body, FingerprintVector.fromBytes(fingerprints),
                        Hash256.of(documentHash), signature);
            }
            case RETRIEVE_REQUEST: {
                String documentId = Wire.readString(in, id, "document id", DepositMetadata.MAX_DOCUMENT_ID_BYTES);
                return new RetrieveRequest(id, documentId, Wire.readInt(in, id, "window bytes"));
            }
            case RETRIEVE_CREDIT:
                return new RetrieveCredit(id, Wire.readInt(in, id, "credit bytes"));
            case RETRIEVE_HEADER: {
                byte[] header = Wire.readBytes(in, id, "slice header", limits.maxFrameLength());
                long count = Integer.toUnsignedLong(Wire.readInt(in, id, "segment hash count"));
                if (count > limits.maxSegmentHashes()) {
                    throw Wire.bad(id, count + " segment hashes are over the limit of " + limits.maxSegmentHashes());
                }
                byte[] hashes = Wire.readFixed(in, id, "segment hashes", (int) count * Hash256.LENGTH);
                return new RetrieveHeader(id, SliceHeader.fromBytes(header), SegmentHashes.fromBytes(hashes));
            }
            case RETRIEVE_CHUNK:
                checkChunk(id, in);
                return new RetrieveChunk(id, in.readRetainedSlice(in.readableBytes()));
            case RETRIEVE_END:
                return new RetrieveEnd(id);
            case LIST_REQUEST: {
                String owner = Wire.readString(in, id, "owner", DepositMetadata.MAX_OWNER_BYTES);
                String after = Wire.readString(in, id, "after document id", DepositMetadata.MAX_DOCUMENT_ID_BYTES);
                int max = Wire.readU16(in, id, "max entries");
                return new ListRequest(id, owner, after, max);
            }
            case LIST_REPLY: {
                boolean more = Wire.readBoolean(in, id, "more");
                int count = listCount(in, id, "document count");
                List<StoredDocument> documents = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    String documentId = Wire.readString(in, id, "document id", DepositMetadata.MAX_DOCUMENT_ID_BYTES);
                    String owner = Wire.readString(in, id, "owner", DepositMetadata.MAX_OWNER_BYTES);
                    String name = Wire.readString(in, id, "name", DepositMetadata.MAX_NAME_BYTES);
                    int version = Wire.readInt(in, id, "version");
                    long length = Wire.readLong(in, id, "length");
                    long time = Wire.readLong(in, id, "deposit time");
                    documents.add(new StoredDocument(documentId, owner, name, version, length, time));
                }
                return new ListReply(id, documents, more);
            }
            case PROVE_REQUEST:
                return new Message.ProveRequest(id, Wire.readString(in, id, "document id",
                        DepositMetadata.MAX_DOCUMENT_ID_BYTES));
            case PROVE_REPLY:
                return new Message.ProveReply(id, Wire.readBytes(in, id, "partial signature",
                        DepositAck.MAX_PARTIAL_SIGNATURE_BYTES));
            case DELETE_REQUEST:
                return new DeleteRequest(id, Wire.readString(in, id, "document id",
                        DepositMetadata.MAX_DOCUMENT_ID_BYTES));
            case DELETE_REPLY:
                return new DeleteReply(id, Wire.readBoolean(in, id, "existed"));
            case HEALTH_REQUEST:
                return new HealthRequest(id);
            case HEALTH_REPLY: {
                String nodeId = Wire.readString(in, id, "node id", Hello.MAX_NODE_ID_BYTES);
                long uptime = Wire.readLong(in, id, "uptime");
                long documents = Wire.readLong(in, id, "documents");
                long bytesStored = Wire.readLong(in, id, "bytes stored");
                long freeBytes = Wire.readLong(in, id, "free bytes");
                long served = Wire.readLong(in, id, "requests served");
                long failed = Wire.readLong(in, id, "requests failed");
                int connections = Wire.readInt(in, id, "open connections");
                return new HealthReply(id, new NodeHealth(nodeId, uptime, documents, bytesStored, freeBytes, served,
                        failed, connections));
            }
            case SCRUB_REQUEST:
                return new ScrubRequest(id);
            case SCRUB_REPLY: {
                long checked = Wire.readLong(in, id, "documents checked");
                boolean truncated = Wire.readBoolean(in, id, "truncated");
                int count = listCount(in, id, "finding count");
                List<ScrubFinding> findings = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    String documentId = Wire.readString(in, id, "document id", DepositMetadata.MAX_DOCUMENT_ID_BYTES);
                    int segment = Wire.readInt(in, id, "segment");
                    String problem = Wire.readString(in, id, "problem", ScrubFinding.MAX_PROBLEM_BYTES);
                    findings.add(new ScrubFinding(documentId, segment, problem));
                }
                return new ScrubReply(id, checked, findings, truncated);
            }
            case CANCEL:
                return new Cancel(id);
            default:
                throw new IllegalStateException("no parser for frame type " + type);
        }
    }

    private void checkChunk(int id, ByteBuf in) {
        if (in.readableBytes() > limits.maxChunkBytes()) {
            throw new ProtocolException(ErrorCode.LIMIT_EXCEEDED, id, id == 0, "chunk of " + in.readableBytes()
                    + " bytes is over the limit of " + limits.maxChunkBytes());
        }
    }

    private int listCount(ByteBuf in, int id, String field) {
        int count = Wire.readU16(in, id, field);
        if (count > limits.maxListEntries()) {
            throw Wire.bad(id, field + " " + count + " is over the limit of " + limits.maxListEntries());
        }
        return count;
    }
}
