package org.evault.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.evault.ida.FingerprintVector;
import org.evault.ida.Hash256;
import org.evault.ida.Ida;
import org.evault.ida.NotEnoughSlicesException;
import org.evault.ida.Reconstruction;
import org.evault.ida.SliceFault;
import org.evault.ida.SliceInput;
import org.evault.protocol.DepositMetadata;
import org.evault.protocol.ErrorCode;
import org.evault.protocol.Message.DepositAck;
import org.evault.protocol.StoredDocument;
import org.evault.protocol.TlsConfig;
import org.evault.protocol.client.ClientOptions;
import org.evault.protocol.client.DaemonClient;
import org.evault.protocol.client.DaemonErrorException;
import org.evault.protocol.client.DaemonException;
import org.evault.protocol.client.DepositUpload;
import org.evault.protocol.client.Retrieval;
import org.evault.protocol.receipt.ReceiptBody;
import org.evault.threshold.CombinationFailedException;
import org.evault.threshold.InvalidShareException;
import org.evault.threshold.KeyFiles;
import org.evault.threshold.NotEnoughSharesException;
import org.evault.threshold.PublicParameters;
import org.evault.threshold.SignatureCombiner;
import org.evault.threshold.SignatureShare;
import org.evault.threshold.ThresholdScheme;
import org.evault.threshold.ThresholdSignature;
import org.evault.threshold.VaultPublicKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's side of deposit and retrieval: one persistent {@link DaemonClient} per daemon.
 *
 * <h2>Security guarantees</h2>
 * {@link #deposit} returns a receipt only when its body is the one the gateway expects (owner,
 * name, id, version, size, the SHA-256 the gateway computed itself, the vault key id), agreed by
 * the daemons whose shares are used, each share comes from the daemon whose index it carries, and
 * the combined signature verifies under the vault public key. Anything else fails the deposit.
 * {@link #retrieve} writes only bytes whose slice segments check against the fingerprint vector
 * reported by at least t + 1 daemons, and checks the document's SHA-256 at the end.
 *
 * <h2>Pitfalls</h2>
 * {@link #retrieve} streams: when it fails late (a hash mismatch after the last byte), bytes
 * have already been written to {@code out}; the caller must then discard or abort the output.
 * Call both methods from ordinary threads, never from a Netty event loop. Thread-safe.
 */
public final class VaultClient implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(VaultClient.class);
    private static final int BUFFER_BYTES = 64 * 1024;

    private final GatewayConfig config;
    private final List<DaemonClient> clients;
    private final VaultPublicKey publicKey;
    private final PublicParameters parameters;
    private final SignatureCombiner combiner;
    private final Duration timeout;

    private VaultClient(GatewayConfig config, List<DaemonClient> clients, VaultPublicKey publicKey,
            PublicParameters parameters) {
        this.config = config;
        this.clients = List.copyOf(clients);
        this.publicKey = publicKey;
        this.parameters = parameters;
        this.combiner = SignatureCombiner.create(parameters);
        this.timeout = config.daemonRequestTimeout();
    }

    /** Reads the vault key material and makes (lazily connecting) clients for all n daemons. */
    public static VaultClient create(GatewayConfig config) throws IOException, GeneralSecurityException {
        VaultPublicKey key = KeyFiles.readPublicKey(config.publicKeyFile());
        PublicParameters params = KeyFiles.readParameters(config.parametersFile(), key);
        if (params.scheme() != config.scheme()) {
            throw new IllegalArgumentException(config.parametersFile() + " is for the " + params.scheme()
                    + " scheme, the configuration says " + config.scheme());
        }
        TlsConfig tls = new TlsConfig(config.caFile(), config.certificateFile(), config.privateKeyFile());
        List<DaemonClient> clients = new ArrayList<>();
        try {
            for (GatewayConfig.Daemon d : config.daemons()) {
                clients.add(new DaemonClient(d.host(), d.port(), tls, ClientOptions.defaults("gateway")
                        .withExpectedNodeId(d.id()).withRequestTimeout(config.daemonRequestTimeout())));
            }
        } catch (IOException | RuntimeException e) {
            clients.forEach(DaemonClient::close);
            throw e;
        }
        return new VaultClient(config, clients, key, params);
    }

    public VaultPublicKey publicKey() {
        return publicKey;
    }

    public GatewayConfig config() {
        return config;
    }

    private String id(int position) {
        return config.daemons().get(position).id();
    }

    // ------------------------------------------------------------------ deposit

    /**
     * Streams {@code document} to every daemon at once (each piece written to all uploads in turn,
     * so the slowest daemon paces the reader and memory stays bounded), then combines and checks
     * the receipt. The caller keeps ownership of {@code document}.
     *
     * <p>With the additive scheme every daemon must store and sign: one that is down or fails
     * fails the deposit, naming it. With Shoup's scheme the deposit goes on while at least m
     * daemons take it (m = n - t ≥ t + 1 signers), and shares that fail their proof are named
     * and left out.
     *
     * @throws DocumentTooLargeException past {@code maxDocumentBytes}; the daemons discard the deposit
     * @throws DepositFailedException when no valid receipt can be made; the daemons discard the
     *         deposit (best effort), nothing should be recorded
     * @throws IOException when reading {@code document} fails (e.g. a truncated upload); the
     *         daemons discard the deposit
     */
    public Receipt deposit(DepositMetadata meta, InputStream document)
            throws DepositFailedException, IOException, InterruptedException {
        boolean allRequired = config.scheme() == ThresholdScheme.ADDITIVE;
        int needed = allRequired ? config.n() : config.m();
        DepositUpload[] uploads = open(meta, allRequired, needed);
        try {
            Hash256 hash = stream(meta, document, uploads, allRequired, needed);
            Map<Integer, DepositAck> acks = awaitAcks(meta, uploads, allRequired, needed);
            Receipt receipt = combine(meta, hash, acks);
            LOG.info("deposit {} ({} v{}) signed by daemons {}", meta.documentId(), meta.name(), meta.version(),
                    receipt.signers());
            return receipt;
        } catch (DepositFailedException | IOException | InterruptedException | RuntimeException e) {
            abortAll(uploads, e);
            discard(meta.documentId(), uploads);
            throw e;
        }
    }

    private DepositUpload[] open(DepositMetadata meta, boolean allRequired, int needed)
            throws DepositFailedException, InterruptedException {
        List<CompletableFuture<DepositUpload>> opening = new ArrayList<>();
        for (DaemonClient c : clients) {
            opening.add(c.openDeposit(meta));
        }
        DepositUpload[] uploads = new DepositUpload[clients.size()];
        List<String> down = new ArrayList<>();
        for (int i = 0; i < opening.size(); i++) {
            try {
                uploads[i] = await(opening.get(i));
            } catch (ExecutionException | TimeoutException e) {
                down.add(id(i));
                LOG.warn("deposit {}: daemon {} is unavailable: {}", meta.documentId(), id(i), reason(e));
            }
        }
        int open = clients.size() - down.size();
        if ((allRequired && !down.isEmpty()) || open < needed) {
            abortAll(uploads, new IOException("deposit abandoned"));
            throw new DepositFailedException(unavailableMessage(down, allRequired, needed));
        }
        return uploads;
    }

    private String unavailableMessage(List<String> missing, boolean allRequired, int needed) {
        String who = (missing.size() == 1 ? "daemon " : "daemons ") + String.join(", ", missing)
                + (missing.size() == 1 ? " is" : " are") + " unavailable";
        return allRequired
                ? "no receipt: " + who + ", and the additive signature scheme needs all " + config.n() + " daemons"
                : "no receipt: " + who + ", and a deposit needs at least " + needed + " of " + config.n() + " daemons";
    }

    /** Reads the document once, writing each piece to every live upload; returns its SHA-256. */
    private Hash256 stream(DepositMetadata meta, InputStream document, DepositUpload[] uploads, boolean allRequired,
            int needed) throws IOException, DepositFailedException {
        MessageDigest sha = Hash256.sha256();
        byte[] buffer = new byte[BUFFER_BYTES];
        long total = 0;
        long limit = config.maxDocumentBytes();
        List<String> dropped = new ArrayList<>();
        for (int r; (r = document.read(buffer)) >= 0; ) {
            if (r == 0) {
                continue;
            }
            total += r;
            if (total > limit) {
                throw new DocumentTooLargeException(limit);
            }
            sha.update(buffer, 0, r);
            for (int i = 0; i < uploads.length; i++) {
                if (uploads[i] == null) {
                    continue;
                }
                try {
                    uploads[i].write(buffer, 0, r);
                } catch (IOException e) {
                    if (e instanceof java.io.InterruptedIOException) {
                        throw e;
                    }
                    LOG.warn("deposit {}: daemon {} failed during the upload: {}", meta.documentId(), id(i),
                            e.getMessage());
                    uploads[i].abort(e);
                    uploads[i] = null;
                    dropped.add(id(i));
                    if (allRequired || live(uploads) < needed) {
                        throw new DepositFailedException(unavailableMessage(dropped, allRequired, needed), e);
                    }
                }
            }
        }
        if (meta.declaredLength() != DepositMetadata.UNKNOWN_LENGTH && meta.declaredLength() != total) {
            throw new IOException("the upload ended after " + total + " bytes, " + meta.declaredLength()
                    + " were announced");
        }
        for (int i = 0; i < uploads.length; i++) {
            if (uploads[i] != null) {
                try {
                    uploads[i].close();
                } catch (IOException e) {
                    LOG.warn("deposit {}: daemon {} failed at the end of the upload: {}", meta.documentId(), id(i),
                            e.getMessage());
                    uploads[i] = null;
                    dropped.add(id(i));
                    if (allRequired || live(uploads) < needed) {
                        throw new DepositFailedException(unavailableMessage(dropped, allRequired, needed), e);
                    }
                }
            }
        }
        return Hash256.of(sha.digest());
    }

    private static int live(DepositUpload[] uploads) {
        int n = 0;
        for (DepositUpload u : uploads) {
            if (u != null) {
                n++;
            }
        }
        return n;
    }

    /**
     * The daemons' answers by 0-based position. With the additive scheme every answer is needed,
     * so it waits for all. With Shoup's it does not wait the full request timeout for a daemon that
     * hangs: once m daemons have answered it gives the others {@link #grace} more, then leaves them
     * out (their uploads are cancelled; the repairer gives them the slice later).
     */
    private Map<Integer, DepositAck> awaitAcks(DepositMetadata meta, DepositUpload[] uploads, boolean allRequired,
            int needed) throws DepositFailedException, InterruptedException {
        List<CompletableFuture<DepositAck>> futures = new ArrayList<>();
        for (DepositUpload u : uploads) {
            futures.add(u == null ? null : u.ack());
        }
        awaitEnough(futures, allRequired ? futures.size() : needed, done -> {
            int ok = 0;
            for (CompletableFuture<DepositAck> f : done) {
                ok += f != null && f.isDone() && !f.isCompletedExceptionally() ? 1 : 0;
            }
            return ok;
        });
        Map<Integer, DepositAck> acks = new LinkedHashMap<>();
        List<String> failed = new ArrayList<>();
        for (int i = 0; i < uploads.length; i++) {
            CompletableFuture<DepositAck> f = futures.get(i);
            if (f == null) {
                failed.add(id(i));
            } else if (!f.isDone()) {
                LOG.warn("deposit {}: daemon {} did not answer in time; left out (the repairer gives it the slice)",
                        meta.documentId(), id(i));
                uploads[i].abort(new DaemonException("left out: no answer while the other daemons had answered"));
                failed.add(id(i));
            } else {
                try {
                    acks.put(i, f.join());
                } catch (RuntimeException e) {
                    LOG.warn("deposit {}: daemon {} did not store it: {}", meta.documentId(), id(i), reason(e));
                    failed.add(id(i));
                }
            }
        }
        if ((allRequired && !failed.isEmpty()) || acks.size() < needed) {
            throw new DepositFailedException(unavailableMessage(failed, allRequired, needed));
        }
        return acks;
    }

    /**
     * Waits until every future is done, or until {@code progress} reaches {@code enough} and then
     * a grace period passes, or until the request timeout. The grace is half the time reaching
     * {@code enough} took, within [{@link #MIN_GRACE}, the timeout]: a daemon that is merely a bit
     * slower than the others still makes it, one that hangs costs about 1.5 times the others' time.
     */
    private <T> void awaitEnough(List<CompletableFuture<T>> futures, int enough,
            java.util.function.ToIntFunction<List<CompletableFuture<T>>> progress) throws InterruptedException {
        long start = System.nanoTime();
        long limit = start + timeout.toNanos() + TimeUnit.SECONDS.toNanos(5);
        long graceEnd = Long.MAX_VALUE;
        while (true) {
            List<CompletableFuture<?>> pending = new ArrayList<>();
            for (CompletableFuture<T> f : futures) {
                if (f != null && !f.isDone()) {
                    pending.add(f);
                }
            }
            long now = System.nanoTime();
            if (pending.isEmpty() || now >= limit || now >= graceEnd) {
                return;
            }
            if (graceEnd == Long.MAX_VALUE && progress.applyAsInt(futures) >= enough) {
                long took = now - start;
                graceEnd = now + Math.min(Math.max(took / 2, MIN_GRACE.toNanos()), timeout.toNanos());
            }
            long wait = Math.min(limit, graceEnd) - now;
            try {
                CompletableFuture.anyOf(pending.toArray(new CompletableFuture<?>[0])).get(wait, TimeUnit.NANOSECONDS);
            } catch (ExecutionException | TimeoutException e) {
                // One finished badly, or time is up: the loop looks again.
            }
        }
    }

    private static final Duration MIN_GRACE = Duration.ofSeconds(2);

    private Receipt combine(DepositMetadata meta, Hash256 hash, Map<Integer, DepositAck> acks)
            throws DepositFailedException, InterruptedException {
        boolean allRequired = config.scheme() == ThresholdScheme.ADDITIVE;
        // Group identical bodies; a body that is not the one this deposit must produce names a liar.
        Map<String, List<Integer>> byBody = new LinkedHashMap<>();
        Map<String, byte[]> bodies = new LinkedHashMap<>();
        List<String> liars = new ArrayList<>();
        for (Map.Entry<Integer, DepositAck> e : acks.entrySet()) {
            int pos = e.getKey();
            DepositAck ack = e.getValue();
            byte[] body = ack.receiptBody();
            String problem = checkBody(meta, hash, body);
            if (problem == null && ack.nodeIndex() != pos) {
                problem = "it answered as slice " + ack.nodeIndex();
            }
            if (problem == null && !ack.documentHash().equals(hash)) {
                problem = "its document hash differs from the gateway's";
            }
            if (problem == null && !ack.fingerprints().equals(ReceiptBody.parse(body).fingerprints())) {
                problem = "the fingerprint vector it reported differs from the one in its body";
            }
            if (problem != null) {
                LOG.warn("deposit {}: daemon {} sent a wrong receipt body: {}", meta.documentId(), id(pos), problem);
                liars.add(id(pos));
                continue;
            }
            String key = java.util.HexFormat.of().formatHex(Hash256.digest(body).toBytes());
            byBody.computeIfAbsent(key, k -> new ArrayList<>()).add(pos);
            bodies.putIfAbsent(key, body);
        }
        String bestKey = null;
        for (Map.Entry<String, List<Integer>> e : byBody.entrySet()) {
            if (bestKey == null || e.getValue().size() > byBody.get(bestKey).size()) {
                bestKey = e.getKey();
            }
        }
        if (bestKey == null) {
            throw new DepositFailedException("no receipt: no daemon returned a correct receipt body (wrong: "
                    + String.join(", ", liars) + ")");
        }
        List<Integer> agreeing = byBody.get(bestKey);
        for (Map.Entry<String, List<Integer>> e : byBody.entrySet()) {
            if (!e.getKey().equals(bestKey)) {
                for (int pos : e.getValue()) {
                    LOG.warn("deposit {}: daemon {} signed a receipt body that differs from the others'",
                            meta.documentId(), id(pos));
                    liars.add(id(pos));
                }
            }
        }
        if (allRequired && !liars.isEmpty()) {
            throw new DepositFailedException("no receipt: " + String.join(", ", liars)
                    + " returned a wrong receipt body, and the additive signature scheme needs all daemons");
        }
        byte[] body = bodies.get(bestKey);
        List<SignatureShare> shares = new ArrayList<>();
        for (int pos : agreeing) {
            SignatureShare share;
            try {
                share = SignatureShare.fromBytes(acks.get(pos).partialSignature(), parameters);
            } catch (InvalidShareException e) {
                LOG.warn("deposit {}: daemon {} sent an unreadable partial signature: {}", meta.documentId(), id(pos),
                        e.getMessage());
                liars.add(id(pos));
                continue;
            }
            if (share.index() != pos + 1) {
                LOG.warn("deposit {}: daemon {} sent the partial signature of share {}", meta.documentId(), id(pos),
                        share.index());
                liars.add(id(pos));
                continue;
            }
            shares.add(share);
        }
        if (allRequired && !liars.isEmpty()) {
            throw new DepositFailedException("no receipt: " + String.join(", ", liars)
                    + " sent an unusable partial signature, and the additive signature scheme needs all daemons");
        }
        ThresholdSignature signature;
        try {
            signature = combiner.combine(body, shares, indices -> provenShares(meta, indices));
        } catch (NotEnoughSharesException e) {
            for (int index : e.invalidShareIndices()) {
                LOG.warn("deposit {}: daemon {} sent an invalid partial signature (its proof fails)",
                        meta.documentId(), id(index - 1));
                liars.add(id(index - 1));
            }
            throw new DepositFailedException("no receipt: only " + e.valid() + " valid partial signatures, "
                    + e.needed() + " needed" + (liars.isEmpty() ? "" : "; wrong: " + String.join(", ", liars)), e);
        } catch (CombinationFailedException e) {
            LOG.warn("deposit {}: the partial signatures do not combine into a valid signature: {}",
                    meta.documentId(), e.getMessage());
            throw new DepositFailedException("no receipt: a daemon sent a wrong partial signature (the additive"
                    + " scheme cannot tell which)", e);
        }
        for (int index : signature.invalidShares()) {
            LOG.warn("deposit {}: daemon {} sent an invalid partial signature (its proof fails); left out",
                    meta.documentId(), id(index - 1));
        }
        // Our own check, independent of the combiner's: never hand out a receipt that does not verify.
        if (!publicKey.verify(body, signature.bytes())) {
            throw new DepositFailedException("no receipt: the combined signature does not verify");
        }
        return new Receipt(body, signature.bytes(), signature.sharesUsed());
    }

    /**
     * Daemons sign without proofs; only when their shares do not combine are the proofs fetched,
     * all at once, from the daemons {@code indices} (share index = position + 1). A daemon that
     * does not answer, or answers with something unusable, is left out, which marks its share
     * invalid.
     */
    private List<SignatureShare> provenShares(DepositMetadata meta, Set<Integer> indices) throws InterruptedException {
        LOG.warn("deposit {}: the partial signatures do not combine; asking daemons {} for their proofs",
                meta.documentId(), indices.stream().map(i -> id(i - 1)).toList());
        Map<Integer, CompletableFuture<byte[]>> asked = new java.util.TreeMap<>();
        for (int index : indices) {
            asked.put(index, clients.get(index - 1).prove(meta.documentId()));
        }
        List<SignatureShare> proven = new ArrayList<>();
        for (Map.Entry<Integer, CompletableFuture<byte[]>> e : asked.entrySet()) {
            int index = e.getKey();
            try {
                SignatureShare share = SignatureShare.fromBytes(await(e.getValue()), parameters);
                if (share.index() != index || share.proof() == null) {
                    LOG.warn("deposit {}: daemon {} answered the proof request with share {} {}", meta.documentId(),
                            id(index - 1), share.index(), share.proof() == null ? "without a proof" : "");
                    continue;
                }
                proven.add(share);
            } catch (ExecutionException | TimeoutException e2) {
                LOG.warn("deposit {}: daemon {} gave no proof: {}", meta.documentId(), id(index - 1), reason(e2));
            } catch (InvalidShareException e2) {
                LOG.warn("deposit {}: daemon {} sent an unreadable proven share: {}", meta.documentId(), id(index - 1),
                        e2.getMessage());
            }
        }
        return proven;
    }

    /** Null when {@code body} is exactly what this deposit should produce, else why not. */
    private String checkBody(DepositMetadata meta, Hash256 hash, byte[] body) {
        ReceiptBody b;
        try {
            b = ReceiptBody.parse(body);
        } catch (RuntimeException e) {
            return "it does not parse: " + e.getMessage();
        }
        if (!b.vaultKeyId().equals(publicKey.keyId().hex())) {
            return "vault key id " + b.vaultKeyId();
        }
        if (!b.documentId().equals(meta.documentId()) || !b.owner().equals(meta.owner())
                || !b.documentName().equals(meta.name()) || b.version() != meta.version()) {
            return "it names another document";
        }
        if (!b.sha256().equals(hash)) {
            return "document hash differs from the gateway's";
        }
        if (b.depositTime().toEpochMilli() != meta.depositTimeMillis()) {
            return "deposit time differs";
        }
        if (b.matrix().m() != config.m() || b.matrix().n() != config.n()) {
            return "IDA parameters m = " + b.matrix().m() + ", n = " + b.matrix().n();
        }
        return null;
    }

    private void abortAll(DepositUpload[] uploads, Throwable cause) {
        for (DepositUpload u : uploads) {
            if (u != null) {
                u.abort(cause);
            }
        }
    }

    /** Best effort: daemons that stored a deposit without a receipt delete it again. */
    private void discard(String documentId, DepositUpload[] uploads) {
        for (int i = 0; i < uploads.length; i++) {
            if (uploads[i] != null && uploads[i].ack().isDone() && !uploads[i].ack().isCompletedExceptionally()) {
                String daemon = id(i);
                clients.get(i).delete(documentId).whenComplete((ok, err) -> {
                    if (err != null) {
                        LOG.warn("deposit {}: could not delete the unreceipted slice on {}: {}", documentId, daemon,
                                err.toString());
                    }
                });
            }
        }
    }

    // ---------------------------------------------------------------- retrieval

    /**
     * Rebuilds a document into {@code out} (neither flushed nor closed): asks every daemon for
     * its slice, trusts the fingerprint vector at least t + 1 daemons report, decodes from m
     * slices whose segments check against it (switching slices at the first bad segment), and
     * checks the document's SHA-256. Disagreeing daemons and bad slices are logged.
     *
     * @param expected the receipt body recorded at deposit, or null; when given, the majority
     *        vector, size and hash must match it
     * @throws RetrievalFailedException when the document cannot be rebuilt and checked; bytes
     *         may already have been written to {@code out}
     * @throws IOException from {@code out}
     */
    public Reconstruction retrieve(String documentId, ReceiptBody expected, OutputStream out)
            throws RetrievalFailedException, IOException, InterruptedException {
        List<CompletableFuture<Retrieval>> asked = new ArrayList<>();
        for (DaemonClient c : clients) {
            asked.add(c.retrieve(documentId));
        }
        List<Retrieval> answers = new ArrayList<>();
        try {
            List<FingerprintVector> reports = new ArrayList<>();
            // Every daemon's header, but not the full timeout for one that hangs: once m daemons
            // agree on a fingerprint vector, the others get a grace period (awaitEnough).
            awaitEnough(asked, config.m(), VaultClient::largestAgreement);
            for (int i = 0; i < asked.size(); i++) {
                Retrieval r = null;
                CompletableFuture<Retrieval> f = asked.get(i);
                if (!f.isDone()) {
                    LOG.warn("retrieve {}: daemon {} gave no slice in time; left out", documentId, id(i));
                    f.thenAccept(Retrieval::close);
                } else {
                    try {
                        r = f.join();
                    } catch (RuntimeException e) {
                        LOG.warn("retrieve {}: daemon {} gave no slice: {}", documentId, id(i), reason(e));
                    }
                }
                if (r != null && r.header().sliceIndex() != i) {
                    LOG.warn("retrieve {}: daemon {} served slice {}, not its own; ignored", documentId, id(i),
                            r.header().sliceIndex());
                    r.close();
                    r = null;
                }
                answers.add(r);
                reports.add(r == null ? null : r.header().fingerprints());
            }
            FingerprintVector.Selection selection;
            try {
                selection = FingerprintVector.selectMajority(reports, config.t());
            } catch (IllegalArgumentException e) {
                throw new RetrievalFailedException("retrieve " + documentId + ": " + e.getMessage(), e);
            }
            for (int pos : selection.disagreeing()) {
                LOG.warn("retrieve {}: daemon {} reported a fingerprint vector that differs from the majority's",
                        documentId, id(pos));
            }
            ReceiptBody body = expected != null ? expected : majorityBody(documentId, selection, answers);
            if (!body.fingerprints().equals(selection.vector())) {
                throw new RetrievalFailedException("retrieve " + documentId
                        + ": the majority fingerprint vector differs from the receipt's");
            }
            List<SliceInput> inputs = new ArrayList<>();
            for (Retrieval r : answers) {
                if (r != null) {
                    inputs.add(new SliceInput(r.header().sliceIndex(), r.segmentHashes(), r.body()));
                }
            }
            Ida ida = ida(body);
            Reconstruction result;
            try {
                result = ida.reconstruct(body.size(), selection.vector(), body.sha256(), inputs, out);
            } catch (NotEnoughSlicesException e) {
                logFaults(documentId, e.faults());
                throw new RetrievalFailedException("retrieve " + documentId + ": " + e.getMessage(), e);
            }
            logFaults(documentId, result.faults());
            return result;
        } finally {
            for (Retrieval r : answers) {
                if (r != null) {
                    r.close();
                }
            }
            for (int i = answers.size(); i < asked.size(); i++) {
                asked.get(i).thenAccept(Retrieval::close);
            }
        }
    }

    /** How many of the answered headers carry the most common fingerprint vector. */
    private static int largestAgreement(List<CompletableFuture<Retrieval>> asked) {
        Map<FingerprintVector, Integer> votes = new java.util.HashMap<>();
        int best = 0;
        for (CompletableFuture<Retrieval> f : asked) {
            if (f.isDone() && !f.isCompletedExceptionally()) {
                best = Math.max(best, votes.merge(f.join().header().fingerprints(), 1, Integer::sum));
            }
        }
        return best;
    }

    private record IdaKey(org.evault.ida.DispersalMatrix matrix, int segmentSize) {
    }

    /** Ida instances cache their decode plans, so one per (matrix, segment size) is kept (bounded). */
    private final Map<IdaKey, Ida> idas = new java.util.concurrent.ConcurrentHashMap<>();

    private Ida ida(ReceiptBody body) {
        IdaKey key = new IdaKey(body.matrix(), body.segmentSize());
        Ida ida = idas.get(key);
        if (ida == null) {
            if (idas.size() >= 16) {
                idas.clear();
            }
            ida = Ida.create(body.matrix(), body.segmentSize());
            idas.putIfAbsent(key, ida);
        }
        return ida;
    }

    /** The receipt body that at least t + 1 of the daemons agreeing on the vector report identically. */
    private ReceiptBody majorityBody(String documentId, FingerprintVector.Selection selection, List<Retrieval> answers)
            throws RetrievalFailedException {
        Map<String, Integer> votes = new LinkedHashMap<>();
        Map<String, byte[]> bodies = new LinkedHashMap<>();
        for (int pos : selection.agreeing()) {
            byte[] b = answers.get(pos).header().receiptBody();
            String key = Arrays.toString(Hash256.digest(b).toBytes());
            votes.merge(key, 1, Integer::sum);
            bodies.putIfAbsent(key, b);
        }
        for (Map.Entry<String, Integer> e : votes.entrySet()) {
            if (e.getValue() >= config.t() + 1) {
                try {
                    return ReceiptBody.parse(bodies.get(e.getKey()));
                } catch (RuntimeException ex) {
                    throw new RetrievalFailedException("retrieve " + documentId + ": the receipt body does not parse", ex);
                }
            }
        }
        throw new RetrievalFailedException("retrieve " + documentId + ": no receipt body is reported by "
                + (config.t() + 1) + " daemons");
    }

    private void logFaults(String documentId, List<SliceFault> faults) {
        for (SliceFault f : faults) {
            String daemon = f.slice() >= 0 && f.slice() < clients.size() ? id(f.slice()) : "unknown daemon";
            LOG.warn("retrieve {}: bad slice from daemon {}: {}", documentId, daemon, f);
        }
    }

    // ------------------------------------------------------------------- repair

    /** The n daemons' positions (0-based), for callers that walk them (the repairer). */
    public int daemonCount() {
        return clients.size();
    }

    /** The daemon's name as the configuration gives it (for logs). */
    public String daemonId(int position) {
        return id(position);
    }

    /**
     * The ids of every document the daemon at {@code position} holds a slice of, or empty when
     * the daemon does not answer (down, or too slow).
     */
    public Optional<Set<String>> storedDocumentIds(int position) throws InterruptedException {
        try {
            List<StoredDocument> listed = await(clients.get(position).list(""));
            Set<String> ids = new HashSet<>();
            for (StoredDocument d : listed) {
                ids.add(d.documentId());
            }
            return Optional.of(ids);
        } catch (ExecutionException | TimeoutException e) {
            LOG.info("repair: daemon {} cannot be listed now: {}", id(position), reason(e));
            return Optional.empty();
        }
    }

    /** What {@link #repair} found. */
    public enum RepairOutcome {
        /** The daemon now holds its slice again, with the receipt's body. */
        REPAIRED,
        /** The daemon had the slice already (a deposit finished while the repairer looked). */
        ALREADY_STORED
    }

    /**
     * Gives the daemon at {@code position} its slice of a receipted document back: rebuilds the
     * document from the other daemons exactly as a retrieval does (checked against the receipt's
     * fingerprint vector and hash) and streams it into a repair on that daemon, which stores its
     * slice and signs nothing. The daemon's body must be byte for byte the receipt's; if not, the
     * slice is deleted again. Memory stays at a few buffers whatever the document's size.
     */
    public RepairOutcome repair(Receipt receipt, int position)
            throws RetrievalFailedException, DepositFailedException, InterruptedException {
        ReceiptBody body = receipt.parsed();
        DepositMetadata meta = new DepositMetadata(body.documentId(), body.owner(), body.documentName(), body.version(),
                body.depositTime().toEpochMilli(), body.size());
        DaemonClient daemon = clients.get(position);
        DepositUpload upload;
        try {
            upload = await(daemon.openRepair(meta));
        } catch (ExecutionException | TimeoutException e) {
            throw new DepositFailedException("repair " + meta.documentId() + ": daemon " + id(position)
                    + " is unavailable: " + reason(e), e);
        }
        try {
            retrieve(meta.documentId(), body, upload);
            upload.close();
            DepositAck ack = await(upload.ack());
            if (!Arrays.equals(ack.receiptBody(), receipt.body())) {
                daemon.delete(meta.documentId());
                throw new DepositFailedException("repair " + meta.documentId() + ": daemon " + id(position)
                        + " computed a receipt body that differs from the receipt's; its slice is deleted again");
            }
            LOG.info("repair {}: daemon {} holds its slice again", meta.documentId(), id(position));
            return RepairOutcome.REPAIRED;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof DaemonErrorException d && d.code() == ErrorCode.DUPLICATE_ID) {
                return RepairOutcome.ALREADY_STORED;
            }
            throw new DepositFailedException("repair " + meta.documentId() + " on daemon " + id(position) + ": "
                    + reason(e), e);
        } catch (IOException | TimeoutException e) {
            upload.abort(e);
            throw new DepositFailedException("repair " + meta.documentId() + " on daemon " + id(position) + ": "
                    + reason(e), e);
        } catch (RetrievalFailedException | RuntimeException | InterruptedException e) {
            upload.abort(e);
            throw e;
        }
    }

    // ---------------------------------------------------------------- helpers

    private <T> T await(CompletableFuture<T> f) throws ExecutionException, TimeoutException, InterruptedException {
        return f.get(timeout.toMillis() + 5_000, TimeUnit.MILLISECONDS);
    }

    private static String reason(Exception e) {
        Throwable c = (e instanceof ExecutionException || e instanceof java.util.concurrent.CompletionException)
                && e.getCause() != null ? e.getCause() : e;
        return c.getMessage() != null ? c.getMessage() : c.toString();
    }

    @Override
    public void close() {
        for (DaemonClient c : clients) {
            c.close();
        }
    }
}
