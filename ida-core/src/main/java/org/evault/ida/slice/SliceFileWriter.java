package org.evault.ida.slice;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

import org.evault.ida.Ida;
import org.evault.ida.SegmentHashes;

/**
 * Writes one slice file durably: stream the slice bytes into {@link #data()} under a temporary
 * name, {@link #finish} (hashes, header, footer, fsync), then {@link #commit} (atomic rename and
 * fsync of the folder). Until commit the file has its temporary name, so a crash at any moment
 * leaves either no slice file or a complete one; {@link #close} without commit deletes the
 * temporary file.
 */
public final class SliceFileWriter implements Closeable {
    private static final int BUFFER_BYTES = 256 * 1024;

    private final Path temporary;
    private final FileChannel channel;
    private final CountingOutputStream data;
    private boolean finished;
    private boolean committed;

    private SliceFileWriter(Path temporary, FileChannel channel) {
        this.temporary = temporary;
        this.channel = channel;
        this.data = new CountingOutputStream(new BufferedOutputStream(Channels.newOutputStream(channel), BUFFER_BYTES));
    }

    /** Creates {@code temporary} (which must not exist) and writes the preamble. */
    public static SliceFileWriter create(Path temporary) throws IOException {
        FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        try {
            writeFully(channel, SliceFormat.preamble());
            return new SliceFileWriter(temporary, channel);
        } catch (IOException | RuntimeException e) {
            channel.close();
            Files.deleteIfExists(temporary);
            throw e;
        }
    }

    /** Where the slice bytes go, in order. Closing it does nothing; the writer owns the file. */
    public OutputStream data() {
        return data;
    }

    /**
     * Appends the segment hashes, the header and the footer and forces everything to disk.
     *
     * @throws IllegalArgumentException if the bytes written or the hash count do not fit the header
     */
    public void finish(SliceHeader header, SegmentHashes hashes) throws IOException {
        if (finished) {
            throw new IllegalStateException("slice file already finished");
        }
        data.flush();
        Ida ida = Ida.create(header.matrix(), header.segmentSize());
        long expected = ida.sliceLength(header.documentLength());
        if (data.count != expected) {
            throw new IllegalArgumentException(data.count + " slice bytes written, a document of "
                    + header.documentLength() + " bytes has slices of " + expected);
        }
        if (hashes.count() != ida.segmentCount(header.documentLength())) {
            throw new IllegalArgumentException(hashes.count() + " segment hashes for "
                    + ida.segmentCount(header.documentLength()) + " segments");
        }
        byte[] block = SliceFormat.encodeHeader(header);
        writeFully(channel, hashes.toBytes());
        writeFully(channel, block);
        writeFully(channel, SliceFormat.footer(data.count, block.length, SliceFormat.crc(block, 0, block.length)));
        channel.force(true);
        finished = true;
    }

    /** Renames the finished file to {@code target} atomically and makes the rename durable. */
    public void commit(Path target) throws IOException {
        if (!finished) {
            throw new IllegalStateException("finish the slice file before committing it");
        }
        channel.close();
        Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
        committed = true;
        Path folder = target.toAbsolutePath().getParent();
        try (FileChannel dir = FileChannel.open(folder, StandardOpenOption.READ)) {
            dir.force(true);
        }
    }

    @Override
    public void close() throws IOException {
        if (!committed) {
            channel.close();
            Files.deleteIfExists(temporary);
        }
    }

    private static void writeFully(FileChannel channel, byte[] bytes) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }

    private static final class CountingOutputStream extends FilterOutputStream {
        long count;

        CountingOutputStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
