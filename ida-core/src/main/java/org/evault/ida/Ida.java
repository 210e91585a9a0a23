package org.evault.ida;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.evault.ida.internal.GfKernel;
import org.evault.ida.internal.GfMatrices;
import org.evault.ida.internal.Kernels;

/**
 * Rabin's Information Dispersal Algorithm with Krawczyk's distributed fingerprints: a document is
 * cut into n slices, any m of which rebuild it, each slice about 1/m of the document.
 *
 * <h2>Layout</h2>
 * The document is read in stripes of m * segmentSize bytes. A stripe is m contiguous pieces of
 * segmentSize bytes; slice j's part of the stripe is sum_i T[i][j] * piece_i, byte by byte. The
 * last stripe is shortened to m pieces of ceil(rest / m) bytes, zero-padded. So segment k of every
 * slice belongs to stripe k, and a slice is {@link #sliceLength} bytes long. docs/formats.md has
 * the details and the reasons.
 *
 * <h2>Thread safety</h2>
 * Immutable and thread-safe; decoding plans are cached per slice set and shared.
 */
public final class Ida {
    /** 64 KiB: large enough that per-segment hashing and framing cost nothing, small enough for L2. */
    public static final int DEFAULT_SEGMENT_SIZE = 64 * 1024;

    private final DispersalMatrix matrix;
    private final int segmentSize;
    private final GfKernel kernel;
    private final int m;
    private final int n;
    /** For each column: the data piece it equals, or -1 if it is computed. */
    private final int[] unitRow;
    /** The columns that are computed, in order; row r of encodePlan makes computedColumns[r]. */
    private final int[] computedColumns;
    private final GfKernel.Plan encodePlan;
    private final Map<List<Integer>, DecodePlan> decodePlans = new ConcurrentHashMap<>();
    /** A pair plan's intermediate row (see {@link #pairDecodePlan}), per thread, grown as needed. */
    private static final ThreadLocal<byte[]> SCRATCH = ThreadLocal.withInitial(() -> new byte[0]);
    /** The plan used last: a stream decodes stripe after stripe from the same slices. */
    private volatile DecodePlan lastDecodePlan;

    private Ida(DispersalMatrix matrix, int segmentSize, GfKernel kernel) {
        if (segmentSize < 1 || segmentSize > (1 << 24)) {
            throw new IllegalArgumentException("segment size must be 1 byte to 16 MiB, not " + segmentSize);
        }
        this.matrix = matrix;
        this.segmentSize = segmentSize;
        this.kernel = kernel;
        this.m = matrix.m();
        this.n = matrix.n();
        this.unitRow = new int[n];
        List<Integer> computed = new ArrayList<>();
        for (int j = 0; j < n; j++) {
            unitRow[j] = matrix.unitRow(j);
            if (unitRow[j] < 0) {
                computed.add(j);
            }
        }
        this.computedColumns = computed.stream().mapToInt(Integer::intValue).toArray();
        int[][] coef = new int[computedColumns.length][m];
        for (int r = 0; r < computedColumns.length; r++) {
            for (int i = 0; i < m; i++) {
                coef[r][i] = matrix.get(i, computedColumns[r]);
            }
        }
        this.encodePlan = kernel.plan(matrix.field(), coef);
    }

    /** The default code: systematic Cauchy over the paper's field, 64 KiB segments. */
    public static Ida create(int m, int n) {
        return create(DispersalMatrix.systematicCauchy(m, n), DEFAULT_SEGMENT_SIZE);
    }

    public static Ida create(DispersalMatrix matrix, int segmentSize) {
        return new Ida(matrix, segmentSize, Kernels.preferred());
    }

    /** For tests and benchmarks that compare kernels. */
    static Ida create(DispersalMatrix matrix, int segmentSize, GfKernel kernel) {
        return new Ida(matrix, segmentSize, kernel);
    }

