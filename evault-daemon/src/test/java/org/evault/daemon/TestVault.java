package org.evault.daemon;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.security.Signature;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.evault.deploy.Deployment;
import org.evault.ida.DispersalMatrix;
import org.evault.ida.FingerprintVector;
import org.evault.ida.Ida;
import org.evault.ida.Reconstruction;
import org.evault.ida.SliceInput;
import org.evault.protocol.DepositMetadata;
import org.evault.protocol.Message.DepositAck;
import org.evault.protocol.TlsConfig;
import org.evault.protocol.client.ClientOptions;
import org.evault.protocol.client.DaemonClient;
import org.evault.protocol.client.Retrieval;
import org.evault.protocol.receipt.ReceiptBody;
import org.evault.threshold.KeyFiles;
import org.evault.threshold.PublicParameters;
import org.evault.threshold.SignatureCombiner;
import org.evault.threshold.SignatureShare;
import org.evault.threshold.ThresholdSignature;
import org.evault.threshold.VaultPublicKey;

/**
 * The gateway's side of deposit and retrieval, reduced to what daemon tests need: one
 * {@link DaemonClient} per daemon with the gateway's certificate, a deposit streamed to all of
 * them, partial signatures combined and the receipt checked with JCA, and retrieval by fingerprint
 * majority and segment-checked decoding.
 */
final class TestVault implements AutoCloseable {
    final List<DaemonClient> clients = new ArrayList<>();
    final VaultPublicKey publicKey;
    final PublicParameters parameters;
    final int n;
    final int t;
    final TlsConfig tls;

    TestVault(Path deployment, List<Integer> ports, int t) throws Exception {
        Path gw = deployment.resolve(Deployment.GATEWAY_FOLDER);
        tls = new TlsConfig(gw.resolve(Deployment.CA_FILE), gw.resolve(Deployment.CERTIFICATE),
                gw.resolve(Deployment.PRIVATE_KEY));
        for (int i = 0; i < ports.size(); i++) {
            clients.add(new DaemonClient("127.0.0.1", ports.get(i), tls, ClientOptions.defaults("gateway")
                    .withExpectedNodeId(Deployment.nodeId(i + 1)).withRequestTimeout(Duration.ofSeconds(60))));
        }
        publicKey = KeyFiles.readPublicKey(gw.resolve(Deployment.VAULT_PUBLIC_KEY));
        parameters = KeyFiles.readParameters(gw.resolve(Deployment.VAULT_PARAMETERS), publicKey);
        this.n = ports.size();
        this.t = t;
    }

    record Receipt(byte[] body, byte[] signature, ThresholdSignature combined, List<DepositAck> acks) {
    }

    static DepositMetadata meta(String id, long length) {
        return new DepositMetadata(id, "alice", id + ".bin", 1, System.currentTimeMillis(), length);
    }

    /** Deposits to every daemon (each reads its own copy of the document) and combines the receipt. */
    Receipt deposit(DepositMetadata meta, Supplier<InputStream> document) throws Exception {
        List<Integer> all = new ArrayList<>();
        for (int i = 0; i < clients.size(); i++) {
            all.add(i);
        }
        return deposit(meta, document, all);
    }

