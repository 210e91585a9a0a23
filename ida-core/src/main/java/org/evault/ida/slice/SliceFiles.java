package org.evault.ida.slice;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.evault.ida.FingerprintVector;
import org.evault.ida.Ida;
import org.evault.ida.NotEnoughSlicesException;
import org.evault.ida.Reconstruction;
import org.evault.ida.SliceFault;
import org.evault.ida.SliceInput;

/** Offline recovery: a document from slice files copied off the daemons' disks. */
public final class SliceFiles {
    private SliceFiles() {
    }

    /**
     * Rebuilds the document that the given slice files belong to and writes it to {@code out}.
     * Unreadable files are skipped (and reported in the exception if too few remain). The
     * fingerprint vector trusted is the one that a strict majority of the readable files carry;
     * the output is checked against the document hash those files name.
     *
     * @throws NotEnoughSlicesException if fewer than m good slices remain
     * @throws IOException if the files disagree beyond a majority or belong to different documents
     */
    public static Reconstruction recover(List<Path> files, OutputStream out) throws IOException {
        List<SliceFile> open = new ArrayList<>();
        List<SliceFault> unreadable = new ArrayList<>();
        try {
            for (Path file : files) {
                try {
                    open.add(SliceFile.open(file));
                } catch (IOException e) {
                    unreadable.add(new SliceFault(-1, -1, e.getMessage()));
                }
            }
            if (open.isEmpty()) {
                throw new NotEnoughSlicesException(0, 1, unreadable);
            }
            List<FingerprintVector> reports = new ArrayList<>();
            for (SliceFile f : open) {
                reports.add(f.header().fingerprints());
            }
            FingerprintVector.Selection selection;
            try {
                selection = FingerprintVector.selectMajority(reports, (reports.size() - 1) / 2);
            } catch (IllegalArgumentException e) {
                throw new IOException("the slice files do not agree on the document's fingerprints: " + e.getMessage(), e);
            }
            SliceHeader trusted = open.get(selection.agreeing().get(0)).header();
            Ida ida = Ida.create(trusted.matrix(), trusted.segmentSize());
            List<SliceInput> inputs = new ArrayList<>();
            boolean[] have = new boolean[ida.n()];
            for (SliceFile f : open) {
                SliceHeader h = f.header();
                if (!h.documentId().equals(trusted.documentId())) {
                    throw new IOException(f.path() + " belongs to document " + h.documentId() + ", not "
                            + trusted.documentId());
                }
                if (!have[h.sliceIndex()]) {
                    have[h.sliceIndex()] = true;
                    inputs.add(f.toInput());
                }
            }
            try {
                return ida.reconstruct(trusted.documentLength(), selection.vector(), trusted.documentHash(), inputs, out);
            } catch (NotEnoughSlicesException e) {
                List<SliceFault> all = new ArrayList<>(unreadable);
                all.addAll(e.faults());
                throw new NotEnoughSlicesException(e.have(), e.need(), all);
            }
        } finally {
            for (SliceFile f : open) {
                f.close();
            }
        }
    }
}