    public DispersalMatrix matrix() {
        return matrix;
    }

    public int m() {
        return m;
    }

    public int n() {
        return n;
    }

    public int segmentSize() {
        return segmentSize;
    }

    /** Which inner loop this instance runs: "vector-512", "vector-256", "scalar". */
    public String kernelName() {
        return kernel.name();
    }

    /** The number of bytes in every slice of a document of the given length. */
    public long sliceLength(long documentLength) {
        long stripe = (long) m * segmentSize;
        long rest = documentLength % stripe;
        return documentLength / stripe * segmentSize + (rest + m - 1) / m;
    }

    /** The number of segments in every slice (0 for an empty document). */
    public long segmentCount(long documentLength) {
        long stripe = (long) m * segmentSize;
        return (documentLength + stripe - 1) / stripe;
    }

    /**
     * Encodes one stripe: m pieces of {@code pieceLength} bytes at {@code stripe[offset..]} into n
     * slice pieces, {@code slices[j][0..pieceLength)}. {@code slices[j]} may be null where column
     * j is the data piece i ({@code matrix().unitRow(j) == i}): that slice's bytes are then the
     * caller's own {@code stripe[offset + i * pieceLength ..]} and are not copied.
     */
    public void encodeStripe(byte[] stripe, int offset, int pieceLength, byte[][] slices) {
        if (slices.length != n) {
            throw new IllegalArgumentException("need " + n + " slice buffers, got " + slices.length);
        }
        if (offset < 0 || pieceLength < 0 || (long) offset + (long) m * pieceLength > stripe.length) {
            throw new IllegalArgumentException("stripe of " + m + " x " + pieceLength + " bytes at offset "
                    + offset + " does not fit in " + stripe.length + " bytes");
        }
        byte[][] in = new byte[m][];
        int[] inOff = new int[m];
        for (int i = 0; i < m; i++) {
            in[i] = stripe;
            inOff[i] = offset + i * pieceLength;
        }
        byte[][] out = new byte[computedColumns.length][];
        for (int r = 0; r < computedColumns.length; r++) {
            out[r] = requireLength(slices[computedColumns[r]], pieceLength, "slice " + computedColumns[r]);
        }
        kernel.apply(encodePlan, in, inOff, out, new int[out.length], pieceLength);
        for (int j = 0; j < n; j++) {
            if (unitRow[j] >= 0 && slices[j] != null) {
                System.arraycopy(stripe, inOff[unitRow[j]], requireLength(slices[j], pieceLength, "slice " + j), 0, pieceLength);
            }
        }
    }

    /**
     * Decodes one stripe from any m slice pieces: {@code pieces[k][0..pieceLength)} is the piece of
     * slice {@code sliceIndexes[k]}. Writes data piece i to {@code dataPieces[i][0..pieceLength)};
     * {@code dataPieces[i]} may be null when the caller already holds piece i because one of the
     * given slices is that data piece.
     *
     * @throws IllegalArgumentException for a wrong count, an index twice or out of range, or
     *         slices whose columns are dependent
     */
    public void decodeStripe(int[] sliceIndexes, byte[][] pieces, int pieceLength, byte[][] dataPieces) {
        if (pieces.length != m) {
            throw new IllegalArgumentException("decoding needs exactly m = " + m + " pieces, got " + pieces.length);
        }
        DecodePlan plan = decodePlan(sliceIndexes);
        byte[][] out = new byte[plan.computedPieces.length][];
        for (int r = 0; r < out.length; r++) {
            int piece = plan.computedPieces[r];
            out[r] = piece < 0 ? scratch(pieceLength)
                    : requireLength(dataPieces[piece], pieceLength, "data piece " + piece);
        }
        kernel.apply(plan.kernelPlan, pieces, new int[m], out, new int[out.length], pieceLength);
        for (int i = 0; i < m; i++) {
            if (plan.sourceOfPiece[i] >= 0 && dataPieces[i] != null) {
                System.arraycopy(pieces[plan.sourceOfPiece[i]], 0, requireLength(dataPieces[i], pieceLength, "data piece " + i), 0, pieceLength);
            }
        }
    }

