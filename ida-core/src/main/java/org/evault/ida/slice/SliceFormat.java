package org.evault.ida.slice;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

import org.evault.ida.DispersalMatrix;
import org.evault.ida.FingerprintVector;
import org.evault.ida.GaloisField;
import org.evault.ida.Hash256;

/**
 * The byte layout of a slice file, version 1 (docs/formats.md): a 16-byte preamble, the slice
 * bytes, the segment hashes, the header block, a 32-byte footer. The header comes last because
 * the fingerprint vector and the document hash are only known once the whole document has
 * streamed through; the footer, at a fixed distance from the end, says where it starts.
 */
final class SliceFormat {
    static final byte[] MAGIC = "EVAULTSL".getBytes(StandardCharsets.US_ASCII);
    static final byte[] END_MAGIC = "EVSLEND1".getBytes(StandardCharsets.US_ASCII);
    static final int VERSION = 1;
    static final int PREAMBLE_BYTES = 16;
    static final int FOOTER_BYTES = 32;
    static final int MAX_HEADER_BYTES = SliceHeader.MAX_RECEIPT_BODY_BYTES + 64 * 1024 + 255 * 288;

    private SliceFormat() {
    }

    static byte[] preamble() {
        return ByteBuffer.allocate(PREAMBLE_BYTES).put(MAGIC).putShort((short) VERSION).putShort((short) 0).putInt(0).array();
    }

    static byte[] encodeHeader(SliceHeader h) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            byte[] id = h.documentId().getBytes(StandardCharsets.UTF_8);
            out.writeShort(id.length);
            out.write(id);
            DispersalMatrix t = h.matrix();
            out.writeByte(h.sliceIndex());
            out.writeByte(t.m());
            out.writeByte(t.n());
            out.writeShort(t.field().polynomial());
            out.write(t.toBytes());
            out.writeInt(h.segmentSize());
            out.writeLong(h.documentLength());
            out.write(h.documentHash().toBytes());
            out.write(h.fingerprints().toBytes());
            byte[] body = h.receiptBody();
            out.writeInt(body.length);
            out.write(body);
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory cannot fail", e);
        }
    }

    /** @throws IllegalArgumentException naming the first field that is out of range or short */
    static SliceHeader decodeHeader(byte[] block) {
        ByteBuffer in = ByteBuffer.wrap(block);
        try {
            int idLength = in.getShort() & 0xFFFF;
            byte[] id = new byte[idLength];
            in.get(id);
            int sliceIndex = in.get() & 0xFF;
            int m = in.get() & 0xFF;
            int n = in.get() & 0xFF;
            int polynomial = in.getShort() & 0xFFFF;
            byte[] matrixBytes = new byte[m * n];
            in.get(matrixBytes);
            DispersalMatrix matrix = DispersalMatrix.fromBytes(GaloisField.of(polynomial), m, n, matrixBytes);
            int segmentSize = in.getInt();
            long documentLength = in.getLong();
            byte[] hash = new byte[Hash256.LENGTH];
            in.get(hash);
            byte[] fingerprints = new byte[n * Hash256.LENGTH];
            in.get(fingerprints);
            int bodyLength = in.getInt();
            if (bodyLength < 0 || bodyLength > in.remaining()) {
                throw new IllegalArgumentException("receipt body length " + bodyLength + " exceeds the header");
            }
            byte[] body = new byte[bodyLength];
            in.get(body);
            if (in.hasRemaining()) {
                throw new IllegalArgumentException(in.remaining() + " unexpected bytes after the receipt body");
            }
            return new SliceHeader(new String(id, StandardCharsets.UTF_8), sliceIndex, matrix, segmentSize,
                    documentLength, Hash256.of(hash), FingerprintVector.fromBytes(fingerprints), body);
        } catch (java.nio.BufferUnderflowException e) {
            throw new IllegalArgumentException("header ends early, at byte " + in.position() + " of " + block.length);
        }
    }

    static byte[] footer(long sliceLength, int headerLength, int headerCrc) {
        ByteBuffer f = ByteBuffer.allocate(FOOTER_BYTES);
        f.putLong(sliceLength).putInt(headerLength).putInt(headerCrc);
        f.putInt(crc(f.array(), 0, 16));
        f.putInt(0);
        f.put(END_MAGIC);
        return f.array();
    }

    static int crc(byte[] data, int offset, int length) {
        CRC32C crc = new CRC32C();
        crc.update(data, offset, length);
        return (int) crc.getValue();
    }
}
