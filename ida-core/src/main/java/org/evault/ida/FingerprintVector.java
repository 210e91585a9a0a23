package org.evault.ida;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The fingerprints of all n slices of one document, as every server computes and stores them
 * (Krawczyk's distributed fingerprints). A reader trusts the vector that more than t servers
 * report identically, and then checks each slice, segment by segment, against its entry.
 */
public record FingerprintVector(List<Hash256> fingerprints) {
    public FingerprintVector {
        fingerprints = List.copyOf(fingerprints);
        if (fingerprints.isEmpty() || fingerprints.size() > 255) {
            throw new IllegalArgumentException("a fingerprint vector has 1 to 255 entries, not " + fingerprints.size());
        }
    }

    public int size() {
        return fingerprints.size();
    }

    public Hash256 get(int slice) {
        return fingerprints.get(slice);
    }

    /** The n fingerprints concatenated, 32 * n bytes. */
    public byte[] toBytes() {
        byte[] out = new byte[fingerprints.size() * Hash256.LENGTH];
        for (int i = 0; i < fingerprints.size(); i++) {
            fingerprints.get(i).copyTo(out, i * Hash256.LENGTH);
        }
        return out;
    }

    public static FingerprintVector fromBytes(byte[] concatenated) {
        if (concatenated.length == 0 || concatenated.length % Hash256.LENGTH != 0) {
            throw new IllegalArgumentException("fingerprint vector of " + concatenated.length
                    + " bytes is not a whole, non-zero number of 32-byte hashes");
        }
        List<Hash256> list = new ArrayList<>();
        for (int off = 0; off < concatenated.length; off += Hash256.LENGTH) {
            list.add(Hash256.of(concatenated, off));
        }
        return new FingerprintVector(list);
    }

    /**
     * Picks the true vector among those reported by the servers: the one that at least t + 1 of
     * them report identically. With at most t liars and t < n/2 (so that the n - t honest servers
     * outnumber them) no false vector can reach t + 1 votes, and the honest one does as long as
     * t + 1 honest servers answer.
     *
     * @param reports one entry per server, in server order; null for a server that did not answer
     * @param faults t, the number of servers that may lie
     * @return the selected vector and which servers disagreed with it (lied, or hold a damaged copy)
     * @throws IllegalArgumentException if no vector has t + 1 votes, or two have (which means
     *         more than t servers are faulty)
     */
    public static Selection selectMajority(List<FingerprintVector> reports, int faults) {
        if (faults < 0 || 2 * faults >= reports.size()) {
            throw new IllegalArgumentException("majority selection needs 0 <= t < n/2, got t = " + faults
                    + " for " + reports.size() + " servers");
        }
        Map<FingerprintVector, List<Integer>> votes = new LinkedHashMap<>();
        for (int server = 0; server < reports.size(); server++) {
            FingerprintVector v = reports.get(server);
            if (v != null) {
                votes.computeIfAbsent(v, k -> new ArrayList<>()).add(server);
            }
        }
        Map.Entry<FingerprintVector, List<Integer>> best = null;
        for (Map.Entry<FingerprintVector, List<Integer>> e : votes.entrySet()) {
            if (e.getValue().size() >= faults + 1) {
                if (best != null) {
                    // Only possible with more than t liars: refuse rather than pick one.
                    throw new IllegalArgumentException("two different fingerprint vectors are each reported by at least "
                            + (faults + 1) + " servers: more than t = " + faults + " servers are faulty");
                }
                best = e;
            }
        }
        if (best != null) {
            List<Integer> disagreeing = new ArrayList<>();
            for (int server = 0; server < reports.size(); server++) {
                if (reports.get(server) != null && !best.getValue().contains(server)) {
                    disagreeing.add(server);
                }
            }
            return new Selection(best.getKey(), best.getValue(), disagreeing);
        }
        long answered = reports.stream().filter(v -> v != null).count();
        throw new IllegalArgumentException("no fingerprint vector is reported by " + (faults + 1)
                + " servers (" + answered + " answered, " + votes.size() + " distinct vectors)");
    }

    /** The outcome of {@link #selectMajority}: servers are 0-based positions in the report list. */
    public record Selection(FingerprintVector vector, List<Integer> agreeing, List<Integer> disagreeing) {
        public Selection {
            agreeing = List.copyOf(agreeing);
            disagreeing = List.copyOf(disagreeing);
        }
    }
}
