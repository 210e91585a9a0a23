package org.evault.protocol;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;
import org.evault.ida.FingerprintVector;
import org.evault.ida.Hash256;
import org.evault.ida.SegmentHashes;
import org.evault.ida.slice.SliceHeader;

/**
 * One protocol message: what the codec hands to the application and takes from it. Every message
 * carries the request id it belongs to (0 for the connection itself: Hello and connection-level
 * errors). docs/protocol.md gives each one's bytes.
 *
 * <h2>Pitfalls</h2>
 * {@link Chunk} messages hold a {@link ByteBuf} and are reference counted. A handler that receives
 * one owns it and must {@code release()} it (or pass it on); writing one hands it to the encoder,
 * which releases it once written. All other messages hold no buffer. A received chunk is a
 * slice of the decoder's receive buffer, not a copy: holding many chunks (e.g. queued for a disk
 * writer) pins those buffers, so bound the queue and release promptly.
 */
public sealed interface Message {
    /** The protocol version this code speaks; a Hello with another version is refused. */
    int PROTOCOL_VERSION = 1;

    /** The request this message belongs to; 0 for the connection itself. */
    int requestId();

    MessageType type();

    /** A message that carries bytes of a document or slice in a retained buffer. */
    sealed interface Chunk extends Message, ByteBufHolder permits DepositChunk, RetrieveChunk {
        @Override
        Chunk replace(ByteBuf content);

        @Override
        default Chunk copy() {
            return replace(content().copy());
        }

        @Override
        default Chunk duplicate() {
            return replace(content().duplicate());
        }

        @Override
        default Chunk retainedDuplicate() {
            return replace(content().retainedDuplicate());
        }

        @Override
        default int refCnt() {
            return content().refCnt();
        }

        @Override
        default Chunk retain() {
            content().retain();
            return this;
        }

        @Override
        default Chunk retain(int increment) {
            content().retain(increment);
            return this;
        }

        @Override
        default Chunk touch() {
            content().touch();
            return this;
        }

        @Override
        default Chunk touch(Object hint) {
            content().touch(hint);
            return this;
        }

        @Override
        default boolean release() {
            return content().release();
        }

        @Override
        default boolean release(int decrement) {
            return content().release(decrement);
        }
    }

    private static void requireConnectionId(int requestId, String what) {
        if (requestId != 0) {
            throw new IllegalArgumentException(what + " belongs to the connection: request id must be 0, not "
                    + Integer.toUnsignedString(requestId));
        }
    }

    private static void requireRequestId(int requestId, String what) {
        if (requestId == 0) {
            throw new IllegalArgumentException(what + " needs a request id other than 0");
        }
    }

    /** The first frame each side sends, on request id 0. */
    record Hello(int requestId, int protocolVersion, String nodeId, String role) implements Message {
        public static final int MAX_NODE_ID_BYTES = 256;
        public static final int MAX_ROLE_BYTES = 64;

        public Hello {
            requireConnectionId(requestId, "Hello");
            if (protocolVersion < 1 || protocolVersion > 0xFFFF) {
                throw new IllegalArgumentException("protocol version must be 1 to 65535, not " + protocolVersion);
            }
            Utf8Fields.check(nodeId, "nodeId", 1, MAX_NODE_ID_BYTES);
            Utf8Fields.check(role, "role", 1, MAX_ROLE_BYTES);
        }

        public Hello(int protocolVersion, String nodeId, String role) {
            this(0, protocolVersion, nodeId, role);
        }

        /** A Hello for {@link Message#PROTOCOL_VERSION}. */
        public static Hello of(String nodeId, String role) {
            return new Hello(0, PROTOCOL_VERSION, nodeId, role);
        }

        @Override
        public MessageType type() {
            return MessageType.HELLO;
        }
    }

    /**
     * A failure: of request {@code requestId}, or of the whole connection when it is 0. Always the
     * last frame of its request. The message is cut to {@link #MAX_MESSAGE_BYTES} bytes of UTF-8.
     */
    record ErrorReply(int requestId, ErrorCode code, String message) implements Message {
        public static final int MAX_MESSAGE_BYTES = 4096;

        public ErrorReply {
            Objects.requireNonNull(code, "code");
            message = Utf8Fields.truncate(message, MAX_MESSAGE_BYTES);
        }

        @Override
        public MessageType type() {
            return MessageType.ERROR;
        }
    }