    /**
     * Disperses a document of any length, read to its end, into n slices, written in order to
     * {@code sliceOutputs} (n entries; a null entry means that slice is fingerprinted but not
     * kept). Memory is one stripe and the segment hash lists, whatever the document size. The
     * outputs are neither flushed nor closed.
     */
    public Dispersal disperse(InputStream document, List<? extends OutputStream> sliceOutputs) throws IOException {
        if (sliceOutputs.size() != n) {
            throw new IllegalArgumentException("need " + n + " slice outputs, got " + sliceOutputs.size());
        }
        int stripeBytes = m * segmentSize;
        byte[] stripe = new byte[stripeBytes];
        byte[][] parity = new byte[computedColumns.length][segmentSize];
        byte[][] in = new byte[m][];
        Arrays.fill(in, stripe);
        int[] inOff = new int[m];
        int[] outOff = new int[parity.length];
        MessageDigest documentSha = Hash256.sha256();
        MessageDigest segmentSha = Hash256.sha256();
        HashList[] hashes = new HashList[n];
        for (int j = 0; j < n; j++) {
            hashes[j] = new HashList();
        }
        byte[] digest = new byte[Hash256.LENGTH];
        long total = 0;
        while (true) {
            int read = document.readNBytes(stripe, 0, stripeBytes);
            if (read == 0) {
                break;
            }
            total += read;
            documentSha.update(stripe, 0, read);
            int piece = read == stripeBytes ? segmentSize : (read + m - 1) / m;
            Arrays.fill(stripe, read, m * piece, (byte) 0);
            for (int i = 0; i < m; i++) {
                inOff[i] = i * piece;
            }
            kernel.apply(encodePlan, in, inOff, parity, outOff, piece);
            for (int j = 0, r = 0; j < n; j++) {
                byte[] source = unitRow[j] >= 0 ? stripe : parity[r++];
                int from = unitRow[j] >= 0 ? inOff[unitRow[j]] : 0;
                segmentSha.update(source, from, piece);
                digestInto(segmentSha, digest);
                hashes[j].add(digest);
                OutputStream output = sliceOutputs.get(j);
                if (output != null) {
                    output.write(source, from, piece);
                }
            }
            if (read < stripeBytes) {
                break;
            }
        }
        long sliceLength = sliceLength(total);
        List<Hash256> fingerprints = new ArrayList<>(n);
        List<SegmentHashes> lists = new ArrayList<>(n);
        for (int j = 0; j < n; j++) {
            SegmentHashes list = hashes[j].build();
            lists.add(list);
            fingerprints.add(list.root(sliceLength, segmentSize));
        }
        return new Dispersal(total, Hash256.wrap(documentSha.digest()), new FingerprintVector(fingerprints), lists);
    }

    /**
     * Rebuilds a document from m or more slices and writes it to {@code out}. Each slice's segment
     * hash list must match its entry in the trusted {@code fingerprints}; each segment is hashed
     * and checked before it is used; at the first bad, missing or short segment the slice is
     * dropped and a spare takes its place from that segment on. Data slices are preferred, since
     * they need no arithmetic. {@code out} is neither flushed nor closed.
     *
     * @param documentHash if not null, the SHA-256 the output must have (checked at the end)
     * @throws NotEnoughSlicesException when fewer than m good slices remain; it names every fault
     * @throws IOException from {@code out}, or when the output does not match {@code documentHash}
     */
    public Reconstruction reconstruct(long documentLength, FingerprintVector fingerprints, Hash256 documentHash,
            List<SliceInput> slices, OutputStream out) throws IOException {
        if (fingerprints.size() != n) {
            throw new IllegalArgumentException("fingerprint vector has " + fingerprints.size() + " entries, the code has n = " + n);
        }
        return new Reconstructor(this, documentLength, fingerprints, documentHash, slices, out).run();
    }

