package org.evault.protocol;

import java.util.ArrayList;
import java.util.List;

import io.netty.buffer.Unpooled;
import org.evault.ida.DispersalMatrix;
import org.evault.ida.FingerprintVector;
import org.evault.ida.Hash256;
import org.evault.ida.SegmentHashes;
import org.evault.ida.slice.SliceHeader;
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
import org.evault.protocol.Message.RetrieveEnd;
import org.evault.protocol.Message.RetrieveHeader;
import org.evault.protocol.Message.RetrieveRequest;
import org.evault.protocol.Message.ScrubReply;
import org.evault.protocol.Message.ScrubRequest;

/** One or more valid messages of every kind, for round trips and as fuzz seeds. */
public final class SampleMessages {
    private SampleMessages() {
    }

    public static FingerprintVector fingerprints(int n) {
        List<Hash256> list = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            list.add(Hash256.digest(new byte[] {(byte) i}));
        }
        return new FingerprintVector(list);
    }

    public static SliceHeader sliceHeader(String documentId, long length) {
        return new SliceHeader(documentId, 1, DispersalMatrix.systematicCauchy(3, 5), 65536, length,
                Hash256.digest("document".getBytes()), fingerprints(5), "{\"receipt\":1}".getBytes());
    }

    /** Every kind at least once; chunk messages hold fresh unpooled buffers the caller must release. */
    public static List<Message> all() {
        List<Message> m = new ArrayList<>();
        m.add(Hello.of("node-1", "daemon"));
        m.add(Hello.of("gätewäy ✓", "gateway"));
        m.add(new ErrorReply(0, ErrorCode.UNSUPPORTED_VERSION, "speaks 1, not 2"));
        for (ErrorCode c : ErrorCode.values()) {
            m.add(new ErrorReply(42, c, c.name().toLowerCase()));
        }
        m.add(new DepositBegin(1, new DepositMetadata("doc-1", "alice", "report.pdf", 3, 1_700_000_000_000L, 12345)));
        m.add(new DepositBegin(0x7FFF_FFFF, new DepositMetadata("d", "o", "n", 1, 0, -1)));
        m.add(new DepositBegin(-1, new DepositMetadata("d", "o", "n", 1, 0, -1))); // id 0xFFFFFFFF
        m.add(new DepositBegin(4, new DepositMetadata("doc-1", "alice", "report.pdf", 3, 1_600_000_000_000L, 12345), true));
        m.add(new DepositChunk(1, Unpooled.wrappedBuffer(new byte[] {1, 2, 3, 4, 5})));
        m.add(new DepositChunk(1, Unpooled.wrappedBuffer(new byte[100_000])));
        m.add(new DepositChunk(2, Unpooled.EMPTY_BUFFER.retainedDuplicate()));
        m.add(new DepositEnd(1));
        m.add(new DepositAck(1, 2, "{\"body\":true}".getBytes(), fingerprints(5),
                Hash256.digest(new byte[] {9}), new byte[384]));
        m.add(new DepositAck(7, 0, new byte[0], fingerprints(1), Hash256.digest(new byte[0]), new byte[0]));
        m.add(new RetrieveRequest(3, "doc-1"));
        m.add(new RetrieveRequest(3, "doc-1", 65536));
        m.add(new Message.RetrieveCredit(3, 32768));
        m.add(new RetrieveHeader(3, sliceHeader("doc-1", 1 << 20),
                SegmentHashes.ofSlice(new byte[200_000], 65536)));
        m.add(new RetrieveHeader(4, sliceHeader("empty", 0), SegmentHashes.fromBytes(new byte[0])));
        m.add(new RetrieveChunk(3, Unpooled.wrappedBuffer("slice bytes".getBytes())));
        m.add(new RetrieveEnd(3));
        m.add(new ListRequest(5, ""));
        m.add(new ListRequest(5, "alice", "doc-1", 100));
        m.add(new ListReply(5, List.of(), false));
        m.add(new ListReply(5, List.of(new StoredDocument("doc-1", "alice", "a.txt", 1, 10, 5),
                new StoredDocument("doc-2", "bob", "b.txt", 7, 0, 6)), true));
        m.add(new Message.ProveRequest(6, "doc-1"));
        m.add(new Message.ProveReply(6, new byte[] {1, 1, 0, 1, 0, 1, 7, 0}));
        m.add(new DeleteRequest(6, "doc-1"));
        m.add(new DeleteReply(6, true));
        m.add(new DeleteReply(6, false));
        m.add(new HealthRequest(7));
        m.add(new HealthReply(7, new NodeHealth("node-1", 1000, 3, 4096, 1L << 40, 17, 2, 1)));
        m.add(new ScrubRequest(8));
        m.add(new ScrubReply(8, 12, List.of(), false));
        m.add(new ScrubReply(8, 12, List.of(new ScrubFinding("doc-1", 3, "segment hash mismatch"),
                new ScrubFinding("doc-2", -1, "header unreadable")), true));
        m.add(new Cancel(9));
        return m;
    }
}