    /**
     * Starts a deposit, or with {@code repair} a repair: the same stream of chunks, but the daemon
     * only stores its slice of a document that was receipted before (its deposit time may be old)
     * and signs nothing, so that a repair can never produce a backdated signature.
     */
    record DepositBegin(int requestId, DepositMetadata meta, boolean repair) implements Message {
        public DepositBegin {
            requireRequestId(requestId, "DepositBegin");
            Objects.requireNonNull(meta, "meta");
        }

        public DepositBegin(int requestId, DepositMetadata meta) {
            this(requestId, meta, false);
        }

        @Override
        public MessageType type() {
            return repair ? MessageType.REPAIR_BEGIN : MessageType.DEPOSIT_BEGIN;
        }
    }

    /** Bytes of the document, in order; owns {@code data} (see {@link Message} Pitfalls). */
    record DepositChunk(int requestId, ByteBuf data) implements Chunk {
        public DepositChunk {
            requireRequestId(requestId, "DepositChunk");
            Objects.requireNonNull(data, "data");
        }

        @Override
        public ByteBuf content() {
            return data;
        }

        @Override
        public DepositChunk replace(ByteBuf content) {
            return new DepositChunk(requestId, content);
        }

        @Override
        public MessageType type() {
            return MessageType.DEPOSIT_CHUNK;
        }

        @Override
        public String toString() {
            return "DepositChunk[requestId=" + Integer.toUnsignedString(requestId) + ", " + data.readableBytes()
                    + " bytes]";
        }
    }

    record DepositEnd(int requestId) implements Message {
        public DepositEnd {
            requireRequestId(requestId, "DepositEnd");
        }

        @Override
        public MessageType type() {
            return MessageType.DEPOSIT_END;
        }
    }

    /**
     * A daemon's answer to a whole deposit, sent only once the slice is durable.
     *
     * @param nodeIndex        the daemon's 0-based slice index
     * @param receiptBody      the canonical receipt body it computed and signed (at most 1 MiB)
     * @param partialSignature its share of the vault signature on the body, opaque here (at most 64 KiB);
     *                         empty in the answer to a repair
     */
    record DepositAck(int requestId, int nodeIndex, byte[] receiptBody, FingerprintVector fingerprints,
            Hash256 documentHash, byte[] partialSignature) implements Message {
        public static final int MAX_RECEIPT_BODY_BYTES = SliceHeader.MAX_RECEIPT_BODY_BYTES;
        public static final int MAX_PARTIAL_SIGNATURE_BYTES = 64 * 1024;

        public DepositAck {
            requireRequestId(requestId, "DepositAck");
            Objects.requireNonNull(fingerprints, "fingerprints");
            Objects.requireNonNull(documentHash, "documentHash");
            if (nodeIndex < 0 || nodeIndex >= fingerprints.size()) {
                throw new IllegalArgumentException("node index " + nodeIndex + " is outside 0.."
                        + (fingerprints.size() - 1));
            }
            receiptBody = receiptBody.clone();
            partialSignature = partialSignature.clone();
            if (receiptBody.length > MAX_RECEIPT_BODY_BYTES) {
                throw new IllegalArgumentException("receipt body of " + receiptBody.length
                        + " bytes is over the limit of " + MAX_RECEIPT_BODY_BYTES);
            }
            if (partialSignature.length > MAX_PARTIAL_SIGNATURE_BYTES) {
                throw new IllegalArgumentException("partial signature of " + partialSignature.length
                        + " bytes is over the limit of " + MAX_PARTIAL_SIGNATURE_BYTES);
            }
        }

        @Override
        public byte[] receiptBody() {
            return receiptBody.clone();
        }

        @Override
        public byte[] partialSignature() {
            return partialSignature.clone();
        }

        @Override
        public MessageType type() {
            return MessageType.DEPOSIT_ACK;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof DepositAck a && requestId == a.requestId && nodeIndex == a.nodeIndex
                    && Arrays.equals(receiptBody, a.receiptBody) && fingerprints.equals(a.fingerprints)
                    && documentHash.equals(a.documentHash) && Arrays.equals(partialSignature, a.partialSignature);
        }

        @Override
        public int hashCode() {
            return Objects.hash(requestId, nodeIndex, fingerprints, documentHash) * 961
                    + Arrays.hashCode(receiptBody) * 31 + Arrays.hashCode(partialSignature);
        }

        @Override
        public String toString() {
            return "DepositAck[requestId=" + Integer.toUnsignedString(requestId) + ", node " + nodeIndex
                    + ", document " + documentHash.hex() + ", receipt body " + receiptBody.length
                    + " bytes, partial signature " + partialSignature.length + " bytes]";
        }
    }