    int unitRow(int column) {
        return unitRow[column];
    }

    GfKernel kernel() {
        return kernel;
    }

    /** The plan for decoding from these slices, in this order; cached. */
    DecodePlan decodePlan(int[] sliceIndexes) {
        if (sliceIndexes.length != m) {
            throw new IllegalArgumentException("decoding needs exactly m = " + m + " slices, got " + sliceIndexes.length);
        }
        DecodePlan last = lastDecodePlan;
        if (last != null && Arrays.equals(last.sliceIndexes(), sliceIndexes)) {
            return last;
        }
        List<Integer> key = Arrays.stream(sliceIndexes).boxed().toList();
        DecodePlan plan = decodePlans.get(key);
        if (plan == null) {
            plan = buildDecodePlan(sliceIndexes.clone());
            decodePlans.putIfAbsent(key, plan);
        }
        lastDecodePlan = plan;
        return plan;
    }

    private DecodePlan buildDecodePlan(int[] indexes) {
        boolean[] seen = new boolean[n];
        for (int index : indexes) {
            if (index < 0 || index >= n) {
                throw new IllegalArgumentException("slice index " + index + " is outside 0.." + (n - 1));
            }
            if (seen[index]) {
                throw new IllegalArgumentException("slice " + index + " given twice");
            }
            seen[index] = true;
        }
        int[][] inverse;
        try {
            inverse = GfMatrices.invert(matrix.field(), matrix.columns(indexes));
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("slices " + Arrays.toString(indexes)
                    + " are linearly dependent in this dispersal matrix; it is not a valid IDA matrix", e);
        }
        // piece_i = sum_k Q_k * inverse[k][i]; a unit column e_k of the inverse means piece i is
        // slice k itself and needs no arithmetic.
        int[] sourceOfPiece = new int[m];
        List<Integer> computed = new ArrayList<>();
        for (int i = 0; i < m; i++) {
            sourceOfPiece[i] = -1;
            int one = -1;
            boolean unit = true;
            for (int k = 0; k < m && unit; k++) {
                int v = inverse[k][i];
                if (v == 1 && one < 0) {
                    one = k;
                } else if (v != 0) {
                    unit = false;
                }
            }
            if (unit && one >= 0) {
                sourceOfPiece[i] = one;
            } else {
                computed.add(i);
            }
        }
        int[] computedPieces = computed.stream().mapToInt(Integer::intValue).toArray();
        int[][] coef = new int[computedPieces.length][m];
        for (int r = 0; r < computedPieces.length; r++) {
            for (int k = 0; k < m; k++) {
                coef[r][k] = inverse[k][computedPieces[r]];
            }
        }
        DecodePlan best = new DecodePlan(indexes, sourceOfPiece, computedPieces, kernel.plan(matrix.field(), coef));
        DecodePlan chained = kernel.rereadsOutputsCheaply()
                ? chainedDecodePlan(indexes, sourceOfPiece, computedPieces, coef) : null;
        for (DecodePlan candidate : Arrays.asList(chained, pairDecodePlan(indexes, sourceOfPiece, computedPieces))) {
            if (candidate != null && candidate.kernelPlan.multiplications() < best.kernelPlan.multiplications()
                    && (kernel.rereadsOutputsCheaply() || kernel.onePass(candidate.kernelPlan))) {
                best = candidate;
            }
        }
        return best;
    }

