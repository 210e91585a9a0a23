package org.evault.daemon;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.evault.daemon.net.DaemonServer;
import org.evault.daemon.store.SliceStore;
import org.evault.ida.DispersalMatrix;
import org.evault.ida.Ida;
import org.evault.protocol.TlsConfig;
import org.evault.threshold.KeyFiles;
import org.evault.threshold.KeyShare;
import org.evault.threshold.PublicParameters;
import org.evault.threshold.ThresholdSigner;
import org.evault.threshold.VaultPublicKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running storage daemon: its slice store, its share of the vault key and its TLS server.
 * {@link #start} returns once the port is bound; {@link #close} stops accepting, lets requests in
 * flight finish (up to a grace period), and releases everything.
 */
public final class Daemon implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Daemon.class);
    private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(20);

    private final DaemonConfig config;
    private final DaemonServer server;
    private final ThresholdSigner signer;
    private final ScheduledExecutorService scrubber;

    private Daemon(DaemonConfig config, DaemonServer server, ThresholdSigner signer, ScheduledExecutorService scrubber) {
        this.config = config;
        this.server = server;
        this.signer = signer;
        this.scrubber = scrubber;
    }

    public static Daemon start(DaemonConfig config) throws IOException, GeneralSecurityException, InterruptedException {
        LOG.info("daemon {} (index {} of n = {}, t = {}, {} signatures) starting; data in {}; faults injected: {}",
                config.nodeId(), config.nodeIndex(), config.n(), config.t(), config.scheme(), config.dataDir(),
                config.faults().isEmpty() ? "none" : config.faults());
        VaultPublicKey publicKey = KeyFiles.readPublicKey(config.publicKeyFile());
        PublicParameters params = KeyFiles.readParameters(config.parametersFile(), publicKey);
        KeyShare share = KeyFiles.readShare(config.shareFile(), publicKey);
        if (share.index() != config.nodeIndex()) {
            throw new IllegalArgumentException(config.shareFile() + " is share " + share.index() + ", this daemon is node "
                    + config.nodeIndex());
        }
        if (params.n() != config.n()) {
            throw new IllegalArgumentException("the vault key is shared among " + params.n() + " servers, the config says "
                    + config.n());
        }
        ThresholdSigner signer = ThresholdSigner.create(share);
        SliceStore store = SliceStore.open(config.dataDir());
        for (String problem : store.openingProblems()) {
            LOG.warn("damaged slice file moved aside: {}", problem);
        }
        LOG.info("{} slices stored ({} bytes)", store.documents(), store.bytesStored());
        Ida ida = Ida.create(DispersalMatrix.systematicCauchy(config.m(), config.n()), config.segmentSize());
        DepositProcessor deposits = new DepositProcessor(config.nodeIndex(), ida, store, signer, Clock.systemUTC(),
                config.maxClockSkew(), config.maxDocumentBytes());
        DaemonServer server = DaemonServer.start(config, new TlsConfig(config.caFile(), config.certificateFile(),
                config.privateKeyFile()).serverContext(), store, deposits);
        LOG.info("daemon {} listening on {}:{} (TLS 1.3, client certificates from the deployment CA; {} transport; IDA kernel {})",
                config.nodeId(), config.listenHost(), server.port(), server.transport(), ida.kernelName());
        ScheduledExecutorService scrubber = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "scrub");
            t.setDaemon(true);
            return t;
        });
        long every = config.scrubInterval().toSeconds();
        if (every > 0) {
            scrubber.scheduleWithFixedDelay(() -> {
                var findings = store.scrub();
                if (findings.isEmpty()) {
                    LOG.info("scheduled scrub: {} slices checked, all good", store.documents());
                } else {
                    findings.forEach(f -> LOG.warn("scheduled scrub: document {} segment {}: {} (slice set aside in damaged/)", f.documentId(),
                            f.segment(), f.problem()));
                }
            }, every, every, TimeUnit.SECONDS);
        }
        return new Daemon(config, server, signer, scrubber);
    }

    public int port() {
        return server.port();
    }

    public DaemonConfig config() {
        return config;
    }

    @Override
    public void close() throws InterruptedException {
        LOG.info("daemon {} stopping: no new connections, finishing requests in flight", config.nodeId());
        scrubber.shutdownNow();
        server.stop(SHUTDOWN_GRACE);
        try {
            signer.destroy();
        } catch (javax.security.auth.DestroyFailedException e) {
            LOG.warn("could not wipe the key share from memory: {}", e.getMessage());
        }
        LOG.info("daemon {} stopped", config.nodeId());
    }
}
