package org.evault.daemon.store;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

import org.evault.ida.slice.SliceFile;
import org.evault.ida.slice.SliceFileWriter;
import org.evault.ida.slice.SliceHeader;
import org.evault.ida.SegmentHashes;
import org.evault.protocol.ScrubFinding;
import org.evault.protocol.StoredDocument;
import org.evault.protocol.receipt.ReceiptBody;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A daemon's slices on disk: one self-describing slice file per document version under
 * {@code <data>/slices/<documentId>.slice}, written through {@code <data>/tmp/} (temporary name,
 * fsync, atomic rename, fsync of the folder). At open, leftovers in tmp/ (deposits cut off by a
 * crash) are deleted and every slice file is validated; damaged ones are moved aside to
 * {@code <data>/damaged/} and reported, never served. Thread-safe.
 */
public final class SliceStore {
    private static final Logger LOG = LoggerFactory.getLogger(SliceStore.class);
    /** Document ids the gateway assigns: safe as file names on any file system. */
    public static final Pattern DOCUMENT_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    private static final String SUFFIX = ".slice";

    private final Path slices;
    private final Path tmp;
    private final Path damaged;
    private final Map<String, Stored> index = new ConcurrentSkipListMap<>();
    private final Map<String, Boolean> pending = new ConcurrentHashMap<>();
    private final AtomicLong bytesStored = new AtomicLong();
    private final List<String> openingProblems = new ArrayList<>();

    private SliceStore(Path data) {
        this.slices = data.resolve("slices");
        this.tmp = data.resolve("tmp");
        this.damaged = data.resolve("damaged");
    }

    /** What the store knows of one stored slice; {@code summary} is read from its receipt body once. */
    public record Stored(String documentId, Path file, long fileBytes, SliceHeader header, StoredDocument summary) {
        static Stored of(Path file, long fileBytes, SliceHeader header) {
            ReceiptBody body = ReceiptBody.parse(header.receiptBody());
            return new Stored(header.documentId(), file, fileBytes, header, new StoredDocument(header.documentId(),
                    body.owner(), body.documentName(), body.version(), body.size(), body.depositTime().toEpochMilli()));
        }
    }