    /**
     * Asks for a slice. {@code windowBytes} is the flow-control window: the daemon may send at
     * most that many RetrieveChunk payload bytes before the client grants more with
     * {@link RetrieveCredit} (docs/protocol.md, "Flow control").
     */
    record RetrieveRequest(int requestId, String documentId, int windowBytes) implements Message {
        public static final int DEFAULT_WINDOW_BYTES = 1 << 20;

        public RetrieveRequest {
            requireRequestId(requestId, "RetrieveRequest");
            Utf8Fields.check(documentId, "documentId", 1, DepositMetadata.MAX_DOCUMENT_ID_BYTES);
            if (windowBytes < 1) {
                throw new IllegalArgumentException("windowBytes must be positive, not " + windowBytes);
            }
        }

        /** With the {@link #DEFAULT_WINDOW_BYTES default window}. */
        public RetrieveRequest(int requestId, String documentId) {
            this(requestId, documentId, DEFAULT_WINDOW_BYTES);
        }

        @Override
        public MessageType type() {
            return MessageType.RETRIEVE_REQUEST;
        }
    }

    /** The first reply to a retrieve: the slice file's header and its segment hashes. */
    record RetrieveHeader(int requestId, SliceHeader header, SegmentHashes segmentHashes) implements Message {
        public RetrieveHeader {
            requireRequestId(requestId, "RetrieveHeader");
            Objects.requireNonNull(header, "header");
            Objects.requireNonNull(segmentHashes, "segmentHashes");
        }

        @Override
        public MessageType type() {
            return MessageType.RETRIEVE_HEADER;
        }
    }

    /** Bytes of the slice, in order; owns {@code data} (see {@link Message} Pitfalls). */
    record RetrieveChunk(int requestId, ByteBuf data) implements Chunk {
        public RetrieveChunk {
            requireRequestId(requestId, "RetrieveChunk");
            Objects.requireNonNull(data, "data");
        }

        @Override
        public ByteBuf content() {
            return data;
        }

        @Override
        public RetrieveChunk replace(ByteBuf content) {
            return new RetrieveChunk(requestId, content);
        }

        @Override
        public MessageType type() {
            return MessageType.RETRIEVE_CHUNK;
        }

        @Override
        public String toString() {
            return "RetrieveChunk[requestId=" + Integer.toUnsignedString(requestId) + ", " + data.readableBytes()
                    + " bytes]";
        }
    }

    /**
     * Grants the daemon {@code bytes} more RetrieveChunk payload bytes for retrieval
     * {@code requestId}, as the client's reader consumes what it has.
     */
    record RetrieveCredit(int requestId, int bytes) implements Message {
        public RetrieveCredit {
            requireRequestId(requestId, "RetrieveCredit");
            if (bytes < 1) {
                throw new IllegalArgumentException("credit must be positive, not " + bytes);
            }
        }

        @Override
        public MessageType type() {
            return MessageType.RETRIEVE_CREDIT;
        }
    }

    record RetrieveEnd(int requestId) implements Message {
        public RetrieveEnd {
            requireRequestId(requestId, "RetrieveEnd");
        }

        @Override
        public MessageType type() {
            return MessageType.RETRIEVE_END;
        }
    }

    /**
     * One page of the daemon's documents, ordered by document id (UTF-8 bytes, unsigned).
     *
     * @param owner           only this owner's documents; empty for all
     * @param afterDocumentId only ids after this one; empty to start at the first
     * @param maxEntries      page size wanted, 1 to 65535; the daemon may send fewer (its limit)
     */
    record ListRequest(int requestId, String owner, String afterDocumentId, int maxEntries) implements Message {
        public ListRequest {
            requireRequestId(requestId, "ListRequest");
            Utf8Fields.check(owner, "owner", 0, DepositMetadata.MAX_OWNER_BYTES);
            Utf8Fields.check(afterDocumentId, "afterDocumentId", 0, DepositMetadata.MAX_DOCUMENT_ID_BYTES);
            if (maxEntries < 1 || maxEntries > 0xFFFF) {
                throw new IllegalArgumentException("maxEntries must be 1 to 65535, not " + maxEntries);
            }
        }

        /** The first page of {@code owner}'s documents (empty owner: all), as large as the daemon allows. */
        public ListRequest(int requestId, String owner) {
            this(requestId, owner, "", 0xFFFF);
        }

        @Override
        public MessageType type() {
            return MessageType.LIST_REQUEST;
        }
    }