    /**
     * Two lost pieces x and y from two surviving parity slices a and b, in three chained rows: with
     * lambda = T[x][a] / T[x][b], the intermediate t = Q_a + lambda Q_b + sum_i (T[i][a] + lambda
     * T[i][b]) piece_i over the given pieces no longer depends on x, so piece_y = k t with
     * k = (T[y][a] + lambda T[y][b])^-1, and piece_x = T[x][a]^-1 (Q_a + sum_{i != x} T[i][a]
     * piece_i). With a the all-ones column of the default matrix, x = 0 and (3, 5) that is two
     * multiplications per position (one on a given piece, one on t) instead of the inverse's six.
     * Tries both slices and both pieces in each role; null when two pieces are not lost. The
     * vector kernel runs it in one fused pass for m = 3 ({@link GfKernel#onePass}).
     */
    private DecodePlan pairDecodePlan(int[] indexes, int[] sourceOfPiece, int[] computedPieces) {
        if (computedPieces.length != 2) {
            return null;
        }
        List<Integer> parity = new ArrayList<>();
        for (int k = 0; k < m; k++) {
            if (unitRow[indexes[k]] < 0) {
                parity.add(k);
            }
        }
        if (parity.size() != 2) {
            return null;
        }
        GaloisField f = matrix.field();
        DecodePlan best = null;
        for (int roles = 0; roles < 4; roles++) {
            int ka = parity.get(roles & 1);
            int kb = parity.get(1 - (roles & 1));
            int x = computedPieces[roles >> 1];
            int y = computedPieces[1 - (roles >> 1)];
            int a = indexes[ka];
            int b = indexes[kb];
            if (matrix.get(x, a) == 0 || matrix.get(x, b) == 0) {
                continue;
            }
            int lambda = f.multiply(matrix.get(x, a), f.inverse(matrix.get(x, b)));
            int denominator = matrix.get(y, a) ^ f.multiply(lambda, matrix.get(y, b));
            if (denominator == 0) {
                continue;
            }
            int[][] rows = new int[3][m + 3];
            rows[0][ka] = 1;
            rows[0][kb] = lambda;
            int scale = f.inverse(matrix.get(x, a));
            rows[2][ka] = scale;
            for (int i = 0; i < m; i++) {
                if (sourceOfPiece[i] >= 0) {
                    rows[0][sourceOfPiece[i]] = matrix.get(i, a) ^ f.multiply(lambda, matrix.get(i, b));
                    rows[2][sourceOfPiece[i]] = f.multiply(scale, matrix.get(i, a));
                }
            }
            rows[1][m] = f.inverse(denominator);
            rows[2][m + 1] = f.multiply(scale, matrix.get(y, a));
            DecodePlan plan = new DecodePlan(indexes, sourceOfPiece, new int[] {-1, y, x},
                    kernel.chainedPlan(f, m, rows));
            if (best == null || plan.kernelPlan.multiplications() < best.kernelPlan.multiplications()) {
                best = plan;
            }
        }
        return best;
    }

