package org.evault.ida.slice;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

import org.evault.ida.Ida;
import org.evault.ida.SegmentHashes;
import org.evault.ida.SliceInput;

/**
 * An open, validated slice file: framing, header checksum, lengths and the segment hash list
 * (against the slice's own fingerprint) are checked when it is opened; the slice bytes are
 * checked segment by segment when they are read through {@link Ida#reconstruct}.
 */
public final class SliceFile implements Closeable {
    private final Path path;
    private final FileChannel channel;
    private final SliceHeader header;
    private final SegmentHashes segmentHashes;
    private final long sliceLength;

    private SliceFile(Path path, FileChannel channel, SliceHeader header, SegmentHashes segmentHashes, long sliceLength) {
        this.path = path;
        this.channel = channel;
        this.header = header;
        this.segmentHashes = segmentHashes;
        this.sliceLength = sliceLength;
    }

    /** @throws CorruptSliceFileException naming what is damaged */
    public static SliceFile open(Path path) throws IOException {
        FileChannel channel = FileChannel.open(path, StandardOpenOption.READ);
        try {
            return read(path, channel);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    private static SliceFile read(Path path, FileChannel channel) throws IOException {
        long size = channel.size();
        if (size < SliceFormat.PREAMBLE_BYTES + SliceFormat.FOOTER_BYTES) {
            throw new CorruptSliceFileException(path, "only " + size + " bytes, too short to be a slice file");
        }
        ByteBuffer preamble = readAt(channel, 0, SliceFormat.PREAMBLE_BYTES);
        byte[] magic = new byte[8];
        preamble.get(magic);
        if (!Arrays.equals(magic, SliceFormat.MAGIC)) {
            throw new CorruptSliceFileException(path, "not a slice file (bad magic at the start)");
        }
        int version = preamble.getShort() & 0xFFFF;
        if (version != SliceFormat.VERSION) {
            throw new CorruptSliceFileException(path, "format version " + version + " is not supported (this reader knows "
                    + SliceFormat.VERSION + ")");
        }
        ByteBuffer footer = readAt(channel, size - SliceFormat.FOOTER_BYTES, SliceFormat.FOOTER_BYTES);
        byte[] end = new byte[8];
        footer.get(SliceFormat.FOOTER_BYTES - 8, end);
        if (!Arrays.equals(end, SliceFormat.END_MAGIC)) {
            throw new CorruptSliceFileException(path, "footer missing (truncated or not finished)");
        }
        if (SliceFormat.crc(footer.array(), 0, 16) != footer.getInt(16)) {
            throw new CorruptSliceFileException(path, "footer is damaged (checksum mismatch)");
        }
        long sliceLength = footer.getLong(0);
        int headerLength = footer.getInt(8);
        int headerCrc = footer.getInt(12);
        if (sliceLength < 0 || headerLength < 0 || headerLength > SliceFormat.MAX_HEADER_BYTES
                || SliceFormat.PREAMBLE_BYTES + sliceLength + headerLength + SliceFormat.FOOTER_BYTES > size) {
            throw new CorruptSliceFileException(path, "footer lengths (slice " + sliceLength + ", header " + headerLength
                    + ") do not fit a file of " + size + " bytes");
        }
        long headerStart = size - SliceFormat.FOOTER_BYTES - headerLength;
        byte[] block = readAt(channel, headerStart, headerLength).array();
        if (SliceFormat.crc(block, 0, block.length) != headerCrc) {
            throw new CorruptSliceFileException(path, "header is damaged (checksum mismatch)");
        }
        SliceHeader header;
        Ida ida;
        try {
            header = SliceFormat.decodeHeader(block);
            ida = Ida.create(header.matrix(), header.segmentSize());
        } catch (IllegalArgumentException e) {
            throw new CorruptSliceFileException(path, "header is malformed: " + e.getMessage(), e);
        }
        long expectedSlice = ida.sliceLength(header.documentLength());
        if (sliceLength != expectedSlice) {
            throw new CorruptSliceFileException(path, "holds " + sliceLength + " slice bytes, a document of "
                    + header.documentLength() + " bytes has slices of " + expectedSlice);
        }
        long hashBytes = ida.segmentCount(header.documentLength()) * 32;
        long expectedSize = SliceFormat.PREAMBLE_BYTES + sliceLength + hashBytes + headerLength + SliceFormat.FOOTER_BYTES;
        if (size != expectedSize) {
            throw new CorruptSliceFileException(path, "is " + size + " bytes, its header implies " + expectedSize);
        }
        if (hashBytes > Integer.MAX_VALUE - 8) {
            throw new CorruptSliceFileException(path, "segment hash list of " + hashBytes + " bytes is too large");
        }
        SegmentHashes hashes = SegmentHashes.fromBytes(
                readAt(channel, SliceFormat.PREAMBLE_BYTES + sliceLength, (int) hashBytes).array());
        if (!hashes.root(sliceLength, header.segmentSize()).equals(header.fingerprints().get(header.sliceIndex()))) {
            throw new CorruptSliceFileException(path, "segment hash list does not match the slice's fingerprint");
        }
        return new SliceFile(path, channel, header, hashes, sliceLength);
    }

    public Path path() {
        return path;
    }

    public SliceHeader header() {
        return header;
    }

    public SegmentHashes segmentHashes() {
        return segmentHashes;
    }

    public long sliceLength() {
        return sliceLength;
    }

    /** A new stream over the slice bytes; independent of other streams from this file. */
    public InputStream openData() {
        return new RegionInputStream(channel, SliceFormat.PREAMBLE_BYTES, sliceLength);
    }

    /** This slice, ready for {@link Ida#reconstruct}. */
    public SliceInput toInput() {
        return new SliceInput(header.sliceIndex(), segmentHashes, openData());
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    private static ByteBuffer readAt(FileChannel channel, long position, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        while (buffer.hasRemaining()) {
            int read = channel.read(buffer, position + buffer.position());
            if (read < 0) {
                throw new java.io.EOFException("file ended at " + (position + buffer.position()));
            }
        }
        return buffer.flip();
    }

    /** Positional reads of one region of a channel; does not move the channel's own position. */
    private static final class RegionInputStream extends InputStream {
        private final FileChannel channel;
        private long position;
        private final long end;

        RegionInputStream(FileChannel channel, long start, long length) {
            this.channel = channel;
            this.position = start;
            this.end = start + length;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (position >= end) {
                return -1;
            }
            int wanted = (int) Math.min(len, end - position);
            int read = channel.read(ByteBuffer.wrap(b, off, wanted), position);
            if (read > 0) {
                position += read;
            }
            return read;
        }

        @Override
        public long skip(long n) {
            long skipped = Math.max(0, Math.min(n, end - position));
            position += skipped;
            return skipped;
        }
    }
}