    /** @param more whether documents after the last one listed remain (ask again from there) */
    record ListReply(int requestId, List<StoredDocument> documents, boolean more) implements Message {
        public ListReply {
            requireRequestId(requestId, "ListReply");
            documents = List.copyOf(documents);
            if (documents.size() > 0xFFFF) {
                throw new IllegalArgumentException("a list reply holds at most 65535 documents, not "
                        + documents.size());
            }
        }

        @Override
        public MessageType type() {
            return MessageType.LIST_REPLY;
        }
    }

    /**
     * Asks a daemon for the proof of the partial signature it sent, without one, for a document it
     * stored: it answers with its share of the receipt body in its own slice header, proof included.
     */
    record ProveRequest(int requestId, String documentId) implements Message {
        public ProveRequest {
            requireRequestId(requestId, "ProveRequest");
            Utf8Fields.check(documentId, "documentId", 1, DepositMetadata.MAX_DOCUMENT_ID_BYTES);
        }

        @Override
        public MessageType type() {
            return MessageType.PROVE_REQUEST;
        }
    }

    /** The proven partial signature, in threshold-crypto's share wire form. */
    record ProveReply(int requestId, byte[] partialSignature) implements Message {
        public ProveReply {
            requireRequestId(requestId, "ProveReply");
            if (partialSignature == null || partialSignature.length == 0
                    || partialSignature.length > DepositAck.MAX_PARTIAL_SIGNATURE_BYTES) {
                throw new IllegalArgumentException("ProveReply needs a partial signature of 1 to "
                        + DepositAck.MAX_PARTIAL_SIGNATURE_BYTES + " bytes");
            }
            partialSignature = partialSignature.clone();
        }

        @Override
        public byte[] partialSignature() {
            return partialSignature.clone();
        }

        @Override
        public MessageType type() {
            return MessageType.PROVE_REPLY;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof ProveReply r && r.requestId == requestId && Arrays.equals(r.partialSignature, partialSignature);
        }

        @Override
        public int hashCode() {
            return 31 * requestId + Arrays.hashCode(partialSignature);
        }

        @Override
        public String toString() {
            return "ProveReply[requestId=" + requestId + ", " + partialSignature.length + " bytes]";
        }
    }

    record DeleteRequest(int requestId, String documentId) implements Message {
        public DeleteRequest {
            requireRequestId(requestId, "DeleteRequest");
            Utf8Fields.check(documentId, "documentId", 1, DepositMetadata.MAX_DOCUMENT_ID_BYTES);
        }

        @Override
        public MessageType type() {
            return MessageType.DELETE_REQUEST;
        }
    }

    record DeleteReply(int requestId, boolean existed) implements Message {
        public DeleteReply {
            requireRequestId(requestId, "DeleteReply");
        }

        @Override
        public MessageType type() {
            return MessageType.DELETE_REPLY;
        }
    }

    record HealthRequest(int requestId) implements Message {
        public HealthRequest {
            requireRequestId(requestId, "HealthRequest");
        }

        @Override
        public MessageType type() {
            return MessageType.HEALTH_REQUEST;
        }
    }

    record HealthReply(int requestId, NodeHealth health) implements Message {
        public HealthReply {
            requireRequestId(requestId, "HealthReply");
            Objects.requireNonNull(health, "health");
        }

        @Override
        public MessageType type() {
            return MessageType.HEALTH_REPLY;
        }
    }

    record ScrubRequest(int requestId) implements Message {
        public ScrubRequest {
            requireRequestId(requestId, "ScrubRequest");
        }

        @Override
        public MessageType type() {
            return MessageType.SCRUB_REQUEST;
        }
    }

    /**
     * @param documentsChecked how many stored documents the scrub re-hashed
     * @param truncated        whether more findings existed than the reply could carry
     */
    record ScrubReply(int requestId, long documentsChecked, List<ScrubFinding> findings, boolean truncated)
            implements Message {
        public ScrubReply {
            requireRequestId(requestId, "ScrubReply");
            if (documentsChecked < 0) {
                throw new IllegalArgumentException("documentsChecked is negative: " + documentsChecked);
            }
            findings = List.copyOf(findings);
            if (findings.size() > 0xFFFF) {
                throw new IllegalArgumentException("a scrub reply holds at most 65535 findings, not "
                        + findings.size());
            }
        }

        @Override
        public MessageType type() {
            return MessageType.SCRUB_REPLY;
        }
    }

    /** Abandons request {@code requestId}; the server still ends it with one terminal reply. */
    record Cancel(int requestId) implements Message {
        public Cancel {
            requireRequestId(requestId, "Cancel");
        }

        @Override
        public MessageType type() {
            return MessageType.CANCEL;
        }
    }
}