    /**
     * A cheaper way to one lost piece, if there is one. Surviving parity slice s is
     * sum_i T[i][s] * piece_i, so a lost piece l with T[l][s] != 0 is
     * T[l][s]^-1 * (slice s + sum_{i != l} T[i][s] * piece_i): the other pieces are slices or
     * computed first from the inverse, and the kernel reads them back (a chained plan). With the
     * default matrix's all-ones parity column this row is plain XOR, so (3, 5) decoding without
     * slices 0 and 1 costs three multiplications per byte instead of six. Picks the piece and slice
     * that save the most multiplications; null when none saves one. Only for kernels where that is
     * faster ({@link GfKernel#rereadsOutputsCheaply}): the pure-Java one.
     *
     * @param direct the rows from the inverse, one per computed piece, over the m given slices
     */
    private DecodePlan chainedDecodePlan(int[] indexes, int[] sourceOfPiece, int[] computedPieces, int[][] direct) {
        GaloisField field = matrix.field();
        int rows = computedPieces.length;
        int bestSaving = 0;
        int[][] bestCoef = null;
        int[] bestOrder = null;
        for (int candidate = 0; candidate < rows; candidate++) {
            int lost = computedPieces[candidate];
            // The other computed pieces first, in their order, then the candidate.
            int[] order = new int[rows];
            int[] rowOfPiece = new int[m];
            for (int r = 0, o = 0; r < rows; r++) {
                if (r != candidate) {
                    rowOfPiece[computedPieces[r]] = o;
                    order[o++] = computedPieces[r];
                }
            }
            order[rows - 1] = lost;
            rowOfPiece[lost] = rows - 1;
            for (int k = 0; k < m; k++) {
                int slice = indexes[k];
                int a = matrix.get(lost, slice);
                if (a == 0) {
                    continue; // includes every given data slice: its column is a unit vector elsewhere
                }
                int scale = field.inverse(a);
                int[] row = new int[m + rows];
                row[k] = scale;
                for (int i = 0; i < m; i++) {
                    int c = field.multiply(scale, matrix.get(i, slice));
                    if (i != lost && c != 0) {
                        row[sourceOfPiece[i] >= 0 ? sourceOfPiece[i] : m + rowOfPiece[i]] = c;
                    }
                }
                int saving = multiplications(direct[candidate]) - multiplications(row);
                if (saving > bestSaving) {
                    bestSaving = saving;
                    bestOrder = order;
                    bestCoef = new int[rows][];
                    for (int r = 0; r < rows - 1; r++) {
                        bestCoef[r] = Arrays.copyOf(direct[r < candidate ? r : r + 1], m + rows);
                    }
                    bestCoef[rows - 1] = row;
                }
            }
        }
        if (bestCoef == null) {
            return null;
        }
        return new DecodePlan(indexes, sourceOfPiece, bestOrder, kernel.chainedPlan(field, m, bestCoef));
    }

    private static int multiplications(int[] row) {
        return (int) Arrays.stream(row).filter(c -> c > 1).count();
    }

    /**
     * How to get each data piece from one slice set: copied from a slice, or computed. Row r of
     * the kernel plan computes piece {@code computedPieces[r]} (not necessarily in piece order),
     * or an intermediate when that is -1.
     */
    record DecodePlan(int[] sliceIndexes, int[] sourceOfPiece, int[] computedPieces, GfKernel.Plan kernelPlan) {
        /** The kernel row that computes data piece i, or -1 when it is a given slice. */
        int rowOf(int piece) {
            for (int r = 0; r < computedPieces.length; r++) {
                if (computedPieces[r] == piece) {
                    return r;
                }
            }
            return -1;
        }
    }

    static void digestInto(MessageDigest sha, byte[] digest) {
        try {
            sha.digest(digest, 0, Hash256.LENGTH);
        } catch (java.security.DigestException e) {
            throw new IllegalStateException("SHA-256 output does not fit 32 bytes", e);
        }
    }

    private static byte[] scratch(int length) {
        byte[] buffer = SCRATCH.get();
        if (buffer.length < length) {
            buffer = new byte[length];
            SCRATCH.set(buffer);
        }
        return buffer;
    }

    private static byte[] requireLength(byte[] buffer, int length, String what) {
        if (buffer == null) {
            throw new IllegalArgumentException(what + " buffer is null");
        }
        if (buffer.length < length) {
            throw new IllegalArgumentException(what + " buffer has " + buffer.length + " bytes, needs " + length);
        }
        return buffer;
    }

    /** A growable list of 32-byte hashes. */
    private static final class HashList {
        private byte[] bytes = new byte[Hash256.LENGTH * 16];
        private int size;

        void add(byte[] hash) {
            if (size + Hash256.LENGTH > bytes.length) {
                bytes = Arrays.copyOf(bytes, bytes.length * 2);
            }
            System.arraycopy(hash, 0, bytes, size, Hash256.LENGTH);
            size += Hash256.LENGTH;
        }

        SegmentHashes build() {
            return SegmentHashes.wrap(Arrays.copyOf(bytes, size));
        }
    }
}