    /** Deposits to the daemons at the given positions only, as a gateway does when others are down. */
    Receipt deposit(DepositMetadata meta, Supplier<InputStream> document, List<Integer> to) throws Exception {
        List<CompletableFuture<DepositAck>> acks = new ArrayList<>();
        for (int i : to) {
            acks.add(clients.get(i).deposit(meta, document.get()));
        }
        List<DepositAck> done = new ArrayList<>();
        for (CompletableFuture<DepositAck> f : acks) {
            done.add(f.get(10, TimeUnit.MINUTES));
        }
        byte[] body = done.get(0).receiptBody();
        List<SignatureShare> shares = new ArrayList<>();
        for (DepositAck a : done) {
            if (!java.util.Arrays.equals(a.receiptBody(), body)) {
                throw new IllegalStateException("daemons disagree on the receipt body");
            }
            shares.add(SignatureShare.fromBytes(a.partialSignature(), parameters));
        }
        // Daemons sign without proofs; as the gateway does, ask the daemons for them only on failure.
        ThresholdSignature sig = SignatureCombiner.create(parameters).combine(body, shares, indices -> {
            List<SignatureShare> proven = new ArrayList<>();
            for (int index : indices) {
                try {
                    proven.add(SignatureShare.fromBytes(
                            clients.get(index - 1).prove(meta.documentId()).get(1, TimeUnit.MINUTES), parameters));
                } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException
                        | org.evault.threshold.InvalidShareException e) {
                    // no proof: the combiner counts this share as invalid
                }
            }
            return proven;
        });
        Signature jca = Signature.getInstance("SHA256withRSA");
        jca.initVerify(publicKey.toJca());
        jca.update(body);
        if (!jca.verify(sig.bytes())) {
            throw new IllegalStateException("combined signature does not verify");
        }
        return new Receipt(body, sig.bytes(), sig, done);
    }

    Receipt deposit(DepositMetadata meta, byte[] document) throws Exception {
        return deposit(meta, () -> new ByteArrayInputStream(document));
    }

    /** Retrieves from every reachable daemon, trusts the majority fingerprint vector, rebuilds into {@code out}. */
    Reconstruction retrieve(String documentId, OutputStream out) throws Exception {
        List<Retrieval> answers = new ArrayList<>();
        List<FingerprintVector> reports = new ArrayList<>();
        try {
            for (DaemonClient c : clients) {
                try {
                    Retrieval r = c.retrieve(documentId).get(60, TimeUnit.SECONDS);
                    answers.add(r);
                    reports.add(r.header().fingerprints());
                } catch (Exception e) {
                    answers.add(null);
                    reports.add(null);
                }
            }
            FingerprintVector.Selection sel = FingerprintVector.selectMajority(reports, t);
            Retrieval trusted = answers.get(sel.agreeing().get(0));
            ReceiptBody body = ReceiptBody.parse(trusted.header().receiptBody());
            Ida ida = Ida.create(body.matrix(), body.segmentSize());
            List<SliceInput> inputs = new ArrayList<>();
            for (Retrieval r : answers) {
                if (r != null) {
                    inputs.add(new SliceInput(r.header().sliceIndex(), r.segmentHashes(), r.body()));
                }
            }
            return ida.reconstruct(body.size(), sel.vector(), body.sha256(), inputs, out);
        } finally {
            for (Retrieval r : answers) {
                if (r != null) {
                    r.close();
                }
            }
        }
    }

    static DispersalMatrix matrix(int m, int n) {
        return DispersalMatrix.systematicCauchy(m, n);
    }

    @Override
    public void close() {
        for (DaemonClient c : clients) {
            c.close();
        }
    }

    /** A reproducible stream of {@code size} pseudo-random bytes, made on the fly. */
    static InputStream generated(long size, long seed) {
        return new InputStream() {
            long produced;
            long state = seed * 0x9E3779B97F4A7C15L + 1;

            @Override
            public int read() {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (produced >= size) {
                    return -1;
                }
                int n = (int) Math.min(len, size - produced);
                for (int i = 0; i < n; i++) {
                    if ((produced + i) % 8 == 0) {
                        state ^= state << 13;
                        state ^= state >>> 7;
                        state ^= state << 17;
                    }
                    b[off + i] = (byte) (state >>> (((produced + i) % 8) * 8));
                }
                produced += n;
                return n;
            }
        };
    }

    static byte[] sha256(InputStream in) throws IOException {
        java.security.MessageDigest sha = org.evault.ida.Hash256.sha256();
        byte[] buf = new byte[1 << 16];
        for (int r; (r = in.read(buf)) > 0; ) {
            sha.update(buf, 0, r);
        }
        return sha.digest();
    }
}