    public static SliceStore open(Path data) throws IOException {
        SliceStore store = new SliceStore(data);
        Files.createDirectories(store.slices);
        Files.createDirectories(store.tmp);
        Files.createDirectories(store.damaged);
        try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(store.tmp)) {
            for (Path p : leftovers) {
                Files.deleteIfExists(p);
            }
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(store.slices, "*" + SUFFIX)) {
            for (Path p : files) {
                String name = p.getFileName().toString();
                String id = name.substring(0, name.length() - SUFFIX.length());
                try (SliceFile f = SliceFile.open(p)) {
                    if (!f.header().documentId().equals(id)) {
                        throw new IOException("slice file " + p + " holds document " + f.header().documentId());
                    }
                    store.index.put(id, Stored.of(p, Files.size(p), f.header()));
                    store.bytesStored.addAndGet(Files.size(p));
                } catch (IOException | IllegalArgumentException e) {
                    store.openingProblems.add(e.getMessage());
                    Files.move(p, store.damaged.resolve(name + "." + System.currentTimeMillis()));
                }
            }
        }
        return store;
    }

    /** Slice files found damaged at open (moved to damaged/), for the daemon to log. */
    public List<String> openingProblems() {
        return List.copyOf(openingProblems);
    }

    /** @throws IllegalArgumentException for an id that is not a valid document id */
    public static void checkDocumentId(String id) {
        if (id == null || !DOCUMENT_ID.matcher(id).matches()) {
            throw new IllegalArgumentException("document id must match " + DOCUMENT_ID.pattern() + ": " + id);
        }
    }

    /**
     * Starts writing the slice of a new document.
     *
     * @throws DuplicateDocumentException if the id is stored or being deposited already
     */
    public PendingSlice create(String documentId) throws IOException {
        checkDocumentId(documentId);
        if (index.containsKey(documentId) || pending.putIfAbsent(documentId, Boolean.TRUE) != null) {
            throw new DuplicateDocumentException(documentId);
        }
        try {
            Path temp = Files.createTempFile(tmp, documentId + ".", ".tmp");
            Files.delete(temp); // SliceFileWriter creates it exclusively
            return new PendingSlice(this, documentId, SliceFileWriter.create(temp));
        } catch (IOException | RuntimeException e) {
            pending.remove(documentId);
            throw e;
        }
    }

    void committed(String documentId, SliceFileWriter writer, SliceHeader header) throws IOException {
        Path target = slices.resolve(documentId + SUFFIX);
        try {
            writer.commit(target);
            long size = Files.size(target);
            index.put(documentId, Stored.of(target, size, header));
            bytesStored.addAndGet(size);
        } finally {
            pending.remove(documentId);
        }
    }

    void abandoned(String documentId) {
        pending.remove(documentId);
    }

    public Optional<Stored> get(String documentId) {
        return Optional.ofNullable(index.get(documentId));
    }

    /** Opens a stored slice for reading; the caller closes it. */
    public Optional<SliceFile> open(String documentId) throws IOException {
        Stored s = index.get(documentId);
        return s == null ? Optional.empty() : Optional.of(SliceFile.open(s.file()));
    }

    public List<Stored> list() {
        return List.copyOf(index.values());
    }

    /** Deletes a stored slice; false if there was none. */
    public boolean delete(String documentId) throws IOException {
        Stored s = index.remove(documentId);
        if (s == null) {
            return false;
        }
        Files.deleteIfExists(s.file());
        bytesStored.addAndGet(-s.fileBytes());
        return true;
    }

    public long documents() {
        return index.size();
    }

    public long bytesStored() {
        return bytesStored.get();
    }

    public long freeBytes() throws IOException {
        FileStore fs = Files.getFileStore(slices);
        return fs.getUsableSpace();
    }

    /**
     * Re-reads every stored slice and checks each segment against its hash, and the hash list
     * against the slice's fingerprint. Returns one finding per damaged slice (empty if all good);
     * segment -1 means the file as a whole. A damaged slice is moved aside to {@code damaged/}, as
     * at open: it is no longer served or listed, so the gateway's repairer gives the daemon a good
     * one back, and the damaged file stays for an operator to look at.
     */
    public List<ScrubFinding> scrub() {
        List<ScrubFinding> findings = new ArrayList<>();
        for (Stored s : list()) {
            ScrubFinding finding;
            try (SliceFile f = SliceFile.open(s.file())) {
                int bad = firstBadSegment(f);
                finding = bad < 0 ? null : new ScrubFinding(s.documentId(), bad, "segment hash mismatch");
            } catch (IOException | IllegalArgumentException e) {
                finding = new ScrubFinding(s.documentId(), -1, String.valueOf(e.getMessage()));
            }
            if (finding != null) {
                findings.add(finding);
                setAside(s);
            }
        }
        return findings;
    }

    private void setAside(Stored s) {
        if (!index.remove(s.documentId(), s)) {
            return; // deleted or replaced meanwhile
        }
        bytesStored.addAndGet(-s.fileBytes());
        try {
            Files.move(s.file(), damaged.resolve(s.file().getFileName() + "." + System.currentTimeMillis()));
        } catch (IOException e) {
            // Out of the index already, so never served again; the file stays where it was.
            LOG.warn("could not move damaged slice {} aside: {}", s.file(), e.getMessage());
        }
    }

    private static int firstBadSegment(SliceFile f) throws IOException {
        SegmentHashes hashes = f.segmentHashes();
        int segmentSize = f.header().segmentSize();
        byte[] buffer = new byte[segmentSize];
        java.security.MessageDigest sha = org.evault.ida.Hash256.sha256();
        try (var in = f.openData()) {
            long left = f.sliceLength();
            for (int k = 0; k < hashes.count(); k++) {
                int len = (int) Math.min(segmentSize, left);
                if (in.readNBytes(buffer, 0, len) < len) {
                    return k;
                }
                sha.update(buffer, 0, len);
                if (!hashes.matches(k, sha.digest())) {
                    return k;
                }
                left -= len;
            }
        }
        return -1;
    }
}
